from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self):
        # Registers the project's own deploy checks.
        from portal import checks  # noqa: F401
