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

from leads.models import Inquiry, Lead

logger = logging.getLogger(__name__)


def _email(template: str, context: dict, *, to: list[str], reply_to: list[str] = ()):
    subject = render_to_string(f"leads/email/{template}_subject.txt", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),  # one line, whatever the template holds
        body=render_to_string(f"leads/email/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
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


@task
def confirm_inquiries(lead_id: int) -> int:
    """Confirm to the employer that each of their inquiries has arrived."""
    lead = Lead.objects.get(pk=lead_id)
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
            context = {"lead": lead, "inquiry": inquiry, "roles": list(inquiry.roles.all())}
            _email("confirmation", context, to=[lead.email]).send()
            inquiry.confirmation_sent_at = timezone.now()
            inquiry.save(update_fields=["confirmation_sent_at"])
        sent += 1
    return sent


class NotificationFailed(Exception):
    pass
