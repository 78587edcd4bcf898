"""Deploy checks for what Django's own `check --deploy` does not cover.

Run with `manage.py check --deploy --fail-level WARNING`; each one guards a line
of the security bar that a wrong environment variable would silently break.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.utils.csp import CSP

CSP_MIDDLEWARE = "django.middleware.csp.ContentSecurityPolicyMiddleware"
UNSAFE_SOURCES = {CSP.UNSAFE_INLINE, CSP.UNSAFE_EVAL, CSP.UNSAFE_HASHES, "*", "http:", "https:"}
NOT_SHARED_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}
NOT_REAL_TASK_BACKENDS = {
    "django.tasks.backends.immediate.ImmediateBackend",
    "django.tasks.backends.dummy.DummyBackend",
}
NOT_REAL_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}
MAX_SESSION_IDLE = 2 * 60 * 60
MAX_SESSION_ABSOLUTE = 12 * 60 * 60
AXES_BACKEND = "axes.backends.AxesStandaloneBackend"
AXES_MIDDLEWARE = "axes.middleware.AxesMiddleware"


@register(Tags.security, deploy=True)
def check_csp_enforced(app_configs, **kwargs):
    policy = settings.SECURE_CSP
    problems = []
    if CSP_MIDDLEWARE not in settings.MIDDLEWARE:
        problems.append(f"{CSP_MIDDLEWARE} is not in MIDDLEWARE")
    if policy.get("default-src") != [CSP.NONE]:
        problems.append("default-src is not 'none'")
    for directive in ("script-src", "style-src", "object-src", "base-uri", "frame-ancestors"):
        if directive not in policy:
            problems.append(f"{directive} is missing")
    for directive, sources in policy.items():
        if isinstance(sources, list | tuple | set) and UNSAFE_SOURCES.intersection(sources):
            problems.append(f"{directive} allows an unsafe source")
    return [
        Warning(
            f"The enforced Content-Security-Policy is weaker than required: {problem}.",
            hint="Keep SECURE_CSP as portal/settings.py defines it.",
            id="portal.W001",
        )
        for problem in problems
    ]


@register(Tags.security, deploy=True)
def check_host_prefixed_cookies(app_configs, **kwargs):
    names = {
        "SESSION_COOKIE_NAME": settings.SESSION_COOKIE_NAME,
        "CSRF_COOKIE_NAME": settings.CSRF_COOKIE_NAME,
    }
    return [
        Warning(
            f"{setting} should start with '__Host-' so that no subdomain can set it.",
            id="portal.W002",
        )
        for setting, name in names.items()
        if not name.startswith("__Host-")
    ]


@register(Tags.security, deploy=True)
def check_session_lifetime(app_configs, **kwargs):
    warnings = []
    if settings.SESSION_COOKIE_AGE > MAX_SESSION_IDLE or not settings.SESSION_SAVE_EVERY_REQUEST:
        warnings.append(
            Warning(
                "Idle staff sessions stay open for more than 2 hours.",
                hint="Lower DJANGO_SESSION_IDLE_TIMEOUT (seconds).",
                id="portal.W003",
            )
        )
    if settings.SESSION_ABSOLUTE_TIMEOUT > MAX_SESSION_ABSOLUTE:
        warnings.append(
            Warning(
                "Staff sessions last longer than 12 hours.",
                hint="Lower DJANGO_SESSION_ABSOLUTE_TIMEOUT (seconds).",
                id="portal.W003",
            )
        )
    return warnings


@register(Tags.security, deploy=True)
def check_login_throttling(app_configs, **kwargs):
    installed = (
        "axes" in settings.INSTALLED_APPS
        and settings.MIDDLEWARE[-1:] == [AXES_MIDDLEWARE]
        and settings.AUTHENTICATION_BACKENDS[:1] == [AXES_BACKEND]
        and getattr(settings, "AXES_ENABLED", True)
    )
    if not installed:
        return [
            Warning(
                "Staff logins are not throttled: django-axes is not fully installed.",
                hint=f"{AXES_BACKEND} first in AUTHENTICATION_BACKENDS, "
                f"{AXES_MIDDLEWARE} last in MIDDLEWARE.",
                id="portal.W007",
            )
        ]
    return []


@register(Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    if settings.CACHES["default"]["BACKEND"] in NOT_SHARED_CACHES:
        return [
            Warning(
                "The default cache is not shared between server processes, so rate limits "
                "and readiness checks only see one process.",
                hint="Set REDIS_URL.",
                id="portal.W004",
            )
        ]
    return []


@register(deploy=True)
def check_real_task_backend(app_configs, **kwargs):
    if not settings.DEBUG and settings.TASKS["default"]["BACKEND"] in NOT_REAL_TASK_BACKENDS:
        return [
            Warning(
                "Tasks run in the web request or not at all; notifications would be lost "
                "or slow down pages.",
                hint="Use django_tasks_db.DatabaseBackend and run `make worker`.",
                id="portal.W005",
            )
        ]
    return []


@register(deploy=True)
def check_real_email_backend(app_configs, **kwargs):
    backend = settings.MAILERS.get("default", {}).get("BACKEND")
    if not settings.DEBUG and backend in NOT_REAL_EMAIL_BACKENDS:
        return [
            Warning(
                "Email is not sent anywhere: lead notifications would never arrive.",
                hint="Set EMAIL_URL (or EMAIL_HOST and friends).",
                id="portal.W006",
            )
        ]
    return []


LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]")


@register(deploy=True)
def check_addresses_people_see(app_configs, **kwargs):
    """Emails go out from DEFAULT_FROM_EMAIL and link to PORTAL_BASE_URL: neither may
    be this machine's, or leads get mail from no-reply@localhost and dead links."""
    problems = []
    if settings.DEFAULT_FROM_EMAIL.rstrip(">").endswith(tuple(f"@{h}" for h in LOCAL_HOSTS)):
        problems.append(("DEFAULT_FROM_EMAIL", settings.DEFAULT_FROM_EMAIL))
    if urlsplit(settings.PORTAL_BASE_URL).hostname in ("localhost", "127.0.0.1", "::1"):
        problems.append(("PORTAL_BASE_URL", settings.PORTAL_BASE_URL))
    if settings.DEBUG or not problems:
        return []
    return [
        Warning(
            f"{name} is {value!r}: emails would come from, or link to, this machine.",
            hint=f"Set {name} to the agency's own address.",
            id="portal.W008",
        )
        for name, value in problems
    ]


