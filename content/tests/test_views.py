import datetime
import json
import re
import xml.etree.ElementTree as ET
from html import unescape

import pytest
from django.urls import reverse

from content.models import Status
from content.tests.factories import ArticleFactory, ServicePageFactory
from roles.models import Role
from roles.skills import skill_rename
from roles.tests.factories import RoleFactory, RoleFamilyFactory, SkillFactory

pytestmark = pytest.mark.django_db

SERVICES = reverse("content:services")
INSIGHTS = reverse("content:insights")
ATOM = "{http://www.w3.org/2005/Atom}"


def html_of(response) -> str:
    assert response.status_code == 200
    return unescape(response.content.decode())


def json_ld_of(response) -> dict:
    block = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    return json.loads(block[1])


def titles(response) -> list[str]:
    return [article.title for article in response.context["articles"]]


class TestServices:
    def test_nothing_published_yet_says_so_and_points_to_the_contact_form(self, client):
        ServicePageFactory(status=Status.DRAFT, published_at=None, title="Direct hire")

        html = html_of(client.get(SERVICES))

        assert "No service pages here yet" in html
        assert f'href="{reverse("leads:contact")}"' in html
        assert "Direct hire" not in html

    def test_lists_published_services_in_their_order(self, client):
        ServicePageFactory(title="Direct hire", position=2)
        ServicePageFactory(title="Contract staffing", position=1)
        ServicePageFactory(title="Draft service", status=Status.DRAFT, published_at=None)

        response = client.get(SERVICES)

        assert [s.title for s in response.context["services"]] == [
            "Contract staffing",
            "Direct hire",
        ]
        assert "No service pages here yet" not in html_of(response)

    def test_a_service_page_shows_its_body_and_calls_to_the_contact_form(self, client):
        service = ServicePageFactory(title="Contract staffing", body="# How it works\n\nWe help.")

        response = client.get(service.get_absolute_url())
        html = html_of(response)

        assert '<h1 id="service-title">Contract staffing</h1>' in html
        assert "<h2>How it works</h2>" in html
        assert f'href="{reverse("leads:contact")}"' in html
        data = json_ld_of(response)
        assert (data["@type"], data["name"]) == ("Service", "Contract staffing")

    def test_an_unpublished_service_is_404(self, client):
        draft = ServicePageFactory(status=Status.DRAFT, published_at=None)

        assert client.get(draft.get_absolute_url()).status_code == 404

    def test_the_list_runs_a_fixed_number_of_queries(self, client, django_assert_num_queries):
        ServicePageFactory.create_batch(8)

        with django_assert_num_queries(1):
            assert client.get(SERVICES).status_code == 200


