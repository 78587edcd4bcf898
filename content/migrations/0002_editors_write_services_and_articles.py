from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"
# Editors write the service pages and the insights articles, as they do role templates.
EDITED_MODELS = ["servicepage", "article"]
ACTIONS = ["add", "change", "delete", "view"]
CODENAMES = [f"{action}_{model}" for model in EDITED_MODELS for action in ACTIONS]


# By primary key: in a backward plan over several apps, the historical Permission
# class here is not the one the group's relation expects.
def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; make them now.
    app_config = apps.get_app_config("content")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    editors.permissions.add(
        *Permission.objects.filter(content_type__app_label="content", codename__in=CODENAMES).values_list("pk", flat=True)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for editors in Group.objects.filter(name=EDITORS):
        editors.permissions.remove(
            *Permission.objects.filter(content_type__app_label="content", codename__in=CODENAMES).values_list("pk", flat=True)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0001_services_and_articles"),
        ("roles", "0002_editors_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
