"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live_server.

Run on their own (`make test-e2e`): Playwright's sync API keeps an event loop
running, which makes Django refuse database setup in the same thread
(SynchronousOnlyOperation). Allowing it is safe here and only here, as the
maintainers advise, because the tests themselves are synchronous.
"""

import os
import shutil
from io import StringIO
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from leads.tests.factories import recruiters_group
from portal.testing import current_code
from roles.tests.factories import editors_group

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_CANDIDATES = [
    os.environ.get("CHROMIUM_PATH", ""),
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
]
# Without the networking flags Chromium keeps calling home, which this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def find_chromium() -> str | None:
    for candidate in CHROMIUM_CANDIDATES:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("chromium")


CHROMIUM = find_chromium()
NO_BROWSER = (
    "NO CHROMIUM FOUND: browser tests skipped. Install Debian's chromium "
    "(apt-get install chromium) or set CHROMIUM_PATH."
)


def pytest_configure(config):
    if CHROMIUM is None and os.environ.get("CI"):
        pytest.exit(NO_BROWSER.replace("skipped", "cannot run in CI"), returncode=1)


def pytest_report_header(config):
    return f"chromium: {CHROMIUM}" if CHROMIUM else f"!!! {NO_BROWSER} !!!"


def pytest_collection_modifyitems(config, items):
    if CHROMIUM is None:
        for item in items:
            item.add_marker(pytest.mark.skip(reason=NO_BROWSER))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def browser_errors(page):
    """Console errors and failed requests, CSP violations included: a page must have none."""
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "response",
        lambda response: (
            errors.append(f"{response.status} {response.url}") if response.status >= 400 else None
        ),
    )
    return errors


@pytest.fixture(scope="session")
def axe():
    return Axe()


@pytest.fixture
def assert_accessible(axe):
    """Run axe-core (WCAG 2.0, 2.1 and 2.2 A/AA plus best practice) and fail on any violation."""

    def check(page):
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        violations = results.response["violations"]
        assert violations == [], results.generate_report()

    return check


@pytest.fixture
def site(live_server, page, browser_errors):
    """The live portal in a browser: `site.go("/roles/")` opens a page of it."""

    class Site:
        url = live_server.url

        def go(self, path: str, *, expect_status: int = 200):
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == expect_status
            return page

    return Site()


@pytest.fixture
def library(transactional_db):
    """The role library as `make run` seeds it."""
    call_command("seed_roles", stdout=StringIO())


@pytest.fixture
def recruiter_login(transactional_db, django_user_model):
    """A recruiter of the Recruiters group with their authenticator app set up, and
    their password."""
    password = "a long and unusual passphrase"
    user = django_user_model.objects.create_user(
        "rita", email="rita@agency.example", password=password, is_staff=True
    )
    user.groups.add(recruiters_group())
    TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    return user, password


@pytest.fixture
def editor_login(transactional_db, django_user_model):
    """An editor of the Editors group with their authenticator app set up, and their
    password."""
    password = "another long and unusual passphrase"
    user = django_user_model.objects.create_user(
        "eddie", email="eddie@agency.example", password=password, is_staff=True
    )
    user.groups.add(editors_group())
    TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    return user, password


@pytest.fixture
def sign_in(site, page):
    """Signs a staff member in, both steps: the password, then the code their app shows."""

    def sign_in(user, password):
        site.go("/admin/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.get_by_label("Code").fill(current_code(TOTPDevice.objects.get(user=user)))
        page.get_by_role("button", name="Verify").click()

    return sign_in


@pytest.fixture
def wages(library):
    """The BLS wage files as `make run` imports them."""
    call_command("import_oews", *sorted(Path("fixtures/oews").glob("*.csv")), stdout=StringIO())
