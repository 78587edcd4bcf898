"""Recruiters' changes to leads, from any screen (change page, board, actions).

Each change goes through the lead's own method, which records it in the lead's
timeline and stamps its activity; these functions combine them and say, in
words and without personal data, what changed (the admin's history shows that).
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.defaultfilters import date as format_date
from django.utils import timezone

from leads import tasks
from leads.models import (
    FIRST_NEXT_STEP,
    ActivityKind,
    EmailTemplate,
    Lead,
    LostReason,
    SpamReason,
    Stage,
    person,
)
from leads.services.intake import first_reply_due, lead_route

KEEP = object()  # "leave as it is", where None means "nobody" or "no date"


@dataclass
class LeadChanges:
    """What a recruiter asked for on one screen; anything left out stays as it is."""

    details: dict = field(default_factory=dict)
    assignee: object = KEEP
    stage: str = ""
    lost_category: str = ""
    reason: str = ""
    next_step_done: bool = False
    next_step: str = ""
    next_step_due_at: datetime | None = None
    note: str = ""


def lead_apply(*, lead: Lead, by, changes: LeadChanges) -> list[str]:
    """Apply one screen's changes in a natural order; returns them in words."""
    said = []
    with transaction.atomic():
        if details := lead.change_details(changes.details, by=by):
            said.append(f"Changed {details.text}")
        if changes.assignee is not KEEP and lead.assign_to(changes.assignee, by=by):
            said.append(f"Assigned to {person(changes.assignee)}")
        if changes.next_step_done and (done := lead.complete_next_step(by=by)):
            said.append(f"Done: the next step due {when(done.due_at)}")
        if changes.next_step and lead.set_next_step(
            changes.next_step, changes.next_step_due_at, by=by
        ):
            said.append(f"Next step due {when(changes.next_step_due_at)}")
        if changes.stage:
            previous = lead.get_stage_display()
            if lead.move_to(
                changes.stage, by=by, lost_category=changes.lost_category, reason=changes.reason
            ):
                said.append(stage_change_in_words(previous, lead))
        if changes.note.strip():
            lead.add_note(changes.note, by=by)
            said.append("Added a note")
    return said


def stage_change_in_words(previous: str, lead: Lead) -> str:
    words = f"Moved from {previous} to {lead.get_stage_display()}"
    if lead.stage == Stage.LOST:
        words += f" ({LostReason(lead.lost_category).label})"
    return words


def when(moment: datetime | None) -> str:
    return format_date(timezone.localtime(moment), "M j, H:i") if moment else "-"


def lead_mark_spam(*, lead: Lead, by) -> bool:
    if lead.is_spam:
        return False
    lead.is_spam = True
    lead.spam_reason = lead.spam_reason or SpamReason.STAFF
    lead.save(update_fields=["is_spam", "spam_reason"])
    lead.record(ActivityKind.SPAM, by=by)
    return True


def lead_release(*, lead: Lead, by) -> bool:
    """Release a quarantined lead into the pipeline: a first next step, routed, notified.

    When the person has an open lead meanwhile, the released inquiries join it, as
    they would have on arrival (one open lead per email)."""
    if not lead.is_spam:
        return False
    with transaction.atomic():
        if lead.is_open and not lead.erased_at and (twin := lead.open_twin()):
            lead_merge(lead, into=twin, by=by)
            transaction.on_commit(lambda: tasks.notify_lead.enqueue(twin.pk))
            return True
        lead.is_spam = False
        lead.spam_reason = ""
        lead.save(update_fields=["is_spam", "spam_reason"])
        lead.record(ActivityKind.NOT_SPAM, by=by)
        if lead.is_open and not lead.next_step:
            lead.set_next_step(FIRST_NEXT_STEP, first_reply_due(timezone.now()), by=by)
        if lead.assigned_to_id is None:
            lead_route(lead=lead, family_id=lead.family_id)
        transaction.on_commit(lambda: tasks.notify_lead.enqueue(lead.pk))
    return True


def lead_merge(duplicate: Lead, *, into: Lead, by) -> None:
    """Fold a duplicate lead of the same person into `into`: its inquiries and its
    timeline move over, the deal keeps the most hires, and the duplicate goes."""
    with transaction.atomic():
        moved = duplicate.inquiries.update(lead=into)
        duplicate.activities.update(lead=into)
        if duplicate.hires > into.hires:
            into.hires = duplicate.hires
            into.save(update_fields=["hires"])
        number = duplicate.pk
        duplicate.delete()
        into.record(
            ActivityKind.MERGED,
            by=by,
            text=f"Lead #{number} (same email) joined this one with "
            f"{moved} {'inquiry' if moved == 1 else 'inquiries'}.",
        )


def email_values(lead: Lead, recruiter) -> dict[str, str]:
    """What an email template's placeholders stand for, for this lead and recruiter."""
    return {
        "first_name": lead.name.split()[0] if lead.name.split() else lead.name,
        "name": lead.name,
        "company": lead.company,
        "roles": ", ".join(lead.role_titles) or "the roles you asked about",
        "hires": f"{lead.hires} hire{'s' if lead.hires != 1 else ''}",
        "market": lead.market.title if lead.market else "your market",
        "recruiter": person(recruiter),
        "recruiter_email": recruiter.email,
        "site_name": settings.SITE_NAME,
    }


def lead_email_draft(*, lead: Lead, by, template: EmailTemplate) -> tuple[str, str]:
    return template.render(email_values(lead, by))


def lead_send_email(*, lead: Lead, by, subject: str, body: str, key: str = "") -> list[str]:
    """Email the lead from the site's mailer, with replies going to the recruiter.

    Logged on the lead at once; a task sends it after commit (and retries). A
    first email to a new lead is its first response: it moves to Contacted. The
    same form sent twice (`key`: Back, then Send again) sends one email."""
    said = ["Emailed the lead"]
    try:
        with transaction.atomic():
            activity = lead.record(
                ActivityKind.EMAIL,
                by=by,
                subject=" ".join(subject.split()),
                text=body,
                recipient=lead.email,
                send_key=key,
            )
            if lead.stage == Stage.NEW:
                lead.move_to(Stage.CONTACTED, by=by)
                said.append("Moved from New to Contacted")
            lead.responded(by=by, at=activity.at)
            transaction.on_commit(lambda: tasks.send_lead_email.enqueue(activity.pk))
    except IntegrityError:
        return []  # this very email went already
    return said
