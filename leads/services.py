"""What happens to a lead: intake, routing, pipeline changes, erasure.

The contact view, the admin and its actions, the management commands and the
tests all call these functions, so every path follows the same rules.
"""

import csv
import hashlib
import io
import json
import logging
from datetime import timedelta
from statistics import median

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.db.models.functions import TruncWeek
from django.utils import timezone

from leads import tasks
from leads.attribution import UTM_PARAMETERS
from leads.forms import FormToken
from leads.models import Inquiry, Lead, LeadNote, RecruiterProfile, SpamReason, Stage
from portal.cache import CACHE_ERRORS
from roles.models import Role

logger = logging.getLogger(__name__)

RECRUITERS_GROUP = "Recruiters"


def lead_submit(*, data: dict, token: FormToken, spam_reason: str = "") -> Inquiry:
    """Store one contact-form submission, then (after commit) tell people about it.

    The same token twice gives back the first inquiry. A submission from an email
    that has an open lead joins that lead. Suspected spam is stored as its own
    lead, flagged, and tells nobody.
    """
    if existing := Inquiry.objects.filter(submission_key=token.key).first():
        return existing
    try:
        with transaction.atomic():
            inquiry = _store_submission(data=data, token=token, spam_reason=spam_reason)
    except IntegrityError:
        # The same token sent twice at once: the other request stored it first.
        if existing := Inquiry.objects.filter(submission_key=token.key).first():
            return existing
        raise
    if not spam_reason:
        lead_id = inquiry.lead_id
        transaction.on_commit(lambda: tasks.notify_lead.enqueue(lead_id))
        transaction.on_commit(lambda: tasks.confirm_inquiries.enqueue(lead_id))
    return inquiry


def _store_submission(*, data: dict, token: FormToken, spam_reason: str) -> Inquiry:
    now = timezone.now()
    context = token.context
    context_role = Role.objects.filter(slug=context.get("role", "")).first()
    roles = list(Role.objects.published().filter(slug__in=data.get("roles", [])))
    lead = None
    if not spam_reason:
        lead = Lead.objects.open_for_email(data["email"]).select_for_update().first()
    if lead is None:
        lead = Lead.objects.create(
            name=data["name"],
            email=data["email"],
            phone=data.get("phone", ""),
            company=data["company"],
            job_title=data["job_title"],
            created_at=now,
            last_activity_at=now,
            is_spam=bool(spam_reason),
            spam_reason=spam_reason,
        )
        if not spam_reason:
            role = context_role or (roles[0] if roles else None)
            lead_route(lead=lead, family_id=role.family_id if role else None)
    else:
        lead.last_activity_at = now
        lead.save(update_fields=["last_activity_at"])
    inquiry = Inquiry.objects.create(
        lead=lead,
        submission_key=token.key,
        submitted_at=now,
        hires=data["hires"],
        location=data["location"],
        remote_policy=data["remote_policy"],
        timeline=data["timeline"],
        message=data.get("message", ""),
        consent_at=now,
        source_page=context.get("page", ""),
        context_role=context_role,
        context_family_id=context_role.family_id if context_role else None,
        context_area=context.get("area", ""),
        context_seniority=context.get("seniority", ""),
        referrer=context.get("referrer", ""),
        **{name: context.get(name, "") for name in UTM_PARAMETERS},
    )
    inquiry.roles.set(roles)
    return inquiry


def lead_route(*, lead: Lead, family_id: int | None) -> None:
    """Assign a new lead, round robin among active recruiters; those who cover
    the lead's role family come first. Runs in the submission's transaction."""
    User = get_user_model()
    recruiters = User.objects.filter(groups__name=RECRUITERS_GROUP, is_active=True)
    RecruiterProfile.objects.bulk_create(
        [RecruiterProfile(user=user) for user in recruiters.filter(recruiter_profile__isnull=True)],
        ignore_conflicts=True,
    )
    candidates = RecruiterProfile.objects.filter(user__in=recruiters, accepts_leads=True)
    if family_id and candidates.filter(families=family_id).exists():
        candidates = candidates.filter(families=family_id)
    turn = (
        candidates.select_for_update()
        .order_by(F("last_assigned_at").asc(nulls_first=True), "pk")
        .select_related("user")
        .first()
    )
    if turn is None:
        logger.warning("Lead #%s has no recruiter to route to", lead.pk)
        return
    turn.last_assigned_at = timezone.now()
    turn.save(update_fields=["last_assigned_at"])
    lead.assigned_to = turn.user
    lead.save(update_fields=["assigned_to"])


