from django.contrib.auth.management import create_permissions
from django.db import migrations

RECRUITERS = "Recruiters"
# Recruiters edit their own public profile; choosing the markets they cover reads
# the BLS areas (public data) through the admin's autocomplete.
PERMISSIONS = [("leads", "change_own_profile"), ("roles", "view_area")]


# By primary key: in a backward plan over several apps, the historical Permission
# class here is not the one the group's relation expects.
def grant(apps, schema_editor):
    for label in ("leads", "roles"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=RECRUITERS)
    group.permissions.add(
        *[
            Permission.objects.get(content_type__app_label=app, codename=codename).pk
            for app, codename in PERMISSIONS
        ]
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=RECRUITERS).first()
    if group:
        group.permissions.remove(
            *Permission.objects.filter(
                codename__in=[codename for _, codename in PERMISSIONS],
                content_type__app_label__in=["leads", "roles"],
            ).values_list("pk", flat=True)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("leads", "0012_recruiters_public_profiles"),
        ("roles", "0006_skill_slug_redirects"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
