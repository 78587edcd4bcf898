"""A contact-form submission: stored first, then routed, then (after commit) announced."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from leads import tasks
from leads.attribution import UTM_PARAMETERS
from leads.forms import FormToken
from leads.models import FIRST_NEXT_STEP, Inquiry, Lead, RecruiterProfile, recruiters
from portal.net import split_url
from portal.ratelimit import limit_exceeded
from roles.models import Area, PostingDraft, Role

logger = logging.getLogger(__name__)

# Where on our own site a visitor who came by no campaign and no other site started.
OWN_PAGES = [
    ("/roles/", "role page"),
    ("/skills/", "skill page"),
    ("/salaries/", "salary explorer"),
    ("/contact/", "contact page"),
]


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
    context_role = Role.objects.published().filter(slug=context.get("role")).first()
    roles = list(Role.objects.published().filter(slug__in=data["roles"]))
    role = context_role or (roles[0] if roles else None)
    lead = None
    if not spam_reason:
        lead = Lead.objects.open_for_email(data["email"]).select_for_update().first()
    if lead is None:
        try:
            with transaction.atomic():  # a savepoint: the submission goes on if this fails
                lead = _new_lead(data, context, role, now, spam_reason)
        except IntegrityError:
            # The same person's other submission, in parallel, opened their lead first
            # (the database allows one open lead per email): this one joins it.
            lead = Lead.objects.open_for_email(data["email"]).select_for_update().first()
            if lead is None:
                raise
            _join(lead, data, now)
    else:
        _join(lead, data, now)
    inquiry = Inquiry.objects.create(
        lead=lead,
        submission_key=token.key,
        submitted_at=now,
        hires=data["hires"],
        location=data["location"],
        remote_policy=data["remote_policy"],
        timeline=data["timeline"],
        message=data["message"],
        consent_at=now,
        source_page=context.get("page", ""),
        context_role=context_role,
        context_family_id=context_role.family_id if context_role else None,
        context_area=context.get("area", ""),
        context_seniority=context.get("seniority", ""),
        referrer=context.get("referrer", ""),
        **{name: context.get(name, "") for name in UTM_PARAMETERS},
        **_attached_posting(context.get("posting", "")),
    )
    inquiry.roles.set(roles)
    return inquiry


def _attached_posting(token: str) -> dict:
    """The job description built in the builder and sent with the request: its text as
    saved (the inquiry keeps it after the draft is deleted) and its link."""
    draft = PostingDraft.objects.filter(token=token).first() if token else None
    return {"job_description": draft.text, "posting_draft": draft} if draft else {}


def _join(lead: Lead, data: dict, now: datetime) -> None:
    """A further request joins the person's open lead: it may ask for other roles,
    and the deal does not shrink with it."""
    lead.hires = max(lead.hires, data["hires"])
    lead.last_activity_at = now
    lead.save(update_fields=["hires", "last_activity_at"])


def _new_lead(data: dict, context: dict, role, now: datetime, spam_reason: str) -> Lead:
    area_code = context.get("area")
    lead = Lead.objects.create(
        name=data["name"],
        email=data["email"],
        phone=data["phone"],
        company=data["company"],
        job_title=data["job_title"],
        hires=data["hires"],
        family_id=role.family_id if role else None,
        market=Area.objects.filter(code=area_code).first() if area_code else None,
        source=lead_source(context),
        created_at=now,
        last_activity_at=now,
        next_step="" if spam_reason else FIRST_NEXT_STEP,
        next_step_due_at=None if spam_reason else first_reply_due(now),
        is_spam=bool(spam_reason),
        spam_reason=spam_reason,
    )
    if not spam_reason:
        lead_route(lead=lead, family_id=lead.family_id, asked_for=context.get("recruiter", ""))
    return lead


def lead_source(context: dict) -> str:
    """Where a lead came from, in a word or two: the campaign's source, else the site
    that referred the visitor, else the kind of page of ours they started on."""
    if context.get("utm_source"):
        return context["utm_source"].strip().lower()[:100]
    if host := split_url(context.get("referrer", "")).hostname:
        return host.removeprefix("www.")[:100]
    page = context.get("page", "")
    for prefix, label in OWN_PAGES:
        if page.startswith(prefix):
            return label
    return "home page" if page == "/" else "direct"


def first_reply_due(arrived: datetime) -> datetime:
    """The promised reply: LEADS_FIRST_REPLY_BUSINESS_DAYS later, at the same local
    time, skipping Saturdays and Sundays."""
    due = timezone.localtime(arrived)
    days = settings.LEADS_FIRST_REPLY_BUSINESS_DAYS
    while days:
        due += timedelta(days=1)
        if due.weekday() < 5:
            days -= 1
    return due


def lead_route(*, lead: Lead, family_id: int | None, asked_for: str = "") -> None:
    """Assign a lead to the recruiter the employer asked to speak with ("Speak with
    <name>" on the site) while they show their profile and accept leads; otherwise
    round robin among recruiters who can act on it (active staff in the Recruiters
    group, accepting leads), those who cover the lead's role family first. Runs in
    the submission's transaction."""
    if asked_for:
        chosen = (
            RecruiterProfile.objects.public()
            .filter(slug=asked_for, accepts_leads=True)
            .select_for_update(of=("self",))
            .select_related("user")
            .first()
        )
        if chosen:
            chosen.last_assigned_at = timezone.now()
            chosen.save(update_fields=["last_assigned_at"])
            lead.assign_to(chosen.user, by=None)
            return
    people = recruiters()
    RecruiterProfile.objects.bulk_create(
        [RecruiterProfile(user=user) for user in people.filter(recruiter_profile__isnull=True)],
        ignore_conflicts=True,
    )
    candidates = RecruiterProfile.objects.filter(user__in=people, accepts_leads=True)
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
    lead.assign_to(turn.user, by=None)


def rate_limit_exceeded(*, client_ip: str) -> bool:
    """Count a contact-form submission from this address; True once over the limit."""
    return limit_exceeded(
        scope="contact-form",
        client_ip=client_ip,
        limit=settings.LEADS_RATE_LIMIT,
        window_seconds=settings.LEADS_RATE_LIMIT_WINDOW_SECONDS,
    )
