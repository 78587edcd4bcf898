"""Any text in any query parameter: a page or a 404, never a server error."""

from urllib.parse import quote

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.testing import page_status_for_query

pytestmark = pytest.mark.django_db

PARAMETERS = ["q", "skill", "match", "seniority", "family", "page"]
# Any text, including control characters, NUL, surrogates-free unicode and very long values.
any_text = st.text(max_size=300) | st.text(alphabet=st.characters(codec="utf-8"), max_size=3000)
query = st.dictionaries(
    st.sampled_from(PARAMETERS), st.lists(any_text, min_size=1, max_size=3), max_size=6
)
hypothesis_settings = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@hypothesis_settings
@given(params=query)
def test_role_library_answers_any_query(seeded, params):
    response = Client().get("/roles/", params)

    texts = [*params, *(value for values in params.values() for value in values)]
    assert response.status_code == page_status_for_query(*texts)


@hypothesis_settings
@given(area=any_text, extra=any_text)
def test_role_page_answers_any_query(seeded, area, extra):
    response = Client().get("/roles/machine-learning-engineer/", {"area": area, "x": extra})

    assert response.status_code == page_status_for_query(area, extra)


@hypothesis_settings
@given(slug=st.text(max_size=200))
def test_any_slug_is_a_page_or_a_404(seeded, slug):
    for prefix in ("/roles/", "/skills/"):
        # Quoted, as a browser sends it: "?" or "#" in a slug must not become a query.
        response = Client().get(prefix + quote(slug, safe="") + "/")

        assert response.status_code in (200, 404)
