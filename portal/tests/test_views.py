import logging
import re
from pathlib import Path

import pytest
from django.db import DatabaseError
from django.urls import include, path, reverse

from portal import views

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


def test_home_says_what_the_agency_does_with_search_and_call_to_action(client):
    response = client.get(reverse("home"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "We match top professionals with great employers across the country" in html
    assert f'action="{reverse("roles:list")}" method="get" role="search"' in html
    assert 'name="q"' in html
    assert f'href="{reverse("leads:contact")}"' in html
    assert "Speak with a recruiting expert" in html


@pytest.mark.parametrize("name", ["home", "roles:list", "roles:salaries", "leads:contact"])
def test_every_page_has_its_own_title_and_description(client, name):
    html = client.get(reverse(name)).content.decode()

    assert html.count("<title>") == 1
    assert '<meta name="description" content="' in html
    assert 'href="#main"' in html  # skip link
    assert '<main id="main"' in html


def test_navigation_marks_the_current_section(client):
    html = client.get(reverse("roles:salaries")).content.decode()

    assert f'href="{reverse("roles:salaries")}" aria-current="page"' in html
    assert f'href="{reverse("roles:list")}" aria-current="page"' not in html


def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]


def test_readyz_checks_database_and_cache(client):
    response = client.get(reverse("readyz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}


def test_readyz_names_a_failing_database_and_reveals_nothing_else(client, monkeypatch, caplog):
    def broken():
        raise DatabaseError("password authentication failed for user portal at 10.0.0.5")

    monkeypatch.setitem(views.READINESS_CHECKS, "database", broken)

    with caplog.at_level(logging.WARNING):
        response = client.get(reverse("readyz"))

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "failing", "cache": "ok"},
    }
    assert b"10.0.0.5" not in response.content
    assert "Readiness check database failed: DatabaseError\n" in caplog.text
    assert "Traceback" not in caplog.text  # one line
    assert "10.0.0.5" not in caplog.text


def test_readyz_names_a_cache_that_loses_what_it_stores(client, monkeypatch):
    monkeypatch.setattr(views.cache, "get", lambda key: None)

    response = client.get(reverse("readyz"))

    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "failing"}


def test_favicon_ico_redirects_to_the_static_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response["Location"].endswith("img/favicon.ico")


def test_unknown_page_gets_the_custom_404(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b"Search role templates" in response.content


def failing_view(request):
    raise RuntimeError("secret internals: the traceback must never reach the visitor")


urlpatterns = [path("boom/", failing_view), path("", include("portal.urls"))]


@pytest.mark.urls(__name__)
def test_server_error_shows_the_friendly_500_without_a_traceback(client):
    client.raise_request_exception = False

    response = client.get("/boom/")

    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content
    assert b"secret internals" not in response.content
    assert b"Traceback" not in response.content


def test_bad_host_header_gets_400(client):
    response = client.get(reverse("home"), headers={"host": "evil.example.net"})

    assert response.status_code == 400
    assert b"Bad request" in response.content


@pytest.mark.parametrize("name", ["healthz", "readyz", "favicon", "robots"])
def test_head_is_answered_wherever_get_is(client, name):
    assert client.head(reverse(name)).status_code in (200, 302)


def test_staff_pages_name_the_sites_icon(admin_client):
    html = admin_client.get(reverse("admin:index")).content.decode()

    assert 'rel="icon" href="/static/img/favicon.svg"' in html


def test_staff_refused_a_page_are_shown_the_way_back(client, django_user_model):
    editor = django_user_model.objects.create_user("eddie", password="x", is_staff=True)
    client.force_login(editor)

    response = client.get(reverse("admin:leads_lead_board"))

    assert response.status_code == 403
    assert f'href="{reverse("admin:index")}">Back to the staff pages' in response.content.decode()


class TestSharedLinks:
    """Each kind of page shows its own picture when its link is shared."""

    @pytest.mark.parametrize(
        ("path", "kind"),
        [
            ("/", "site"),
            ("/roles/", "role"),
            ("/skills/", "role"),
            ("/salaries/", "salaries"),
            ("/insights/", "insights"),
            ("/about/", "about"),
            ("/contact/", "site"),
            ("/privacy/", "site"),
        ],
    )
    def test_every_page_has_an_absolute_og_image_of_its_kind(self, client, path, kind):
        html = client.get(path).content.decode()

        image = re.search(r'<meta property="og:image" content="([^"]+)">', html)[1]
        assert image == f"http://testserver/static/img/og/{kind}.png"
        assert (ROOT / "static" / "img" / "og" / f"{kind}.png").stat().st_size > 10_000
        assert '<meta name="twitter:card" content="summary_large_image">' in html
