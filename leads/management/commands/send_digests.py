from django.core.management.base import BaseCommand

from leads.services.digest import digests_enqueue


class Command(BaseCommand):
    help = (
        "Queue today's digest for every recruiter: their overdue and due-today next steps, "
        "new and stale leads. Run daily from cron (e.g. 07:30 site time). Nobody gets two "
        "in a day, and nobody gets one with nothing in it."
    )

    def handle(self, *args, **options):
        count = digests_enqueue()
        self.stdout.write(f"Digests queued for {count} recruiter(s).")
