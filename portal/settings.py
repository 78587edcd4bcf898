"""Settings for the hiring portal: one file, every deployment difference from the environment.

With no environment at all this is a working local site only when DJANGO_DEBUG
is on (as `make run` sets it): SQLite in the project folder, local-memory cache,
console email, tasks run immediately. With DEBUG off, secrets and hosts must be
given, HTTPS is enforced and tasks go to the database queue. `.env.example`
documents every variable read here.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from portal.env import (
    LOCAL_CACHES,
    env_bool,
    env_email_server,
    env_int,
    env_list,
    env_str,
    redis_caches,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off. Generate one with: "
            'python -c "import secrets; print(secrets.token_urlsafe(50))"'
        )
    # Only ever used with DEBUG on, on a developer's machine.
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
if not ALLOWED_HOSTS and not DEBUG:
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS is required when DJANGO_DEBUG is off (comma-separated host names)."
    )
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "portal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    # Serve static files through WhiteNoise under runserver too, as in production.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_tasks_db",
    "axes",
    # Staff's second factor: an authenticator app (TOTP), passkeys, recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "reversion",
    "portal",
    "roles",
    "leads",
    "content",
]

MIDDLEWARE = [
    # Outermost: it sees the finished answer, after compression.
    "portal.middleware.HeadWithoutBodyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # HTML compressed (static files come compressed from WhiteNoise). Against BREACH:
    # the CSRF token, the one secret a page carries, is masked afresh on every
    # response, and Django pads each compressed body with random bytes.
    "django.middleware.gzip.GZipMiddleware",
    "portal.middleware.SecurityHeadersMiddleware",
    "portal.middleware.RejectNulBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): signed in with a second factor in this session.
    "django_otp.middleware.OTPMiddleware",
    # Before anything reads a request body (CSRF does), knowing who is signed in.
    "portal.middleware.RequestLimitsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "portal.middleware.SessionTimeoutMiddleware",
    "leads.attribution.AttributionMiddleware",
    # Last, as django-axes requires: answers a locked-out login with 429.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Database: PostgreSQL through DATABASE_URL, else embedded SQLite in the project folder.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 600), conn_health_checks=True
        )
    }
else:
    DATABASES = {
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers: WAL lets readers proceed during a write, IMMEDIATE takes
    # the write lock at BEGIN (no upgrade deadlocks), and the timeout waits for it.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when given (shared by every worker, as rate limits need), else per process.
# Nothing depends on the cache to work: every caller survives its errors, and a
# Redis that hangs is given up on within a quarter of a second.
REDIS_URL = env_str("REDIS_URL")
CACHES = redis_caches(REDIS_URL) if REDIS_URL else LOCAL_CACHES

# Background tasks: run in-process locally; a database queue drained by
# `manage.py run_worker` in production, so a slow mail server never delays a page.
if DEBUG:
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Shown in page titles, the header and emails.
SITE_NAME = env_str("PORTAL_SITE_NAME", "ML Talent Partners")
# The agency's own details, on every page's footer, the contact and thank-you pages,
# emails and the privacy notice (portal/agency.py). Unset ones are left off the
# pages, never made up; `check --deploy` names them.
AGENCY_LEGAL_NAME = env_str("PORTAL_LEGAL_NAME")  # defaults to SITE_NAME
AGENCY_PHONE = env_str("PORTAL_PHONE")
AGENCY_ADDRESS = env_str("PORTAL_ADDRESS")  # lines separated by "|"
AGENCY_PRIVACY_EMAIL = env_str("PORTAL_PRIVACY_EMAIL")

# Email (Django 6.1 mailers): EMAIL_URL, or the usual EMAIL_HOST/... variables,
# else the console. A mail server that hangs must not hold a worker for long.
email_server = env_email_server()
if email_server:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": email_server.host,
                "port": email_server.port,
                "username": email_server.user,
                "password": email_server.password,
                "use_tls": email_server.use_tls,
                "use_ssl": email_server.use_ssl,
                "timeout": env_int("EMAIL_TIMEOUT", 10),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", f"{SITE_NAME} <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
LEADS_NOTIFY_EMAIL = env_str("LEADS_NOTIFY_EMAIL")

# Staff sign in through the admin; there are no public accounts.
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling: five failures for one username from one address lock that
# pair out for 15 minutes; the address is the socket's or our proxy's, never a
# header a client can forge (portal.net.client_ip).
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_LOCKOUT_CALLABLE = "portal.views.sign_in_locked_out"
AXES_CLIENT_IP_CALLABLE = "portal.net.client_ip"

# "Forgotten your password?" requests per address per hour (each sends an email).
PASSWORD_RESET_RATE_LIMIT = 5
# The name authenticator apps show beside the code.
OTP_TOTP_ISSUER = SITE_NAME
# Sign-in attempts that reach the password hasher, per address and for everyone
# together, in this window (see `portal.admin_site.sign_in_throttle`).
SIGN_IN_RATE_LIMIT = 10
SIGN_IN_GLOBAL_RATE_LIMIT = 30
SIGN_IN_RATE_LIMIT_WINDOW_SECONDS = 60

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("DJANGO_TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed files in production (after collectstatic); plain files locally.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Staff sessions end after an hour without a request (the cookie is renewed on
# each one) and, however active, eight hours after login.
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_IDLE_TIMEOUT", 60 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ABSOLUTE_TIMEOUT = env_int("DJANGO_SESSION_ABSOLUTE_TIMEOUT", 60 * 60 * 8)
CSRF_COOKIE_HTTPONLY = True

# Request size caps (portal.middleware.RequestLimitsMiddleware). Nothing public takes
# more than a short form: 1 MiB and 200 fields, file parts included, refused before
# the body is read. Staff in the admin post more: a long role template has thousands
# of fields (Django's own limit below), a BLS wage file tens of MiB.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
PUBLIC_MAX_FORM_FIELDS = 200
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
STAFF_MAX_UPLOAD_SIZE = 100 * 1024 * 1024
# BLS wage files uploaded in the admin wait here between the dry run and the commit
# (roles.wages.uploads). Every web worker must see the same directory: on several
# machines, point it at a shared volume. Not the shared /tmp: other local users could
# make that directory first. Uploads nobody commits go after a day.
WAGE_UPLOAD_DIR = Path(env_str("PORTAL_WAGE_UPLOAD_DIR") or BASE_DIR / "wage-uploads")
WAGE_UPLOAD_MAX_AGE_SECONDS = 24 * 60 * 60

# Content-Security-Policy, enforced everywhere: only our own scripts, styles,
# fonts and images; no inline code; no framing; reports to our own endpoint.
# `data:` images are Bootstrap's own SVG icons inside its stylesheet.
CSP_REPORT_PATH = "/csp-report/"
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "manifest-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
    "upgrade-insecure-requests": not DEBUG,
    "report-uri": [CSP_REPORT_PATH],
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Sent by portal.middleware.SecurityHeadersMiddleware.
CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)

# Campaign and outside referrer of a visit, kept until the visitor asks for help.
LEADS_ATTRIBUTION_COOKIE = "attribution"
# A browser where a staff member completed both sign-in steps: it signs in even while
# a flood has paused sign-in for everyone else (`portal.admin_site.sign_in_throttle`).
STAFF_DEVICE_COOKIE = "staff-device"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    # Load balancers probe over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_HSTS_SECONDS = 2 * 365 * 24 * 60 * 60
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # `__Host-` cookies are refused by browsers unless Secure, host-only and path=/.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    LEADS_ATTRIBUTION_COOKIE = "__Host-attribution"
    STAFF_DEVICE_COOKIE = "__Host-staff-device"
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", default=False)
if BEHIND_PROXY:
    # Only behind a proxy that sets this header itself and strips it from clients.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"no_traceback_below_500": {"()": "portal.logging.NoTracebackBelow500"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["no_traceback_below_500"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    # django-axes announces itself at INFO on every start; lockouts are WARNINGs.
    "loggers": {
        "axes": {"level": "WARNING"},
        # WeasyPrint logs each step of every PDF at INFO; its warnings still show.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}


# Leads: when an open lead counts as stale, and the contact form's abuse guards.
LEADS_STALE_AFTER_DAYS = env_int("LEADS_STALE_AFTER_DAYS", 3)
# Retention, enforced by `manage.py purge_leads` and stated in the privacy notice:
# a closed (won or lost) lead's personal data is erased this many days after it
# arrived; quarantined spam is deleted after the second figure.
LEADS_RETENTION_DAYS = env_int("LEADS_RETENTION_DAYS", 730)
LEADS_SPAM_RETENTION_DAYS = env_int("LEADS_SPAM_RETENTION_DAYS", 30)
# A job description saved in the builder is deleted this many days after its last
# save (purge_leads); its link says until when.
BUILDER_DRAFT_RETENTION_DAYS = env_int("BUILDER_DRAFT_RETENTION_DAYS", 90)
# A new lead's first next step ("reply") falls due this many business days after it
# arrives: the form promises a reply within one business day.
LEADS_FIRST_REPLY_BUSINESS_DAYS = 1
# The agency's fee per hire, in dollars: a lead's estimated value is hires x fee unless
# a recruiter overrides it. 0: no fee set, and no estimate shown.
LEADS_FEE_PER_HIRE = env_int("LEADS_FEE_PER_HIRE", 0)
LEADS_FORM_MIN_SECONDS = 3
LEADS_FORM_MAX_AGE_SECONDS = 2 * 60 * 60
LEADS_RATE_LIMIT = env_int("LEADS_RATE_LIMIT", 5)  # submissions per address...
LEADS_RATE_LIMIT_WINDOW_SECONDS = 10 * 60  # ...in this window
# Notification retries before the sweeper takes over, with exponential backoff.
LEADS_NOTIFY_MAX_ATTEMPTS = 5
# Mail providers shared by many companies: no "related leads" by these domains.
LEADS_PUBLIC_EMAIL_DOMAINS = {
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "hotmail.com",
    "live.com",
    "yahoo.com",
    "icloud.com",
    "me.com",
    "aol.com",
    "proton.me",
    "protonmail.com",
    "gmx.com",
}
# Absolute links in emails (the admin link in a lead notification).
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# Passkeys, as the second factor only (the password comes first, throttled). They are
# bound to the site's domain name (HTTPS, or localhost): browsers refuse an IP
# address, so the local site offers them on http://localhost:8000.
PASSKEY_ORIGIN = PORTAL_BASE_URL.replace("://127.0.0.1", "://localhost")
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_RP_NAME = SITE_NAME
OTP_WEBAUTHN_RP_ID = urlsplit(PASSKEY_ORIGIN).hostname
OTP_WEBAUTHN_ALLOWED_ORIGINS = [PASSKEY_ORIGIN]
