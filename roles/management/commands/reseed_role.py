from django.core.management.base import BaseCommand, CommandError

from roles.models import Role
from roles.seeding import seed_template_diff, seed_template_resync


class Command(BaseCommand):
    help = (
        "Make one role template's draft what the seed (fixtures/roles.json) says, on "
        "purpose: shows the differences first and asks before changing anything. The "
        "draft's current state stays in its history; the public page changes only when "
        "an editor publishes."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The template's slug, e.g. nlp-engineer.")
        parser.add_argument(
            "--yes", action="store_true", help="Re-sync without asking (after showing the diff)."
        )

    def handle(self, *args, slug, yes, **options):
        try:
            changes = seed_template_diff(slug)
        except KeyError as error:
            raise CommandError(error.args[0]) from None
        except Role.DoesNotExist:
            raise CommandError(
                f"No template {slug!r} in the database: `manage.py seed_roles` adds it."
            ) from None
        if not changes:
            self.stdout.write(f"{slug}: the draft already says what the seed says.")
            return
        self.stdout.write(f"Re-syncing {slug} from the seed would change its draft:\n")
        self.stdout.write(render(changes))
        if not yes and input("\nReplace the draft with the seed? [y/N] ").strip().lower() != "y":
            self.stdout.write("Nothing changed.")
            return
        seed_template_resync(slug)
        self.stdout.write(
            self.style.SUCCESS(
                f"{slug}: the draft is the seed's again (its previous state is in its "
                "history). Preview and publish it in the admin."
            )
        )


def render(changes) -> str:
    lines = []
    for change in changes.fields:
        lines += [f"  {change.label}:", f"    - {change.old}", f"    + {change.new}"]
    for section in changes.sections:
        lines.append(f"  {section.label}:")
        marks = {"delete": "-", "insert": "+", "equal": " "}
        lines += [f"    {marks[kind]} {text}" for kind, text in section.lines]
    if changes.skills_removed or changes.skills_added:
        lines.append("  Skills:")
        lines += [f"    - {name}" for name in changes.skills_removed]
        lines += [f"    + {name}" for name in changes.skills_added]
    return "\n".join(lines)
