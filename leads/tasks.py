"""Emails about leads, sent after the lead is committed, outside the request.

Tasks carry only a lead id: no personal data in the task queue. Each email is
claimed in a short transaction before the mail server is called, and stamped as
sent after it answers: no database lock or transaction is held while SMTP takes
its time, and two workers never send the same email. A claim left by a worker
that died mid-send lapses after `CLAIM_LEASE`. A failed send is retried with
backoff, and `manage.py send_pending_notifications` sweeps up whatever is still
unsent. An address the mail server refuses for good is flagged on the lead.

Mail servers quote the recipient's address in their errors, so failures are
logged and raised by kind and SMTP code only, never with the server's text.
"""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.tasks import task, task_backends
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from leads.models import Activity, Inquiry, Lead, RecruiterProfile, recruiters
from leads.services.reports import my_work
from roles.models import Area

logger = logging.getLogger(__name__)

# Far beyond EMAIL_TIMEOUT: a claim this old belongs to a worker that died.
CLAIM_LEASE = timedelta(minutes=15)


def _email(template: str, context: dict, *, to: list[str], reply_to: list[str] = ()):
    subject = render_to_string(f"leads/email/{template}_subject.txt", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),  # one line, whatever the template holds
        body=render_to_string(f"leads/email/{template}.txt", context),
        to=to,
        reply_to=list(reply_to),
    )
    message.attach_alternative(
        render_to_string(f"leads/email/{template}.html", context), "text/html"
    )
    return message


def _retry_later(task_function, lead_id: int, attempts: int) -> None:
    """Enqueue again with exponential backoff, where the backend can defer."""
    backend = task_backends[task_function.backend]
    if attempts >= settings.LEADS_NOTIFY_MAX_ATTEMPTS or not backend.supports_defer:
        return  # the sweeper command takes it from here
    delay = timedelta(minutes=2**attempts)
    task_function.using(run_after=timezone.now() + delay).enqueue(lead_id)


def _claim(rows: QuerySet, claimed_field: str) -> list[int]:
    """Claim the rows not claimed (or whose claim lapsed) for one send, and commit.

    The rows are locked only for this short transaction; a second worker waits
    for it, then sees them claimed."""
    lapsed = timezone.now() - CLAIM_LEASE
    claimable = Q(**{f"{claimed_field}__isnull": True}) | Q(**{f"{claimed_field}__lt": lapsed})
    with transaction.atomic():
        pks = list(
            rows.filter(claimable).select_for_update().order_by("pk").values_list("pk", flat=True)
        )
        rows.model.objects.filter(pk__in=pks).update(**{claimed_field: timezone.now()})
    return pks


