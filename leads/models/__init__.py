"""Leads: who asked for staffing help, what for, and everything recruiters did about it."""

from leads.models.activity import Activity, ActivityQuerySet
from leads.models.choices import (
    OPEN_STAGES,
    ActivityKind,
    LostReason,
    SpamReason,
    Stage,
)
from leads.models.email import PLACEHOLDERS, EmailTemplate, UnknownPlaceholder
from leads.models.inquiry import Inquiry, RemotePolicy, Timeline
from leads.models.pipeline import (
    ERASED,
    FIRST_NEXT_STEP,
    LOST_NEEDS_CATEGORY,
    NEXT_STEP_NEEDS_BOTH,
    RECRUITERS_GROUP,
    Lead,
    LeadQuerySet,
    RecruiterProfile,
    local_day_bounds,
    may_show_a_profile,
    person,
    recruiters,
    stale_cutoff,
)

__all__ = [
    "ERASED",
    "FIRST_NEXT_STEP",
    "LOST_NEEDS_CATEGORY",
    "NEXT_STEP_NEEDS_BOTH",
    "OPEN_STAGES",
    "PLACEHOLDERS",
    "RECRUITERS_GROUP",
    "Activity",
    "ActivityKind",
    "ActivityQuerySet",
    "EmailTemplate",
    "Inquiry",
    "Lead",
    "LeadQuerySet",
    "LostReason",
    "RecruiterProfile",
    "RemotePolicy",
    "SpamReason",
    "Stage",
    "Timeline",
    "UnknownPlaceholder",
    "local_day_bounds",
    "may_show_a_profile",
    "person",
    "recruiters",
    "stale_cutoff",
]
