"""Requests no browser of ours would send: each is answered below 500, with our headers.

Sent through the WSGI handler itself (as gunicorn calls it), not the test client,
which refuses to build some of them."""

import io
import logging

import pytest
from django.urls import reverse

from portal.logging import NoTracebackBelow500
from portal.testing import through_wsgi

pytestmark = pytest.mark.django_db

CSRF_TOKEN = "a" * 32


def wsgi_request(
    method: str, path: str, *, query: str = "", body: bytes | io.BytesIO = b"", **headers
):
    """(status code, headers, body) of one request through Django's WSGI handler."""
    data = body.getvalue() if isinstance(body, io.BytesIO) else body
    return through_wsgi(method, path, query=query, body=data, headers=headers)


def form_post(path: str, body: str, content_type: str):
    """A form post with a valid CSRF cookie and token, as a browser would send it."""
    return wsgi_request(
        "POST",
        path,
        body=f"csrfmiddlewaretoken={CSRF_TOKEN}&{body}".encode("latin-1"),
        content_type=content_type,
        cookie=f"csrftoken={CSRF_TOKEN}",
    )


@pytest.mark.parametrize(
    "path", ["/healthz", "/", "/roles/", "/contact/", "/salaries/", "/no-such-page/"]
)
def test_a_malformed_referer_is_ignored(path, caplog):
    with caplog.at_level(logging.ERROR):
        status, _, _ = wsgi_request("GET", path, referer="http://[::1")

    assert status in (200, 404)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_csp_report_naming_a_malformed_url_is_logged_without_error(client, caplog):
    report = {"csp-report": {"blocked-uri": "http://[::1", "document-uri": "http://[::1/x"}}

    with caplog.at_level(logging.WARNING):
        response = client.post(reverse("csp-report"), report, content_type="application/json")

    assert response.status_code == 204
    assert [r.levelname for r in caplog.records] == ["WARNING"]


@pytest.mark.parametrize("charset", ["latin-1", "utf-16"])
def test_a_form_in_another_charset_gets_our_400_page(charset):
    status, headers, content = form_post(
        "/contact/",
        "name=Jos%E9&email=jose%40acme.example",
        f"application/x-www-form-urlencoded; charset={charset}",
    )

    assert status == 400
    assert b"Bad request" in content
    assert "default-src 'none'" in headers["Content-Security-Policy"]


def test_a_form_in_an_unknown_charset_is_read_as_utf8():
    status, _, content = form_post(
        "/contact/", "name=Jos%C3%A9", "application/x-www-form-urlencoded; charset=no-such"
    )

    assert status == 200
    assert b'value="Jos\xc3\xa9"' in content


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/roles/", "q=%00"),
        ("/roles/", "skill=%00&skill=python"),
        ("/salaries/", "area=%00"),
        ("/admin/leads/lead/", "stage__exact=%00"),
        ("/admin/leads/lead/", "q=a%00b"),
        ("/admin/leads/lead/", "%00=1"),
    ],
)
def test_a_nul_byte_in_the_query_string_is_a_bad_request(admin_client, path, query):
    response = admin_client.get(f"{path}?{query}")

    assert response.status_code == 400


def many_fields(count: int) -> str:
    return "&".join(f"field{index}=x" for index in range(count))


def test_a_public_form_with_too_many_fields_is_refused(client):
    response = client.post(
        reverse("leads:contact"), many_fields(250), content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 400


def test_staff_in_the_admin_may_post_thousands_of_fields(admin_client):
    response = admin_client.post(
        reverse("admin:leads_lead_changelist"),
        many_fields(3000),
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200  # the list again: no action was chosen


def test_the_admin_sign_in_page_takes_no_more_than_a_public_form(client):
    response = client.post(
        reverse("admin:login"), many_fields(250), content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 400


@pytest.mark.parametrize("path", ["/contact/", "/admin/login/", "/csp-report/"])
def test_a_large_upload_is_refused_before_it_is_read(path):
    body = b"--xx\r\n" + b"a" * (2 * 1024 * 1024)
    stream = io.BytesIO(body)

    status, _, content = wsgi_request(
        "POST", path, body=stream, content_type="multipart/form-data; boundary=xx"
    )

    assert status == 400
    assert b"Bad request" in content
    assert stream.tell() == 0


def test_a_csp_report_cannot_forge_a_log_line(client, caplog):
    report = {"csp-report": {"violated-directive": "script-src\n2026-11-02 ERROR forged line"}}

    with caplog.at_level(logging.WARNING):
        client.post(reverse("csp-report"), report, content_type="application/json")

    assert len(caplog.records) == 1
    assert "\n" not in caplog.records[0].getMessage()


def test_a_refused_page_is_logged_in_one_line():
    def record(level, status):
        error = (ValueError, ValueError(), None)
        logged = logging.LogRecord("django.request", level, __file__, 1, "...", None, error)
        logged.status_code = status
        return logged

    refused, server_error = record(logging.WARNING, 403), record(logging.ERROR, 500)

    NoTracebackBelow500().filter(refused)
    NoTracebackBelow500().filter(server_error)

    assert refused.exc_info is None
    assert server_error.exc_info is not None  # a 500 keeps its traceback


def test_a_head_answer_has_the_get_headers_and_no_body():
    get_status, get_headers, get_body = wsgi_request("GET", "/roles/")
    status, headers, body = wsgi_request("HEAD", "/roles/")

    assert (status, body) == (get_status, b"")
    assert headers["Content-Length"] == str(len(get_body))
    assert headers["Content-Security-Policy"] == get_headers["Content-Security-Policy"]
