import re
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

ROOT = Path(__file__).resolve().parents[2]
ONE_YEAR = 365 * 24 * 60 * 60


def test_no_environment_with_debug_is_a_working_local_site(load_settings):
    settings = load_settings(DJANGO_DEBUG="true")

    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert settings.DATABASES["default"]["NAME"] == ROOT / "db.sqlite3"
    assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")
    assert (
        settings.MAILERS["default"]["BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    )
    assert settings.TASKS["default"]["BACKEND"].endswith("ImmediateBackend")
    assert settings.ALLOWED_HOSTS == ["localhost", "127.0.0.1", "[::1]"]
    assert not getattr(settings, "SECURE_SSL_REDIRECT", False)


def test_debug_is_off_unless_asked_for(load_settings, production_env):
    assert load_settings(**production_env).DEBUG is False


def test_missing_secret_key_with_debug_off_stops_start_up(load_settings):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY is required"):
        load_settings(DJANGO_ALLOWED_HOSTS="portal.example.com")


def test_missing_allowed_hosts_with_debug_off_stops_start_up(load_settings):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_ALLOWED_HOSTS is required"):
        load_settings(DJANGO_SECRET_KEY="x" * 50)


def test_sqlite_is_set_up_for_concurrent_writers(load_settings):
    options = load_settings(DJANGO_DEBUG="true").DATABASES["default"]["OPTIONS"]

    assert "PRAGMA journal_mode=WAL" in options["init_command"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5


def test_database_url_selects_postgresql_with_persistent_checked_connections(
    load_settings, production_env
):
    database = load_settings(**production_env).DATABASES["default"]

    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["NAME"], database["USER"]) == (
        "db.example.com",
        "portal",
        "portal",
    )
    assert database["CONN_MAX_AGE"] == 600
    assert database["CONN_HEALTH_CHECKS"] is True


def test_redis_url_selects_a_shared_cache(load_settings, production_env):
    cache = load_settings(**production_env).CACHES["default"]

    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://cache.example.com:6379/0"


def test_email_url_selects_smtp(load_settings, production_env):
    mailer = load_settings(**production_env).MAILERS["default"]

    assert mailer["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert mailer["OPTIONS"] == {
        "host": "smtp.example.com",
        "port": 587,
        "username": "mailer",
        "password": "secret",
        "use_tls": True,
        "use_ssl": False,
        "timeout": 10,
    }


def test_production_uses_the_database_task_queue_and_hashed_static_files(
    load_settings, production_env
):
    settings = load_settings(**production_env)

    assert settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert settings.STORAGES["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )


def test_production_enforces_https_and_secure_cookies(load_settings, production_env):
    settings = load_settings(**production_env)

    assert settings.SECURE_SSL_REDIRECT is True
    assert settings.SECURE_HSTS_SECONDS >= ONE_YEAR
    assert settings.SECURE_HSTS_INCLUDE_SUBDOMAINS is True
    assert settings.SESSION_COOKIE_SECURE is True
    assert settings.CSRF_COOKIE_SECURE is True
    assert settings.SESSION_COOKIE_NAME.startswith("__Host-")
    assert settings.CSRF_COOKIE_NAME.startswith("__Host-")
    assert "upgrade-insecure-requests" in settings.SECURE_CSP
    assert not hasattr(settings, "SECURE_PROXY_SSL_HEADER")


def test_proxy_header_is_trusted_only_when_asked(load_settings, production_env):
    settings = load_settings(**production_env, DJANGO_BEHIND_PROXY="true")

    assert settings.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")


def _variables_read_by_settings() -> set[str]:
    pattern = re.compile(r'env_\w+\(\s*"([A-Z_]+)"')
    sources = [ROOT / "portal" / "settings.py", ROOT / "portal" / "env.py"]
    return {name for source in sources for name in pattern.findall(source.read_text())}


def test_every_variable_is_documented_in_env_example_and_readme():
    variables = _variables_read_by_settings()
    env_example = (ROOT / ".env.example").read_text()
    readme = (ROOT / "README.md").read_text()

    assert {"DJANGO_DEBUG", "DJANGO_SECRET_KEY", "DATABASE_URL", "EMAIL_URL"} <= variables
    assert {v for v in variables if not re.search(rf"^{v}=", env_example, re.M)} == set()
    assert {v for v in variables if f"`{v}`" not in readme} == set()
