from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"
    default = True

    def ready(self):
        # Registers the project's own deploy checks.
        from portal import checks  # noqa: F401


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin app, with the staff site of portal.admin_site."""

    default = False
    default_site = "portal.admin_site.PortalAdminSite"
