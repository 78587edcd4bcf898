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
                if value is None or value is False:
                    continue
                data[field.html_name] = "on" if value is True else value
        return data

    return read


def pytest_report_header(config):
    return f"database: {connection.vendor} ({connection.settings_dict['NAME']})"
