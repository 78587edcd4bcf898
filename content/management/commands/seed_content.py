from django.core.management.base import BaseCommand

from content.seeding import SLUG, seed_insights


class Command(BaseCommand):
    help = (
        "Insert the agency page's overview as an Insights article, once: never over an "
        "article already at its address. Run after seed_roles (it links the role)."
    )

    def handle(self, *args, **options):
        article = seed_insights()
        if article:
            self.stdout.write(f"Seeded the article /insights/{SLUG}/.")
        else:
            self.stdout.write(f"An article is already at /insights/{SLUG}/: left as it is.")
