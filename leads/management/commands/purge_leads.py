from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from leads.services.privacy import drafts_purge, leads_purge


class Command(BaseCommand):
    help = (
        "Retention. Erase the personal data of closed (won or lost) leads created more "
        "than LEADS_RETENTION_DAYS ago (or --older-than DAYS); they stay in the figures. "
        "With --spam, delete quarantined spam older than LEADS_SPAM_RETENTION_DAYS instead. "
        "Without --spam it also deletes job descriptions saved in the builder and not saved "
        "again for BUILDER_DRAFT_RETENTION_DAYS. "
        "The privacy notice states the same settings, so run it without --older-than."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than", type=int, metavar="DAYS", help="Override the retention setting."
        )
        parser.add_argument("--spam", action="store_true", help="Delete old quarantined spam.")

    def handle(self, *args, older_than, spam, **options):
        if older_than is None:
            older_than = (
                settings.LEADS_SPAM_RETENTION_DAYS if spam else settings.LEADS_RETENTION_DAYS
            )
        if older_than < 1:
            raise CommandError("--older-than must be at least 1 day.")
        count = leads_purge(older_than_days=older_than, spam_only=spam)
        what = "spam lead(s) deleted" if spam else "closed lead(s) erased"
        self.stdout.write(f"{count} {what} (older than {older_than} days).")
        if not spam:
            drafts = drafts_purge()
            days = settings.BUILDER_DRAFT_RETENTION_DAYS
            self.stdout.write(
                f"{drafts} saved job description(s) deleted (unsaved for {days} days)."
            )