AGENCY_SETTINGS = {
    "AGENCY_PHONE": "PORTAL_PHONE",
    "AGENCY_ADDRESS": "PORTAL_ADDRESS",
    "AGENCY_PRIVACY_EMAIL": "PORTAL_PRIVACY_EMAIL",
}


@register(deploy=True)
def check_agency_details(app_configs, **kwargs):
    """The site promises "call today" and a privacy contact: the pages can only show
    the phone, office and privacy address the environment gives them."""
    if settings.DEBUG:
        return []
    return [
        Warning(
            f"{variable} is not set: the footer, contact pages, emails and privacy "
            "notice leave it out.",
            hint=f"Set {variable} to the agency's own (see .env.example).",
            id="portal.W010",
        )
        for name, variable in AGENCY_SETTINGS.items()
        if not getattr(settings, name)
    ]


@register(Tags.security, Tags.database, deploy=True)
def check_staff_second_factor(app_configs, databases=None, **kwargs):
    """Every active staff account has its authenticator app set up. It reads the
    database, so it runs when asked to: `check --deploy --database default`."""
    if not databases:
        return []
    from portal.two_factor import staff_without_second_factor

    missing = list(staff_without_second_factor().values_list("username", flat=True)[:20])
    if not missing:
        return []
    return [
        Warning(
            f"Staff accounts without a second factor: {', '.join(missing)}.",
            hint="Each signs in once and sets up an authenticator app (the admin asks them "
            "to); until then a password alone stands between the pipeline and anyone "
            "who guesses it.",
            id="portal.W009",
        )
    ]
