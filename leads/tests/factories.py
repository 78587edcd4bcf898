import importlib

from django.contrib.auth.models import Group, Permission

# The data migration that creates the group holds the list of its permissions.
recruiters_migration = importlib.import_module("leads.migrations.0002_recruiters_group")


def recruiters_group() -> Group:
    """The Recruiters group as its migration makes it.

    Tests that run outside a transaction flush the database afterwards, and the
    groups made by data migrations go with it; this puts it back when needed."""
    group, created = Group.objects.get_or_create(name=recruiters_migration.RECRUITERS)
    if created:
        group.permissions.set(
            [
                Permission.objects.get(content_type__app_label=app, codename=codename)
                for app, codename in recruiters_migration.PERMISSIONS
            ]
        )
    return group