class TestInsightsList:
    def test_lists_published_articles_newest_first(self, client):
        ArticleFactory(title="Older")
        ArticleFactory(title="Newer")
        ArticleFactory(title="Draft", draft=True)

        assert titles(client.get(INSIGHTS)) == ["Newer", "Older"]

    def test_nothing_published_yet_says_so(self, client):
        html = html_of(client.get(INSIGHTS))

        assert "No articles yet." in html
        assert "0 articles" in html

    def test_pages_of_ten(self, client):
        ArticleFactory.create_batch(12)

        first = client.get(INSIGHTS)
        second = client.get(INSIGHTS, {"page": 2})
        beyond = client.get(INSIGHTS, {"page": "abc"})

        assert len(titles(first)) == 10
        assert len(titles(second)) == 2
        assert not set(titles(second)) & set(titles(first))
        assert titles(beyond) == titles(first)
        assert 'aria-current="page">2<' in html_of(second)

    def test_filters_by_skill_family_and_role(self, client):
        pytorch = SkillFactory(name="PyTorch", slug="pytorch")
        family = RoleFamilyFactory()
        role = RoleFactory(title="NLP Engineer", slug="nlp-engineer")
        ArticleFactory(title="On PyTorch", skills=[pytorch])
        ArticleFactory(title="On the family", families=[family])
        ArticleFactory(title="On NLP", roles=[role])

        assert titles(client.get(INSIGHTS, {"skill": "pytorch"})) == ["On PyTorch"]
        assert titles(client.get(INSIGHTS, {"family": family.slug})) == ["On the family"]
        assert titles(client.get(INSIGHTS, {"role": "nlp-engineer"})) == ["On NLP"]

    def test_a_filtered_list_names_its_topic_and_how_to_drop_it(self, client):
        ArticleFactory(skills=[SkillFactory(name="PyTorch", slug="pytorch")])

        html = html_of(client.get(INSIGHTS, {"skill": "pytorch"}))

        assert "<title>Insights on PyTorch |" in html
        assert 'aria-label="Remove filter PyTorch"' in html
        assert '<meta name="robots" content="noindex, follow">' in html

    def test_anything_but_a_slug_is_404_without_a_query(self, client, django_assert_num_queries):
        with django_assert_num_queries(0):
            for value in ("<b>x</b>", "a b", "UPPER", "-x-"):
                assert client.get(INSIGHTS, {"skill": value}).status_code == 404

    def test_an_unknown_topic_is_404(self, client):
        assert client.get(INSIGHTS, {"skill": "no-such-skill"}).status_code == 404
        assert client.get(INSIGHTS, {"role": "no-such-role"}).status_code == 404

    def test_a_withdrawn_role_is_no_topic(self, client):
        RoleFactory(slug="gone-engineer", published=False)

        assert client.get(INSIGHTS, {"role": "gone-engineer"}).status_code == 404

    def test_a_renamed_skill_redirects_to_its_new_address(self, client):
        skill = SkillFactory(name="PyTorch", slug="torch")
        skill.slug = "pytorch"
        skill.save()
        skill_rename(skill=skill, old_slug="torch")

        response = client.get(INSIGHTS, {"skill": "torch", "page": "2"})

        assert response.status_code == 301
        assert response["Location"] == f"{INSIGHTS}?skill=pytorch&page=2"

    def test_topics_list_only_what_published_articles_are_tagged_with(self, client):
        used = SkillFactory(name="PyTorch", slug="pytorch")
        only_in_draft = SkillFactory(name="JAX", slug="jax")
        ArticleFactory(skills=[used])
        ArticleFactory(skills=[used])
        ArticleFactory(skills=[only_in_draft], draft=True)

        response = client.get(INSIGHTS)

        assert [(s.name, s.article_count) for s in response.context["topic_skills"]] == [
            ("PyTorch", 2)
        ]

    def test_the_page_has_its_description_canonical_and_feed_link(self, client):
        html = html_of(client.get(INSIGHTS, {"page": "1"}))

        assert '<link rel="canonical" href="http://testserver/insights/">' in html
        assert '<meta name="description" content="Articles on hiring' in html
        assert 'type="application/atom+xml"' in html

    @pytest.mark.parametrize("count", [3, 30])
    def test_the_list_runs_a_fixed_number_of_queries(
        self, client, django_assert_num_queries, count
    ):
        skills = [SkillFactory() for _ in range(4)]
        family = RoleFamilyFactory()
        role = RoleFactory()
        for _ in range(count):
            ArticleFactory(skills=skills, families=[family], roles=[role])

        # count, page, families and skills of the page, the two topic lists
        with django_assert_num_queries(6):
            assert client.get(INSIGHTS).status_code == 200
        # and the skill looked up
        with django_assert_num_queries(7):
            assert client.get(INSIGHTS, {"skill": skills[0].slug}).status_code == 200