def rate_limit_exceeded(*, client_ip: str) -> bool:
    """Count a submission attempt from this address; True once over the limit.

    The cache is shared between workers in production (REDIS_URL). The address
    is hashed: it never sits in the cache in clear. When the cache fails, the
    limit is not applied: a lead refused for want of a counter would be lost."""
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{client_ip}".encode()).hexdigest()[:32]
    key = f"leads:rate:{digest}"
    window = settings.LEADS_RATE_LIMIT_WINDOW_SECONDS
    try:
        cache.add(key, 0, timeout=window)
        try:
            attempts = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window)
            attempts = 1
    except CACHE_ERRORS:
        logger.warning("Cache unavailable: contact-form rate limit not applied")
        return False
    return attempts > settings.LEADS_RATE_LIMIT


def lead_add_note(*, lead: Lead, author, text: str) -> LeadNote:
    note = LeadNote.objects.create(lead=lead, author=author, text=text)
    Lead.objects.filter(pk=lead.pk).update(last_activity_at=note.created_at)
    return note


def lead_mark_spam(*, lead: Lead) -> None:
    lead.is_spam = True
    lead.spam_reason = lead.spam_reason or SpamReason.STAFF
    lead.save(update_fields=["is_spam", "spam_reason"])


def lead_mark_not_spam(*, lead: Lead) -> None:
    """Release a quarantined lead into the pipeline: route it and notify."""
    with transaction.atomic():
        lead.is_spam = False
        lead.spam_reason = ""
        lead.last_activity_at = timezone.now()
        lead.save(update_fields=["is_spam", "spam_reason", "last_activity_at"])
        if lead.assigned_to_id is None:
            first = lead.inquiries.select_related("context_role").first()
            role = first.context_role if first else None
            lead_route(lead=lead, family_id=role.family_id if role else None)
        transaction.on_commit(lambda: tasks.notify_lead.enqueue(lead.pk))


ERASED = "(erased)"


def lead_erase(*, lead: Lead) -> None:
    """Remove every trace of the person behind a lead; the lead stays countable.

    Kept: stage, dates, roles, hires, remote policy, timeline, context and
    campaign. Gone: contact details, messages, locations, notes and the admin's
    log entries about the lead, its inquiries and notes."""
    with transaction.atomic():
        inquiry_ids = list(lead.inquiries.values_list("pk", flat=True))
        note_ids = list(lead.notes.values_list("pk", flat=True))
        Lead.objects.filter(pk=lead.pk).update(
            name=ERASED,
            email=f"erased-{lead.pk}@invalid",
            email_domain="",
            phone="",
            company=ERASED,
            job_title=ERASED,
            erased_at=timezone.now(),
        )
        lead.inquiries.update(location=ERASED, message="", source_page="", referrer="")
        lead.notes.update(text=ERASED)
        for model, ids in ((Lead, [lead.pk]), (Inquiry, inquiry_ids), (LeadNote, note_ids)):
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(model),
                object_id__in=[str(pk) for pk in ids],
            ).delete()
    lead.refresh_from_db()


def lead_personal_data(*, email: str) -> str:
    """Everything stored about the person with this email, as JSON (a subject access request)."""
    leads = Lead.objects.filter(email__iexact=email).prefetch_related(
        "inquiries__roles", "notes", "stage_changes"
    )
    export = [
        {
            "lead": f"#{lead.pk}",
            "name": lead.name,
            "email": lead.email,
            "phone": lead.phone,
            "company": lead.company,
            "job_title": lead.job_title,
            "created_at": lead.created_at,
            "stage": lead.get_stage_display(),
            "inquiries": [
                {
                    "submitted_at": inquiry.submitted_at,
                    "roles": [role.title for role in inquiry.roles.all()],
                    "hires": inquiry.hires,
                    "location": inquiry.location,
                    "remote_policy": inquiry.get_remote_policy_display(),
                    "timeline": inquiry.get_timeline_display(),
                    "message": inquiry.message,
                    "consent_at": inquiry.consent_at,
                    "source_page": inquiry.source_page,
                    "referrer": inquiry.referrer,
                }
                for inquiry in lead.inquiries.all()
            ],
            "notes": [{"at": note.created_at, "text": note.text} for note in lead.notes.all()],
        }
        for lead in leads
    ]
    return json.dumps(export, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)


