from django.contrib.auth.management import create_permissions
from django.db import migrations

RECRUITERS = "Recruiters"
# Recruiters run the pipeline: they see and change leads, write notes, and may
# erase or export on request. They delete nothing, and see no role editing.
PERMISSIONS = [
    ("leads", "view_lead"),
    ("leads", "change_lead"),
    ("leads", "erase_lead"),
    ("leads", "export_lead"),
    ("leads", "view_inquiry"),
    ("leads", "view_leadnote"),
    ("leads", "add_leadnote"),
    ("leads", "view_stagechange"),
    ("leads", "view_recruiterprofile"),
    ("roles", "view_role"),
]


def create_recruiters_group(apps, schema_editor):
    for label in ("leads", "roles"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=RECRUITERS)
    group.permissions.set(
        [
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in PERMISSIONS
        ]
    )


def remove_recruiters_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=RECRUITERS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("leads", "0001_lead_pipeline"),
        ("roles", "0002_editors_group"),
    ]

    operations = [migrations.RunPython(create_recruiters_group, remove_recruiters_group)]
