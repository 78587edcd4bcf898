import os

import pytest
from django.conf import settings as django_settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.forms import MultiWidget

from portal.env import redis_caches
from portal.testing import RedisServer, SmtpServer, find_redis_server


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Real hashing costs half a second per sign-in; what tests check is the flow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def force_login_passes_the_second_factor(monkeypatch):
    """`client.force_login(staff)` stands for a whole staff sign-in, second factor
    included, as the admin requires. The two-step sign-in itself is tested page by
    page (portal/tests/test_two_factor.py) and in the browser."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    force_login = Client.force_login

    def with_second_factor(self, user, backend=None):
        force_login(self, user, backend)
        if user.is_staff:
            device, _ = TOTPDevice.objects.get_or_create(
                user=user, name="Test authenticator", defaults={"confirmed": True}
            )
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(Client, "force_login", with_second_factor)


@pytest.fixture(autouse=True)
def fresh_content_types():
    # Django caches content types per process; a test database that is reused (the
    # mutation runs) or emptied (transactional tests) must not meet stale ids.
    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def empty_cache():
    # Rate limits and cached choices must not leak from one test into the next.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def admin_form_data():
    """What a browser would post back, unchanged, from an admin change page."""

    def read(response) -> dict:
        data = {}
        forms = [response.context["adminform"].form]
        for inline in response.context["inline_admin_formsets"]:
            formset = inline.formset
            forms.extend(formset.forms)
            management = formset.management_form
            data.update({f"{formset.prefix}-{k}": v for k, v in management.initial.items()})
        for form in forms:
            for field in form:
                value = field.value()
                put(data, field.html_name, field.field.widget, value)
                if field.field.show_hidden_initial:  # the page's copy of what it showed
                    put(data, field.html_initial_name, field.field.hidden_widget(), value)
        return data

    def put(data: dict, name: str, widget, value) -> None:
        if isinstance(widget, MultiWidget):  # as a browser posts it: one value a part
            parts = value if isinstance(value, list) else widget.decompress(value)
            for suffix, part in zip(widget.widgets_names, parts, strict=True):
                if part is not None:
                    data[name + suffix] = part
        elif value is not None and value is not False:
            data[name] = "on" if value is True else value

    return read


def pytest_report_header(config):
    return f"database: {connection.vendor} ({connection.settings_dict['NAME']})"


NO_REDIS = (
    "NO redis-server FOUND: tests of the portal with a real Redis cannot run. "
    "Install Debian's redis-server or set REDIS_SERVER_PATH."
)


@pytest.fixture(scope="session")
def redis_server():
    """The suite's own Redis server, started once; tests may stop or freeze it."""
    executable = find_redis_server()
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail(NO_REDIS)
        pytest.skip(NO_REDIS)
    server = RedisServer(executable)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_cache(redis_server, settings):
    """The portal's cache on the suite's Redis, as production configures it."""
    redis_server.ensure_running()
    settings.CACHES = redis_caches(redis_server.url)
    cache.clear()
    yield redis_server
    redis_server.ensure_running()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Name the server test database once. mutmut runs several test sessions in one
    process, and each would otherwise prefix "test_" again to a database it reuses."""
    database = django_settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        test = database.setdefault("TEST", {})
        test["NAME"] = test.get("NAME") or f"test_{database['NAME']}"


@pytest.fixture(scope="session")
def _smtp_server():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp_server(_smtp_server, settings):
    """The portal sending through a real SMTP server of the suite's own."""
    _smtp_server.reset()
    settings.MAILERS = _smtp_server.mailers()
    return _smtp_server