def leads_purge(*, older_than_days: int, spam_only: bool = False) -> int:
    """Retention: erase closed leads older than the cutoff (they stay countable),
    or delete quarantined spam older than it. Returns how many were touched."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    if spam_only:
        old_spam = Lead.objects.filter(is_spam=True, created_at__lt=cutoff)
        count = old_spam.count()
        old_spam.delete()
        return count
    closed = Lead.objects.genuine().filter(
        stage__in=[Stage.WON, Stage.LOST], created_at__lt=cutoff, erased_at__isnull=True
    )
    count = 0
    for lead in closed.iterator():
        lead_erase(lead=lead)
        count += 1
    return count


# Spreadsheets run cells that start with these as formulas (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = [
    "lead",
    "created_at",
    "stage",
    "assigned_to",
    "name",
    "email",
    "phone",
    "company",
    "job_title",
    "roles",
    "hires",
    "location",
    "remote_policy",
    "timeline",
    "source_page",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "spam",
]


def csv_cell(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def leads_csv(queryset) -> str:
    """The leads as CSV, one row each, with their latest inquiry; no cell can run as a formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    leads = queryset.select_related("assigned_to").prefetch_related("inquiries__roles")
    for lead in leads:
        inquiries = list(lead.inquiries.all())
        latest = inquiries[-1] if inquiries else None
        roles = sorted({role.title for inquiry in inquiries for role in inquiry.roles.all()})
        row = [
            lead.pk,
            lead.created_at.isoformat(),
            lead.get_stage_display(),
            lead.assigned_to.get_username() if lead.assigned_to else "",
            lead.name,
            lead.email,
            lead.phone,
            lead.company,
            lead.job_title,
            "; ".join(roles),
            latest.hires if latest else "",
            latest.location if latest else "",
            latest.get_remote_policy_display() if latest else "",
            latest.get_timeline_display() if latest else "",
            latest.source_page if latest else "",
            latest.utm_source if latest else "",
            latest.utm_medium if latest else "",
            latest.utm_campaign if latest else "",
            "yes" if lead.is_spam else "",
        ]
        writer.writerow([csv_cell(value) for value in row])
    return buffer.getvalue()


WEEKS_CHARTED = 12


def pipeline_figures(*, now=None) -> dict:
    """What the pipeline dashboard shows, from genuine (non-spam) leads."""
    now = now or timezone.now()
    leads = Lead.objects.genuine()
    by_stage = dict(leads.values_list("stage").annotate(n=Count("pk")).order_by())
    stages = [(label, by_stage.get(value, 0)) for value, label in Stage.choices]
    responses = sorted(
        responded - created
        for created, responded in leads.filter(first_response_at__isnull=False).values_list(
            "created_at", "first_response_at"
        )
    )
    won, lost = by_stage.get(Stage.WON, 0), by_stage.get(Stage.LOST, 0)
    this_week = now - timedelta(days=7)
    first_week = (now - timedelta(weeks=WEEKS_CHARTED - 1)).date()
    first_week -= timedelta(days=first_week.weekday())
    weekly = dict(
        leads.filter(created_at__date__gte=first_week)
        .annotate(week=TruncWeek("created_at"))
        .values_list("week")
        .annotate(n=Count("pk"))
        .order_by()
    )
    weeks = []
    for index in range(WEEKS_CHARTED):
        start = first_week + timedelta(weeks=index)
        count = sum(n for week, n in weekly.items() if week.date() == start)
        weeks.append({"start": start, "count": count})
    return {
        "stages": stages,
        "total": sum(by_stage.values()),
        "new_this_week": leads.filter(created_at__gte=this_week).count(),
        "median_first_response": median(responses) if responses else None,
        "conversion": won / (won + lost) if won + lost else None,
        "weeks": weeks,
        "chart": _bar_chart(weeks),
    }


def _bar_chart(weeks: list[dict], *, width=600, height=200, gap=8) -> dict:
    """Geometry of an SVG bar chart, drawn by the dashboard template."""
    tallest = max((w["count"] for w in weeks), default=0) or 1
    plot_height = height - 30
    bar_width = (width - gap * (len(weeks) + 1)) / len(weeks)
    bars = []
    for index, week in enumerate(weeks):
        bar_height = plot_height * week["count"] / tallest
        x = gap + index * (bar_width + gap)
        bars.append(
            {
                "x": round(x, 1),
                "y": round(plot_height - bar_height + 10, 1),
                "width": round(bar_width, 1),
                "height": round(bar_height, 1),
                "label_x": round(x + bar_width / 2, 1),
                **week,
            }
        )
    return {"width": width, "height": height, "bars": bars, "label_y": height - 5}
