"""One open lead per email, held by the database.

A separate migration from the merge in 0007: on PostgreSQL the merge's updates
leave deferred foreign-key checks pending, and an index cannot be built on a
table with pending trigger events in the same transaction.
"""

import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("leads", "0007_merge_duplicate_open_leads"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="lead",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("email"),
                condition=models.Q(
                    ("erased_at__isnull", True),
                    ("is_spam", False),
                    ("stage__in", ["new", "contacted", "qualified", "proposal"]),
                ),
                name="lead_one_open_lead_per_email",
                violation_error_message="This email has another open lead.",
            ),
        ),
    ]
