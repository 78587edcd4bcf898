"""Generated hostile requests (portal/fuzzing.py) through Django's WSGI handler, as
gunicorn calls it: anonymous on every public page and form, and signed in as staff
on every staff list with its filters. None may answer 500 or reflect input as HTML."""

import pytest
from django.conf import settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings

from leads.tests.factories import LeadFactory
from portal.fuzzing import HostileRequest, hostile_requests, reflected_unescaped
from portal.testing import through_wsgi
from roles.seeding import seed_library

pytestmark = pytest.mark.django_db

FUZZ = hypothesis_settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def send(request: HostileRequest, *, session: str = "") -> tuple[int, str, bytes]:
    """(status, content type, body) of the request through the WSGI handler."""
    headers = request.headers_to_send(staff_session=session)
    status, response_headers, body = through_wsgi(
        request.method, request.path, query=request.query, body=request.body, headers=headers
    )
    return status, response_headers.get("Content-Type", ""), body


@pytest.fixture
def roles(db):
    seed_library()


@pytest.fixture
def staff_session(client, admin_user, roles):
    LeadFactory(stale=True)
    LeadFactory(lost=True)
    LeadFactory(spam=True)
    client.force_login(admin_user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@FUZZ
@given(request=hostile_requests())
def test_no_public_request_gets_a_500_or_reflects_markup(request, roles):
    status, content_type, body = send(request)

    assert status < 500, request
    assert not reflected_unescaped(content_type, body), request


@FUZZ
@given(request=hostile_requests(staff=True))
def test_no_staff_request_gets_a_500_or_reflects_markup(request, staff_session):
    status, content_type, body = send(request, session=staff_session)

    assert status < 500, request
    assert not reflected_unescaped(content_type, body), request