class TestArticlePage:
    def test_shows_the_article_its_topics_and_the_roles_it_discusses(self, client):
        nlp = RoleFactory(title="NLP Engineer", slug="nlp-engineer")
        withdrawn = RoleFactory(title="Withdrawn Engineer", published=True)
        Role.objects.filter(pk=withdrawn.pk).update(published=False)
        article = ArticleFactory(
            title="Hiring for NLP",
            body="Read the [template](/roles/nlp-engineer/).",
            skills=[SkillFactory(name="spaCy", slug="spacy")],
            roles=[nlp, withdrawn],
        )

        html = html_of(client.get(article.get_absolute_url()))

        assert '<h1 id="article-title">Hiring for NLP</h1>' in html
        assert '<a href="/insights/?skill=spacy">spaCy</a>' in html
        assert '<a href="/roles/nlp-engineer/">NLP Engineer</a>' in html
        assert "Withdrawn Engineer" not in html
        assert f'href="{reverse("leads:contact")}"' in html

    def test_article_json_ld(self, client):
        role = RoleFactory(title="MLOps Engineer", slug="mlops-engineer")
        article = ArticleFactory(
            title="What MLOps engineers do",
            summary="A short answer.",
            skills=[SkillFactory(name="Kubeflow", slug="kubeflow")],
            roles=[role],
        )

        data = json_ld_of(client.get(article.get_absolute_url()))

        assert data["@context"] == "https://schema.org"
        assert data["@type"] == "Article"
        assert data["headline"] == "What MLOps engineers do"
        assert data["description"] == "A short answer."
        assert data["url"] == "http://testserver/insights/" + article.slug + "/"
        assert datetime.datetime.fromisoformat(data["datePublished"]) == article.published_at
        assert data["author"]["@type"] == "Organization"
        assert data["keywords"] == ["Kubeflow"]
        assert data["about"] == [
            {
                "@type": "Occupation",
                "name": "MLOps Engineer",
                "url": "http://testserver/roles/mlops-engineer/",
            }
        ]

    def test_markup_in_titles_cannot_close_the_json_ld(self, client):
        article = ArticleFactory(title="</script><script>alert(1)</script>")

        page = client.get(article.get_absolute_url()).content.decode()

        assert "<script>alert(1)" not in page
        assert json_ld_of(client.get(article.get_absolute_url()))["headline"] == article.title

    @pytest.mark.parametrize("state", ["draft", "scheduled"])
    def test_an_unpublished_article_is_404(self, client, state):
        if state == "draft":
            article = ArticleFactory(draft=True)
        else:
            article = ArticleFactory(
                published_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)
            )

        assert client.get(article.get_absolute_url()).status_code == 404

    def test_the_stored_html_is_served_without_rendering_again(self, client, monkeypatch):
        article = ArticleFactory(body="Stored **once**.")

        def fail(text):
            raise AssertionError("rendered per request")

        monkeypatch.setattr("content.models.render_markdown", fail)
        monkeypatch.setattr("content.rendering.render_markdown", fail)

        assert "Stored <strong>once</strong>." in html_of(client.get(article.get_absolute_url()))

    def test_the_page_runs_a_fixed_number_of_queries(self, client, django_assert_num_queries):
        roles = [RoleFactory() for _ in range(3)]
        article = ArticleFactory(
            skills=[SkillFactory() for _ in range(5)],
            families=[RoleFamilyFactory()],
            roles=roles,
        )

        # article, families, skills, roles
        with django_assert_num_queries(4):
            assert client.get(article.get_absolute_url()).status_code == 200


class TestFeed:
    def test_atom_feed_of_published_articles(self, client):
        ArticleFactory(title="First", summary="One.", body="Body <b>one</b>.")
        latest = ArticleFactory(
            title="Second", summary="Two.", skills=[SkillFactory(name="JAX", slug="jax")]
        )
        ArticleFactory(title="Draft", draft=True)

        response = client.get(reverse("content:feed"))

        assert response["Content-Type"].startswith("application/atom+xml")
        feed = ET.fromstring(response.content)
        assert feed.tag == f"{ATOM}feed"
        assert feed.find(f"{ATOM}title").text.endswith("insights")
        entries = feed.findall(f"{ATOM}entry")
        assert [e.find(f"{ATOM}title").text for e in entries] == ["Second", "First"]
        second, first = entries
        assert second.find(f"{ATOM}link").get("href") == (
            f"http://testserver{latest.get_absolute_url()}"
        )
        assert second.find(f"{ATOM}summary").text == "Two."
        assert [c.get("term") for c in second.findall(f"{ATOM}category")] == ["JAX"]
        assert first.find(f"{ATOM}content").get("type") == "html"
        assert "<b>one</b>" in first.find(f"{ATOM}content").text
        assert first.find(f"{ATOM}published") is not None

    def test_feed_with_no_articles_is_valid(self, client):
        feed = ET.fromstring(client.get(reverse("content:feed")).content)

        assert feed.findall(f"{ATOM}entry") == []


