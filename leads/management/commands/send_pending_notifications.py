from django.core.management.base import BaseCommand

from leads import tasks
from leads.models import Activity, Lead


class Command(BaseCommand):
    help = (
        "Send every lead notification, employer confirmation and recruiter's email to a lead "
        "that has not gone out "
        "(after a mail outage, or once retries gave up). Safe to run at any time, e.g. "
        "from cron every few minutes: a stamp on each inquiry prevents a second send."
    )

    def handle(self, *args, **options):
        notified = confirmed = emailed = failed = 0
        for lead_id in Lead.objects.needing_notification().values_list("pk", flat=True):
            try:
                notified += tasks.notify_lead.call(lead_id)
            except Exception:
                failed += 1
        for lead_id in Lead.objects.needing_confirmation().values_list("pk", flat=True):
            try:
                confirmed += tasks.confirm_inquiries.call(lead_id)
            except Exception:
                failed += 1
        for email_id in Activity.objects.emails_to_send().values_list("pk", flat=True):
            try:
                emailed += tasks.send_lead_email.call(email_id)
            except Exception:
                failed += 1
        self.stdout.write(
            f"Notified {notified} inquiries, confirmed {confirmed}, sent {emailed} email(s) to "
            f"leads; {failed} still failing."
        )
        if failed:
            raise SystemExit(1)
