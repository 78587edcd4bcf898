import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from portal import checks
from portal.tests.conftest import CONFIG_PREFIXES

ROOT = Path(__file__).resolve().parents[2]


def run_deploy_check(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(CONFIG_PREFIXES)}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_deploy_check_is_clean_with_production_values(production_env):
    result = run_deploy_check(production_env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_check_fails_on_a_per_process_cache(production_env):
    del production_env["REDIS_URL"]

    result = run_deploy_check(production_env)

    assert result.returncode == 1
    assert "portal.W004" in result.stderr


def test_no_system_check_is_silenced():
    assert django_settings.SILENCED_SYSTEM_CHECKS == []


def test_csp_check_accepts_the_policy_we_ship():
    assert checks.check_csp_enforced(None) == []


@pytest.mark.parametrize(
    ("directive", "sources"),
    [
        ("script-src", ["'self'", "'unsafe-inline'"]),
        ("style-src", ["'self'", "'unsafe-inline'"]),
        ("script-src", ["'self'", "https:"]),
        ("default-src", ["'self'"]),
    ],
)
def test_csp_check_flags_a_weakened_policy(settings, directive, sources):
    settings.SECURE_CSP = {**settings.SECURE_CSP, directive: sources}

    assert [w.id for w in checks.check_csp_enforced(None)] == ["portal.W001"]


def test_csp_check_flags_a_missing_middleware(settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != checks.CSP_MIDDLEWARE]

    assert [w.id for w in checks.check_csp_enforced(None)] == ["portal.W001"]


def test_cookie_check_wants_host_prefixed_names(settings):
    settings.SESSION_COOKIE_NAME = "sessionid"
    settings.CSRF_COOKIE_NAME = "__Host-csrftoken"

    assert [w.id for w in checks.check_host_prefixed_cookies(None)] == ["portal.W002"]


def test_session_lifetime_check_flags_long_idle_sessions(settings):
    settings.SESSION_COOKIE_AGE = 60 * 60 * 24 * 14

    assert [w.id for w in checks.check_session_lifetime(None)] == ["portal.W003"]


def test_session_lifetime_check_flags_long_absolute_sessions(settings):
    settings.SESSION_ABSOLUTE_TIMEOUT = 60 * 60 * 24

    assert [w.id for w in checks.check_session_lifetime(None)] == ["portal.W003"]


def test_task_backend_check_wants_a_real_queue_when_debug_is_off(settings):
    settings.DEBUG = False
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

    assert [w.id for w in checks.check_real_task_backend(None)] == ["portal.W005"]


def test_agency_check_names_each_detail_the_pages_would_leave_out(settings):
    settings.DEBUG = False
    settings.AGENCY_PHONE, settings.AGENCY_ADDRESS = "", "1 Main St|Austin, TX"
    settings.AGENCY_PRIVACY_EMAIL = ""

    warnings = checks.check_agency_details(None)

    assert [w.id for w in warnings] == ["portal.W010", "portal.W010"]
    assert ["PORTAL_PHONE" in warnings[0].msg, "PORTAL_PRIVACY_EMAIL" in warnings[1].msg] == [
        True,
        True,
    ]
    settings.DEBUG = True
    assert checks.check_agency_details(None) == []


def test_email_backend_check_wants_a_real_server_when_debug_is_off(settings):
    settings.DEBUG = False
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

    assert [w.id for w in checks.check_real_email_backend(None)] == ["portal.W006"]


def test_addresses_check_wants_the_agencys_own_sender_and_links(settings):
    settings.DEBUG = False
    settings.DEFAULT_FROM_EMAIL = "ML Talent Partners <no-reply@localhost>"
    settings.PORTAL_BASE_URL = "http://127.0.0.1:8000"

    warnings = checks.check_addresses_people_see(None)

    assert [w.id for w in warnings] == ["portal.W008", "portal.W008"]
    assert "DEFAULT_FROM_EMAIL" in warnings[0].msg
    settings.DEFAULT_FROM_EMAIL = "ML Talent Partners <hello@mltalent.example>"
    settings.PORTAL_BASE_URL = "https://mltalent.example"
    assert checks.check_addresses_people_see(None) == []
