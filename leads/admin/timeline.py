"""A lead's timeline, as the lead page shows it: inquiries and everything done since, newest
first, each in words. A fixed number of queries, however long the history."""

from dataclasses import dataclass, field
from datetime import datetime

from leads.models import Activity, ActivityKind, Inquiry, Lead, Stage, person
from leads.services.pipeline import when
from roles.models import Area


@dataclass
class Entry:
    at: datetime
    kind: str
    title: str
    who: str
    body: str = ""
    details: list[tuple[str, str]] = field(default_factory=list)
    # A job description the employer sent from the builder, and its saved link.
    attachment: str = ""
    attachment_url: str = ""


def timeline(lead: Lead) -> list[Entry]:
    """The lead's timeline; its inquiries as the admin fetched them (with their roles
    and the role they were looking at), so none is read twice."""
    inquiries = list(lead.inquiries.all())
    areas = dict(
        Area.objects.filter(
            code__in={i.context_area for i in inquiries if i.context_area}
        ).values_list("code", "title")
    )
    activities = lead.activities.select_related("actor", "assignee")
    entries = [inquiry_entry(lead, inquiry, areas) for inquiry in inquiries]
    entries += [activity_entry(activity) for activity in activities]
    return sorted(entries, key=lambda entry: entry.at, reverse=True)


def inquiry_entry(lead: Lead, inquiry: Inquiry, areas: dict[str, str]) -> Entry:
    looking_at = ", ".join(
        part
        for part in (
            inquiry.context_role.title if inquiry.context_role else "",
            inquiry.get_context_seniority_display() if inquiry.context_seniority else "",
            areas.get(inquiry.context_area, "") if inquiry.context_area else "",
        )
        if part
    )
    campaign = ", ".join(
        f"{name}: {value}"
        for name, value in (
            ("source", inquiry.utm_source),
            ("medium", inquiry.utm_medium),
            ("campaign", inquiry.utm_campaign),
            ("term", inquiry.utm_term),
            ("content", inquiry.utm_content),
        )
        if value
    )
    details = [
        ("Roles", ", ".join(role.title for role in inquiry.roles.all()) or "not specified"),
        ("Hires", str(inquiry.hires)),
        ("Location", inquiry.where),
        ("Timeline", inquiry.timeline_label),
        ("Was looking at", looking_at),
        ("From page", inquiry.source_page),
        ("Referred by", inquiry.referrer),
        ("Campaign", campaign),
        ("Consent", when(inquiry.consent_at)),
    ]
    hires = f"{inquiry.hires} hire{'s' if inquiry.hires != 1 else ''}"
    return Entry(
        at=inquiry.submitted_at,
        kind="inquiry",
        title=f"Inquiry from the contact form: {hires}",
        who=lead.name if not lead.erased_at else "The employer",
        body=inquiry.message,
        details=[(label, value) for label, value in details if value],
        attachment=inquiry.job_description,
        attachment_url=inquiry.posting_draft.get_absolute_url() if inquiry.posting_draft else "",
    )


def activity_entry(activity: Activity) -> Entry:
    who = person(activity.actor) if activity.actor else "The portal"
    entry = Entry(at=activity.at, kind=activity.kind, title=activity.get_kind_display(), who=who)
    match activity.kind:
        case ActivityKind.NOTE:
            entry.title, entry.body = "Note", activity.text
        case ActivityKind.STAGE:
            entry.title = (
                f"Moved from {Stage(activity.from_stage).label} to {Stage(activity.to_stage).label}"
            )
            if activity.lost_category:
                entry.title += f" ({activity.get_lost_category_display()})"
            entry.body = activity.text
        case ActivityKind.ASSIGNED:
            entry.title = (
                f"Assigned to {person(activity.assignee)}" if activity.assignee else "Unassigned"
            )
        case ActivityKind.NEXT_STEP_SET:
            entry.title = f"Next step, due {when(activity.due_at)}"
            entry.body = activity.text
        case ActivityKind.NEXT_STEP_DONE:
            entry.title = "Next step done"
            entry.body = activity.text
        case ActivityKind.EMAIL:
            entry.title = f"Emailed: {activity.subject}" if activity.subject else "Emailed"
            entry.body = activity.text
            entry.details = [("Status", email_status(activity))]
        case ActivityKind.DETAILS:
            entry.title = f"Changed {activity.text}" if activity.text else "Changed details"
        case ActivityKind.MERGED:
            entry.title = "Merged with a duplicate"
            entry.body = activity.text
        case ActivityKind.EMAIL_REFUSED:
            entry.title = "Email address refused"
            entry.body = activity.text
    return entry


def email_status(activity: Activity) -> str:
    if activity.sent_at:
        return f"sent {when(activity.sent_at)}"
    if not activity.recipient:
        return "not sent (erased)"
    if activity.lead.email_refused_at:
        return "not sent: the mail server refused the address"
    if activity.send_attempts:
        return f"not sent yet: {activity.send_attempts} failed attempt(s), retrying"
    return "waiting to be sent"