@pytest.mark.parametrize("kind", ["article", "service"])
def test_a_page_published_after_the_site_started_is_public_at_once(client, kind):
    from django.utils import timezone

    page = (ArticleFactory if kind == "article" else ServicePageFactory)(
        published_at=timezone.now()
    )

    assert client.get(page.get_absolute_url()).status_code == 200
    listed = client.get(INSIGHTS if kind == "article" else SERVICES).content.decode()
    assert page.title in listed


class TestSitemap:
    def test_lists_the_lists_and_every_published_service_and_article(self, client):
        service = ServicePageFactory()
        article = ArticleFactory()
        ServicePageFactory(slug="draft-service", status=Status.DRAFT, published_at=None)
        ArticleFactory(slug="draft-article", draft=True)

        xml = client.get("/sitemap.xml").content.decode()
        locations = set(re.findall(r"<loc>http://testserver(.*?)</loc>", xml))

        assert {SERVICES, INSIGHTS, service.get_absolute_url(), article.get_absolute_url()} <= (
            locations
        )
        assert "/services/draft-service/" not in locations
        assert "/insights/draft-article/" not in locations


class TestRolePage:
    def test_a_role_page_lists_its_published_articles(self, client):
        role = RoleFactory(title="NLP Engineer", slug="nlp-engineer")
        ArticleFactory(title="Hiring NLP engineers", roles=[role])
        ArticleFactory(title="A draft on NLP", roles=[role], draft=True)
        ArticleFactory(title="On something else")

        html = html_of(client.get(role.get_absolute_url()))

        assert "Insights on this role" in html
        assert "Hiring NLP engineers" in html
        assert "A draft on NLP" not in html
        assert "On something else" not in html
        assert "All insights on this role" not in html

    def test_more_than_five_link_to_the_rest(self, client):
        role = RoleFactory(slug="nlp-engineer")
        for _ in range(6):
            ArticleFactory(roles=[role])

        response = client.get(role.get_absolute_url())
        html = html_of(response)

        assert html.count('<li class="mb-2"><a href="/insights/article-') == 5
        assert '<a href="/insights/?role=nlp-engineer">All insights on this role</a>' in html

    def test_a_role_without_articles_has_no_insights_section(self, client):
        role = RoleFactory()

        assert "Insights on this role" not in html_of(client.get(role.get_absolute_url()))


class TestNavigation:
    def test_header_and_footer_link_services_and_insights(self, client):
        html = html_of(client.get(INSIGHTS))

        header = html.split('<header class="site-header">')[1].split("</header>")[0]
        footer = html.split('<footer class="site-footer">')[1]
        assert f'href="{SERVICES}"' in header
        assert f'href="{INSIGHTS}" aria-current="page">Insights' in header
        assert f'href="{SERVICES}"' in footer
        assert f'href="{INSIGHTS}"' in footer


def test_a_role_page_runs_the_same_queries_with_any_number_of_articles(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    role = RoleFactory(slug="nlp-engineer")
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(role.get_absolute_url()).status_code == 200
        counts.append(len(queries))
        ArticleFactory.create_batch(
            7, roles=[role], skills=[SkillFactory()], families=[RoleFamilyFactory()]
        )

    assert counts[0] == counts[1]
