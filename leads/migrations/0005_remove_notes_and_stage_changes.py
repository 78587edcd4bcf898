from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """Notes and stage changes now live in the lead's timeline (Activity): the old
    tables go, and a lost lead must say why in a category."""

    dependencies = [
        ("leads", "0004_move_history_into_the_timeline"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveField(
            model_name='leadnote',
            name='author',
        ),
        migrations.RemoveField(
            model_name='leadnote',
            name='lead',
        ),
        migrations.RemoveField(
            model_name='stagechange',
            name='changed_by',
        ),
        migrations.RemoveField(
            model_name='stagechange',
            name='lead',
        ),
        migrations.AddConstraint(
            model_name='lead',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('stage', 'lost'), _negated=True), models.Q(('lost_category', ''), _negated=True), _connector='OR'), name='lead_lost_needs_category', violation_error_message='Say why the lead was lost.'),
        ),
        migrations.DeleteModel(
            name='LeadNote',
        ),
        migrations.DeleteModel(
            name='StageChange',
        ),
    ]
