from django.core.management.base import BaseCommand

from roles.seeding import seed_library


class Command(BaseCommand):
    help = (
        "Insert the seed role library (fixtures/roles.json): only families, skills and "
        "templates whose slug is absent. Never changes what is already there."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"Seed library: {seed_library()}")
