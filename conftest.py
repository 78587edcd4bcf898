import pytest
from django.core.cache import cache
from django.db import connection


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Real hashing costs half a second per sign-in; what tests check is the flow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache():
    # Rate limits and cached choices must not leak from one test into the next.
    cache.clear()
    yield
    cache.clear()


def pytest_report_header(config):
    return f"database: {connection.vendor} ({connection.settings_dict['NAME']})"
