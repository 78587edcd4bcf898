from django.contrib.auth.management import create_permissions
from django.db import migrations

# Editors keep the salary data current: they browse it and import BLS files.
WAGE_PERMISSIONS = ["view_area", "view_occupationwage", "import_occupationwage"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("roles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        *Permission.objects.filter(content_type__app_label="roles", codename__in=WAGE_PERMISSIONS)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for editors in Group.objects.filter(name="Editors"):
        editors.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="roles", codename__in=WAGE_PERMISSIONS
            )
        )


class Migration(migrations.Migration):
    dependencies = [("roles", "0003_occupation_wages"), ("roles", "0002_editors_group")]

    operations = [migrations.RunPython(grant, revoke)]
