"""Any text in any field of the contact form: a page with messages, never a server error."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leads.forms import LeadForm
from leads.models import Lead
from leads.tests.conftest import CONTACT, form_data
from portal.testing import page_status_for_query

pytestmark = pytest.mark.django_db

FIELDS = list(LeadForm.base_fields)
any_text = st.text(max_size=200) | st.text(alphabet=st.characters(codec="utf-8"), max_size=6000)
hypothesis_settings = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@hypothesis_settings
@given(values=st.dictionaries(st.sampled_from(FIELDS), any_text, min_size=1))
def test_any_text_in_any_field_is_validated_never_a_server_error(roles, settings, values):
    settings.LEADS_RATE_LIMIT = 10**6  # this test is one address sending many forms
    before = Lead.objects.count()

    response = Client().post(CONTACT, form_data(**values))

    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert Lead.objects.count() == before  # an answer with messages stores nothing
    else:
        assert response["Location"] == "/contact/thanks/"


@hypothesis_settings
@given(
    params=st.dictionaries(st.sampled_from(["role", "area", "seniority", "utm_source"]), any_text)
)
def test_any_query_on_the_contact_page_is_a_page(roles, params):
    texts = [*params, *params.values()]
    assert Client().get(CONTACT, params).status_code == page_status_for_query(*texts)
