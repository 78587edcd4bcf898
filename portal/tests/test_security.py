import gzip
import json
import logging
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["home", "roles:list", "roles:salaries", "leads:contact"]


def parse_csp(header: str) -> dict[str, list[str]]:
    directives = (part.strip().split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


@pytest.mark.parametrize("name", PAGES)
def test_every_page_carries_a_strict_enforced_csp(client, name):
    response = client.get(reverse(name))
    policy = parse_csp(response["Content-Security-Policy"])

    assert policy["default-src"] == ["'none'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["report-uri"] == [reverse("csp-report")]
    assert "Content-Security-Policy-Report-Only" not in response


def test_404_page_carries_the_csp_too(client):
    response = client.get("/no-such-page/")

    assert parse_csp(response["Content-Security-Policy"])["default-src"] == ["'none'"]


@pytest.mark.parametrize("name", PAGES)
def test_every_page_sends_the_isolation_headers(client, name):
    response = client.get(reverse(name))

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


@pytest.mark.parametrize("name", PAGES)
def test_every_page_is_compressed_for_browsers_that_ask(client, name):
    plain = client.get(reverse(name))
    response = client.get(reverse(name), headers={"accept-encoding": "gzip, br"})

    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert gzip.decompress(response.content).startswith(b"<!doctype html>")
    assert len(response.content) < len(plain.content) / 2
    assert "Content-Encoding" not in plain
    assert parse_csp(response["Content-Security-Policy"])["default-src"] == ["'none'"]


def test_compressed_pages_differ_in_length_each_time_against_breach(client):
    lengths = {
        len(client.get(reverse("home"), headers={"accept-encoding": "gzip"}).content)
        for _ in range(8)
    }

    assert len(lengths) > 1  # random padding: a length leaks nothing about the body


TEMPLATE_FILES = sorted((ROOT / "templates").rglob("*.html"))
INLINE_CODE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "style= attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "inline event handler"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
    (re.compile(r"//(cdn|unpkg|ajax\.googleapis|cdnjs)\.", re.I), "CDN reference"),
]


def test_templates_exist_to_be_scanned():
    assert len(TEMPLATE_FILES) >= 8


@pytest.mark.parametrize("template", TEMPLATE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_have_no_inline_code_or_cdn(template):
    text = template.read_text()

    found = [what for pattern, what in INLINE_CODE if pattern.search(text)]
    assert found == []


@pytest.mark.parametrize(
    ("snippet", "what"),
    [
        ("<script>alert(1)</script>", "inline <script>"),
        ('<div style="color:red">', "style= attribute"),
        ('<a onclick="x()">', "inline event handler"),
        ("<style>p{}</style>", "<style> element"),
    ],
)
def test_template_scanner_catches_inline_code(snippet, what):
    assert [w for pattern, w in INLINE_CODE if pattern.search(snippet)] == [what]


def test_csp_report_path_matches_its_url():
    assert reverse("csp-report") == settings.CSP_REPORT_PATH


def test_csp_report_is_logged_without_query_strings(client, caplog):
    report = {
        "csp-report": {
            "document-uri": "https://portal.example.com/contact/?email=jane@example.com",
            "violated-directive": "script-src-elem",
            "blocked-uri": "https://evil.example.net/x.js?token=abc",
        }
    }

    with caplog.at_level(logging.WARNING, logger="portal.views"):
        response = client.post(
            reverse("csp-report"), json.dumps(report), content_type="application/csp-report"
        )

    assert response.status_code == 204
    assert "script-src-elem blocked https://evil.example.net/x.js" in caplog.text
    assert "jane@example.com" not in caplog.text
    assert "token=abc" not in caplog.text


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b'{"csp-report": "text"}'])
def test_csp_report_rejects_junk_with_400(client, body):
    response = client.post(reverse("csp-report"), body, content_type="application/csp-report")

    assert response.status_code == 400


def test_csp_report_rejects_oversized_bodies(client):
    body = json.dumps({"csp-report": {"x": "a" * 20_000}})

    response = client.post(reverse("csp-report"), body, content_type="application/csp-report")

    assert response.status_code == 413


def test_csp_report_is_post_only(client):
    assert client.get(reverse("csp-report")).status_code == 405