def refused_for_good(error: Exception) -> bool:
    """The mail server refused the recipient itself (5xx): sending again cannot help."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return bool(error.recipients) and all(
            500 <= code < 600 for code, _ in error.recipients.values()
        )
    return False


def failure_kind(error: Exception) -> str:
    """What went wrong, for logs and the task queue: the kind and SMTP codes, no text
    (a mail server's message quotes the address)."""
    codes = []
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = sorted({code for code, _ in error.recipients.values()})
    elif isinstance(error, smtplib.SMTPResponseException):
        codes = [error.smtp_code]
    return type(error).__name__ + (f" {'/'.join(map(str, codes))}" if codes else "")


def _failed(what: str, attempts: int, error: Exception) -> "NotificationFailed":
    """A send that failed for now: logged, and the error to raise (`from None`, so
    the task queue keeps no trace of the server's text either), by kind and code only."""
    kind = failure_kind(error)
    logger.warning("%s failed (attempt %s): %s", what, attempts, kind)
    return NotificationFailed(f"{what} not sent ({kind}), retry scheduled")


def describe_for_email(inquiries: list[Inquiry]) -> None:
    """Give each inquiry what an email says of it in words: role titles and the market's name."""
    codes = {inquiry.context_area for inquiry in inquiries if inquiry.context_area}
    markets = dict(Area.objects.filter(code__in=codes).values_list("code", "title"))
    for inquiry in inquiries:
        inquiry.role_titles = [role.title for role in inquiry.roles.all()]
        inquiry.market_title = markets.get(inquiry.context_area, "")
        # What the employer was reading when they asked, in words: role, level, market.
        inquiry.looking_at = ", ".join(
            part
            for part in (
                inquiry.context_role.title if inquiry.context_role else "",
                inquiry.get_context_seniority_display() if inquiry.context_seniority else "",
                inquiry.market_title,
            )
            if part
        )


@task
def notify_lead(lead_id: int) -> int:
    """Tell the assigned recruiter and the leads inbox about new inquiries."""
    lead = Lead.objects.select_related("assigned_to").get(pk=lead_id)
    if lead.is_spam or lead.erased_at:  # erased before it went: nobody to tell about
        return 0
    recipients = [
        address
        for address in (
            lead.assigned_to.email if lead.assigned_to else "",
            settings.LEADS_NOTIFY_EMAIL,
        )
        if address
    ]
    if not recipients:
        if lead.inquiries.filter(notified_at__isnull=True).exists():
            logger.warning("Lead #%s: nobody to notify yet", lead.pk)
        return 0
    claimed = _claim(lead.inquiries.filter(notified_at__isnull=True), "notification_claimed_at")
    if not claimed:
        return 0
    pending = list(Inquiry.objects.filter(pk__in=claimed).prefetch_related("roles"))
    describe_for_email(pending)
    context = {
        "lead": lead,
        "inquiries": pending,
        "is_new": lead.inquiries.count() == len(pending),
        "admin_url": settings.PORTAL_BASE_URL + reverse("admin:leads_lead_change", args=[lead.pk]),
    }
    sent = Inquiry.objects.filter(pk__in=claimed)
    try:
        _email("lead_notification", context, to=recipients, reply_to=[lead.email]).send()
    except Exception as error:
        sent.update(
            notification_claimed_at=None, notification_attempts=F("notification_attempts") + 1
        )
        attempts = max(inquiry.notification_attempts for inquiry in pending) + 1
        _retry_later(notify_lead, lead_id, attempts)
        raise _failed(f"Lead #{lead_id}: notification", attempts, error) from None
    sent.update(notified_at=timezone.now(), notification_claimed_at=None)
    return len(pending)


def reply_to(lead: Lead) -> list[str]:
    """Where an employer's reply to the confirmation goes: their recruiter, else the inbox."""
    address = (lead.assigned_to.email if lead.assigned_to else "") or settings.LEADS_NOTIFY_EMAIL
    return [address] if address else []


@task
def confirm_inquiries(lead_id: int) -> int:
    """Confirm to the employer that each of their inquiries has arrived."""
    lead = Lead.objects.select_related("assigned_to").get(pk=lead_id)
    if lead.is_spam or lead.erased_at or lead.email_refused_at:
        return 0
    claimed = _claim(
        lead.inquiries.filter(confirmation_sent_at__isnull=True), "confirmation_claimed_at"
    )
    sent = 0
    for inquiry in Inquiry.objects.filter(pk__in=claimed).prefetch_related("roles"):
        this = Inquiry.objects.filter(pk=inquiry.pk)
        roles = [role.title for role in inquiry.roles.all()]
        context = {"lead": lead, "inquiry": inquiry, "roles": roles}
        try:
            _email("confirmation", context, to=[lead.email], reply_to=reply_to(lead)).send()
        except Exception as error:
            # Give back this claim and those not tried yet: the retry sends them all.
            Inquiry.objects.filter(pk__in=claimed, confirmation_sent_at__isnull=True).update(
                confirmation_claimed_at=None
            )
            this.update(confirmation_attempts=F("confirmation_attempts") + 1)
            attempts = inquiry.confirmation_attempts + 1
            if refused_for_good(error):
                lead.refuse_email()
                logger.warning(
                    "Lead #%s: confirmation refused for good (%s): address flagged on the lead",
                    lead.pk,
                    failure_kind(error),
                )
                return sent
            _retry_later(confirm_inquiries, lead_id, attempts)
            raise _failed(f"Lead #{lead_id}: confirmation", attempts, error) from None
        this.update(confirmation_sent_at=timezone.now(), confirmation_claimed_at=None)
        sent += 1
    return sent


@task
def send_lead_email(activity_id: int) -> int:
    """Send an email a recruiter wrote to a lead (logged on the lead as an Activity).

    From the site's address, Reply-To the recruiter, so answers reach them."""
    if not _claim(Activity.objects.filter(pk=activity_id).emails_to_send(), "send_claimed_at"):
        return 0  # sent already, being sent, or erased before it went
    email = Activity.objects.select_related("actor", "lead").get(pk=activity_id)
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text,
        to=[email.recipient],
        reply_to=[email.actor.email] if email.actor and email.actor.email else [],
    )
    this = Activity.objects.filter(pk=activity_id)
    try:
        message.send()
    except Exception as error:
        this.update(send_claimed_at=None, send_attempts=F("send_attempts") + 1)
        attempts = email.send_attempts + 1
        if refused_for_good(error):
            email.lead.refuse_email()
            logger.warning(
                "Email #%s to lead #%s refused for good (%s): address flagged on the lead",
                email.pk,
                email.lead_id,
                failure_kind(error),
            )
            return 0
        _retry_later(send_lead_email, activity_id, attempts)
        raise _failed(f"Email #{activity_id} to lead #{email.lead_id}", attempts, error) from None
    this.update(sent_at=timezone.now(), send_claimed_at=None)
    return 1


@task
def send_digest(user_id: int) -> int:
    """A recruiter's daily digest (their My work), once a day, only when it has something.

    The day is claimed before the mail server is called, so two workers never
    both send it; a failed send gives the claim back."""
    user = recruiters().filter(pk=user_id).first()
    if user is None or not user.email:
        return 0
    work = my_work(user=user)
    if work.is_empty:
        return 0
    today = timezone.localdate()
    profile, _ = RecruiterProfile.objects.get_or_create(user=user)
    previous = profile.digest_sent_on
    claimed = (
        RecruiterProfile.objects.filter(pk=profile.pk)
        .exclude(digest_sent_on=today)
        .update(digest_sent_on=today)
    )
    if not claimed:
        return 0
    context = {
        "user": user,
        "work": work,
        "today": today,
        "base_url": settings.PORTAL_BASE_URL,
    }
    try:
        _email("digest", context, to=[user.email]).send()
    except Exception as error:
        RecruiterProfile.objects.filter(pk=profile.pk).update(digest_sent_on=previous)
        logger.warning("Digest for user #%s failed: %s", user_id, failure_kind(error))
        raise NotificationFailed(
            f"Digest for user #{user_id} not sent ({failure_kind(error)})"
        ) from None
    return 1


class NotificationFailed(Exception):
    pass
