import datetime
import re

import pytest
import time_machine
from django.core import signing
from django.urls import reverse

from content.preview import SALT, pk_from, preview_url
from content.tests.factories import ArticleFactory, ServicePageFactory
from roles.tests.factories import RoleFactory

pytestmark = pytest.mark.django_db

START = datetime.datetime(2027, 1, 1, 9, tzinfo=datetime.UTC)


@pytest.fixture
def draft():
    role = RoleFactory(title="NLP Engineer", slug="nlp-engineer")
    return ArticleFactory(title="Unpublished thoughts", draft=True, roles=[role])


def test_the_link_shows_the_unpublished_article_with_a_notice(client, draft):
    response = client.get(preview_url(draft))
    html = response.content.decode()

    assert response.status_code == 200
    assert "Unpublished thoughts" in html
    assert "not on the public site until an editor publishes it" in html
    assert '<a href="/roles/nlp-engineer/">NLP Engineer</a>' in html
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_a_draft_is_not_dated_today_but_said_to_be_undated(client, draft):
    html = client.get(preview_url(draft)).content.decode()

    assert "Not published yet: dated the day it is published" in html
    assert "<time" not in html.split("article-title", 1)[1].split("</header>")[0]


def test_a_scheduled_article_shows_the_day_it_will_appear(client):
    later = datetime.datetime(2031, 3, 4, 9, tzinfo=datetime.UTC)
    scheduled = ArticleFactory(title="Coming soon", published_at=later)

    html = client.get(preview_url(scheduled)).content.decode()

    assert 'To be published on <time datetime="2031-03-04">March 4, 2031</time>' in html


def test_preview_pages_are_never_indexed_or_cached(client, draft):
    response = client.get(preview_url(draft))

    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


def test_a_service_page_previews_too(client):
    page = ServicePageFactory(title="Direct hire", status="draft", published_at=None)

    response = client.get(preview_url(page))

    assert response.status_code == 200
    assert "Direct hire" in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_the_token_names_the_page_and_its_kind(draft):
    token = re.search(r"/preview/insights/([^/]+)/", preview_url(draft))[1]

    assert pk_from(token, kind="article") == draft.pk
    assert pk_from(token, kind="servicepage") is None


def test_an_article_link_does_not_open_a_service_page_with_the_same_id(client, draft):
    service = ServicePageFactory(status="draft", published_at=None)
    token = signing.dumps(service.pk, salt=f"{SALT}.article")  # an article's signature

    response = client.get(reverse("content:service_preview", args=[token]))

    assert response.status_code == 404


def test_a_forged_or_guessed_link_finds_nothing(client, draft):
    for token in (
        signing.dumps(draft.pk, salt="someone else's salt"),
        str(draft.pk),
        signing.dumps("x", salt=f"{SALT}.article"),
    ):
        response = client.get(reverse("content:article_preview", args=[token]))
        assert response.status_code == 404
        assert "This preview link is not valid any more" in response.content.decode()
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert "no-store" in response["Cache-Control"]


def test_a_link_expires_after_two_weeks(client, draft):
    with time_machine.travel(START):
        link = preview_url(draft)
    with time_machine.travel(START + datetime.timedelta(days=13)):
        assert client.get(link).status_code == 200
    with time_machine.travel(START + datetime.timedelta(days=15)):
        assert client.get(link).status_code == 404


def test_a_deleted_article_s_link_finds_nothing(client, draft):
    link = preview_url(draft)
    draft.delete()

    assert client.get(link).status_code == 404
