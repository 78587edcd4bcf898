from django.core.management.base import BaseCommand

from leads import tasks
from leads.models import Activity, Lead
from portal.queue import reclaim_abandoned_tasks


class Command(BaseCommand):
    help = (
        "Send every lead notification, employer confirmation and recruiter's email to a lead "
        "that has not gone out (after a mail outage, or once retries gave up). Safe to run at "
        "any time, e.g. from cron every few minutes: each email is claimed before it is sent "
        "and stamped once it is. Exits 1 while some still fail, naming each; an address the "
        "mail server refuses for good is flagged on its lead instead, and is not a failure."
    )

    def handle(self, *args, **options):
        reclaimed = reclaim_abandoned_tasks()
        if reclaimed:  # their emails are sent below, if still unsent
            self.stderr.write(f"Reclaimed {reclaimed} task(s) a dead worker left running.")
        self.failed = 0
        notified = self.run_each(tasks.notify_lead, Lead.objects.needing_notification())
        confirmed = self.run_each(tasks.confirm_inquiries, Lead.objects.needing_confirmation())
        emailed = self.run_each(tasks.send_lead_email, Activity.objects.emails_to_send())
        refused = Lead.objects.filter(email_refused_at__isnull=False, erased_at__isnull=True)
        self.stdout.write(
            f"Notified {notified} inquiries, confirmed {confirmed}, sent {emailed} email(s) to "
            f"leads; {self.failed} still failing; {refused.count()} lead(s) flagged with an "
            "address the mail server refused."
        )
        if self.failed:
            raise SystemExit(1)

    def run_each(self, task_function, rows) -> int:
        """Run the task for each row, in this process; say which fail and why."""
        done = 0
        for pk in rows.values_list("pk", flat=True):
            try:
                done += task_function.call(pk)
            except tasks.NotificationFailed as error:
                self.failed += 1
                self.stderr.write(str(error))  # the row and the kind of failure, no address
            except Exception as error:
                self.failed += 1
                self.stderr.write(f"{task_function.name} #{pk}: {tasks.failure_kind(error)}")
        return done
