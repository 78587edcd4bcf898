"""Fold the open leads that share an email into one, before 0008 makes that a rule.

Parallel submissions could open several leads for one person; each such group
is folded into its oldest lead (inquiries and timeline moved over, the most
hires kept), as `leads.services.pipeline.lead_merge` does from then on.
"""

from django.conf import settings
from django.db import migrations, models
from django.db.models import Count
from django.db.models.functions import Lower
from django.utils import timezone

OPEN_STAGES = ["new", "contacted", "qualified", "proposal"]


def merge_duplicate_open_leads(apps, schema_editor):
    Lead = apps.get_model("leads", "Lead")
    Activity = apps.get_model("leads", "Activity")
    Inquiry = apps.get_model("leads", "Inquiry")
    counted = Lead.objects.filter(
        stage__in=OPEN_STAGES, is_spam=False, erased_at__isnull=True
    ).annotate(email_lower=Lower("email"))
    duplicated = (
        counted.values("email_lower").annotate(n=Count("pk")).filter(n__gt=1).values("email_lower")
    )
    for email_lower in duplicated.values_list("email_lower", flat=True):
        keep, *others = counted.filter(email_lower=email_lower).order_by("created_at", "pk")
        for other in others:
            moved = Inquiry.objects.filter(lead=other).update(lead=keep)
            Activity.objects.filter(lead=other).update(lead=keep)
            keep.hires = max(keep.hires, other.hires)
            number = other.pk
            other.delete()
            Activity.objects.create(
                lead=keep,
                kind="merged",
                at=timezone.now(),
                text=f"Lead #{number} (same email) joined this one with "
                f"{moved} {'inquiry' if moved == 1 else 'inquiries'}.",
            )
        keep.save(update_fields=["hires"])


class Migration(migrations.Migration):
    dependencies = [
        ("leads", "0006_email_sent_once"),
        ("roles", "0004_editors_import_wages"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="activity",
            name="kind",
            field=models.CharField(
                choices=[
                    ("note", "Note"),
                    ("stage", "Stage change"),
                    ("assigned", "Assignment"),
                    ("next_step_set", "Next step set"),
                    ("next_step_done", "Next step done"),
                    ("email", "Email to the lead"),
                    ("details", "Details changed"),
                    ("spam", "Marked as spam"),
                    ("not_spam", "Released from spam"),
                    ("erased", "Personal data erased"),
                    ("merged", "Merged"),
                ],
                max_length=20,
            ),
        ),
        migrations.RunPython(merge_duplicate_open_leads, migrations.RunPython.noop),
    ]
