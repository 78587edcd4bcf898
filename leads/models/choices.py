from django.db import models


class Stage(models.TextChoices):
    NEW = "new", "New"
    CONTACTED = "contacted", "Contacted"
    QUALIFIED = "qualified", "Qualified"
    PROPOSAL = "proposal", "Proposal"
    WON = "won", "Won"
    LOST = "lost", "Lost"


OPEN_STAGES = [Stage.NEW, Stage.CONTACTED, Stage.QUALIFIED, Stage.PROPOSAL]


class LostReason(models.TextChoices):
    NO_RESPONSE = "no_response", "No response"
    BUDGET = "budget", "Budget or fees"
    TIMING = "timing", "Hiring paused or postponed"
    COMPETITOR = "competitor", "Went with another agency"
    HIRED_DIRECTLY = "hired_directly", "Hired without an agency"
    NOT_A_FIT = "not_a_fit", "Not a fit for us"
    OTHER = "other", "Other"


class SpamReason(models.TextChoices):
    HONEYPOT = "honeypot", "Filled the hidden field"
    TOO_FAST = "too_fast", "Sent within seconds of opening the form"
    STAFF = "staff", "Marked as spam by staff"


class ActivityKind(models.TextChoices):
    NOTE = "note", "Note"
    STAGE = "stage", "Stage change"
    ASSIGNED = "assigned", "Assignment"
    NEXT_STEP_SET = "next_step_set", "Next step set"
    NEXT_STEP_DONE = "next_step_done", "Next step done"
    EMAIL = "email", "Email to the lead"
    DETAILS = "details", "Details changed"
    SPAM = "spam", "Marked as spam"
    NOT_SPAM = "not_spam", "Released from spam"
    ERASED = "erased", "Personal data erased"
    MERGED = "merged", "Merged"
    EMAIL_REFUSED = "email_refused", "Email address refused"
