"""Emails about leads, sent after the lead is committed, outside the request.

Tasks carry only a lead id: no personal data in the task queue. A stamp on each
inquiry (taken under a row lock) makes a second send impossible; a failed send
is retried with backoff, and `manage.py send_pending_notifications` sweeps up
whatever is still unsent.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.tasks import task, task_backends
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from leads.models import Activity, Inquiry, Lead, RecruiterProfile, recruiters
from leads.services.reports import my_work
from roles.models import Area

logger = logging.getLogger(__name__)


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


def describe_for_email(inquiries: list[Inquiry]) -> None:
    """Give each inquiry what an email says of it in words: role titles and the market's name."""
    codes = {inquiry.context_area for inquiry in inquiries if inquiry.context_area}
    markets = dict(Area.objects.filter(code__in=codes).values_list("code", "title"))
    for inquiry in inquiries:
        inquiry.role_titles = [role.title for role in inquiry.roles.all()]
        inquiry.market_title = markets.get(inquiry.context_area, "")


@task
def notify_lead(lead_id: int) -> int:
    """Tell the assigned recruiter and the leads inbox about new inquiries."""
    with transaction.atomic():
        lead = (
            Lead.objects.select_for_update(of=("self",))
            .select_related("assigned_to")
            .get(pk=lead_id)
        )
        pending = list(lead.inquiries.filter(notified_at__isnull=True).prefetch_related("roles"))
        describe_for_email(pending)
        recipients = [
            address
            for address in (
                lead.assigned_to.email if lead.assigned_to else "",
                settings.LEADS_NOTIFY_EMAIL,
            )
            if address
        ]
        if lead.is_spam or not pending:
            return 0
        if not recipients:
            logger.warning("Lead #%s: nobody to notify yet", lead.pk)
            return 0
        context = {
            "lead": lead,
            "inquiries": pending,
            "is_new": lead.inquiries.count() == len(pending),
            "admin_url": settings.PORTAL_BASE_URL
            + reverse("admin:leads_lead_change", args=[lead.pk]),
        }
        try:
            _email("lead_notification", context, to=recipients, reply_to=[lead.email]).send()
        except Exception:
            Inquiry.objects.filter(pk__in=[i.pk for i in pending]).update(
                notification_attempts=F("notification_attempts") + 1
            )
            attempts = max(i.notification_attempts for i in pending) + 1
            transaction.on_commit(lambda: _retry_later(notify_lead, lead_id, attempts))
            logger.exception("Lead #%s: notification failed (attempt %s)", lead.pk, attempts)
            failed = True
        else:
            Inquiry.objects.filter(pk__in=[i.pk for i in pending]).update(
                notified_at=timezone.now()
            )
            failed = False
    if failed:
        raise NotificationFailed(f"Lead #{lead_id}: notification not sent, retry scheduled")
    return len(pending)


def reply_to(lead: Lead) -> list[str]:
    """Where an employer's reply to the confirmation goes: their recruiter, else the inbox."""
    address = (lead.assigned_to.email if lead.assigned_to else "") or settings.LEADS_NOTIFY_EMAIL
    return [address] if address else []


@task
def confirm_inquiries(lead_id: int) -> int:
    """Confirm to the employer that each of their inquiries has arrived."""
    lead = Lead.objects.select_related("assigned_to").get(pk=lead_id)
    if lead.is_spam or lead.erased_at:
        return 0
    sent = 0
    for inquiry_id in lead.inquiries.filter(confirmation_sent_at__isnull=True).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            inquiry = Inquiry.objects.select_for_update().get(pk=inquiry_id)
            if inquiry.confirmation_sent_at:
                continue  # another worker sent it meanwhile
            roles = [role.title for role in inquiry.roles.all()]
            context = {"lead": lead, "inquiry": inquiry, "roles": roles}
            _email("confirmation", context, to=[lead.email], reply_to=reply_to(lead)).send()
            inquiry.confirmation_sent_at = timezone.now()
            inquiry.save(update_fields=["confirmation_sent_at"])
        sent += 1
    return sent


@task
def send_lead_email(activity_id: int) -> int:
    """Send an email a recruiter wrote to a lead (logged on the lead as an Activity).

    From the site's address, Reply-To the recruiter, so answers reach them."""
    with transaction.atomic():
        email = (
            Activity.objects.select_for_update(of=("self",))
            .select_related("actor")
            .filter(pk=activity_id)
            .emails_to_send()
            .first()
        )
        if email is None:
            return 0  # sent already, or erased before it went
        message = EmailMultiAlternatives(
            subject=email.subject,
            body=email.text,
            to=[email.recipient],
            reply_to=[email.actor.email] if email.actor and email.actor.email else [],
        )
        try:
            message.send()
        except Exception:
            email.send_attempts += 1
            email.save(update_fields=["send_attempts"])
            attempts = email.send_attempts
            transaction.on_commit(lambda: _retry_later(send_lead_email, activity_id, attempts))
            logger.exception(
                "Email #%s to lead #%s failed (attempt %s)", email.pk, email.lead_id, attempts
            )
            failed = True
        else:
            email.sent_at = timezone.now()
            email.save(update_fields=["sent_at"])
            failed = False
    if failed:
        raise NotificationFailed(f"Email #{activity_id} not sent, retry scheduled")
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
    except Exception:
        RecruiterProfile.objects.filter(pk=profile.pk).update(digest_sent_on=previous)
        logger.exception("Digest for user #%s failed", user_id)
        raise
    return 1


class NotificationFailed(Exception):
    pass
