import re
from html import unescape

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from reversion.models import Version

from content.models import Article, ServicePage, Status
from content.preview import pk_from
from content.tests.factories import ArticleFactory, ServicePageFactory
from roles.models import Role
from roles.tests.factories import RoleFactory, RoleFamilyFactory, SkillFactory

pytestmark = pytest.mark.django_db

ARTICLES = reverse("admin:content_article_changelist")
SERVICES = reverse("admin:content_servicepage_changelist")


def html_of(response) -> str:
    assert response.status_code == 200
    return unescape(response.content.decode())


@pytest.fixture
def every_state():
    """An article and a service page in each state: draft, scheduled, published."""
    role = RoleFactory(title="NLP Engineer", slug="nlp-engineer")
    skill = SkillFactory(name="spaCy", slug="spacy")
    family = RoleFamilyFactory()
    ArticleFactory(title="Draft article", draft=True, skills=[skill])
    ArticleFactory(title="Scheduled article", published_at="2999-01-01T00:00:00Z")
    ArticleFactory(title="Published article", roles=[role], skills=[skill], families=[family])
    ServicePageFactory(title="Draft service", status=Status.DRAFT, published_at=None)
    ServicePageFactory(title="Published service")


class TestEditorsPermissions:
    def test_editors_may_add_change_delete_and_view_both_models(self, editor):
        for model in ("article", "servicepage"):
            for action in ("add", "change", "delete", "view"):
                assert editor.has_perm(f"content.{action}_{model}")

    def test_the_migration_grants_them_to_the_editors_group(self):
        codenames = set(
            Group.objects.get(name="Editors")
            .permissions.filter(content_type__app_label="content")
            .values_list("codename", flat=True)
        )

        assert codenames == {
            f"{action}_{model}"
            for model in ("article", "servicepage", "testimonial", "placementfigure")
            for action in ("add", "change", "delete", "view")
        }

    def test_recruiters_do_not_get_them(self, django_user_model):
        from leads.tests.factories import recruiters_group

        user = django_user_model.objects.create_user("rita", password="x", is_staff=True)
        user.groups.add(recruiters_group())

        assert not user.has_perm("content.change_article")


class TestAdminPages:
    @pytest.mark.parametrize("url", [ARTICLES, SERVICES])
    def test_changelists_with_a_search_and_a_filter(self, editor_client, every_state, url):
        assert "Published" in html_of(editor_client.get(url))
        found = html_of(editor_client.get(url, {"q": "draft"}))
        assert "Draft" in found
        assert "Published article" not in found
        assert "Published service" not in found
        drafts = html_of(editor_client.get(url, {"status__exact": "draft"}))
        assert "Draft" in drafts
        assert "Scheduled" not in drafts

    def test_the_list_says_scheduled_for_a_future_date(self, editor_client, every_state):
        html = html_of(editor_client.get(ARTICLES))

        assert "Scheduled" in html

    def test_article_filters_by_skill_and_role(self, editor_client, every_state):
        skill = SkillFactory(slug="spacy")
        role = Role.objects.get(slug="nlp-engineer")

        by_skill = html_of(editor_client.get(ARTICLES, {"skills__id__exact": skill.pk}))
        by_role = html_of(editor_client.get(ARTICLES, {"roles__id__exact": role.pk}))

        assert "Draft article" in by_skill
        assert "Scheduled article" not in by_skill
        assert "Published article" in by_role
        assert "Draft article" not in by_role

    @pytest.mark.parametrize("url", ["admin:content_article_add", "admin:content_servicepage_add"])
    def test_add_pages(self, editor_client, url):
        html = html_of(editor_client.get(reverse(url)))

        assert "Markdown" in html
        assert "/preview/" not in html  # nothing saved to preview yet

    @pytest.mark.parametrize("title", ["Draft article", "Scheduled article", "Published article"])
    def test_article_change_pages_link_their_preview(self, editor_client, every_state, title):
        article = Article.objects.get(title=title)

        html = html_of(
            editor_client.get(reverse("admin:content_article_change", args=[article.pk]))
        )

        token = re.search(r'href="/preview/insights/([^/"]+)/"', html)[1]
        assert pk_from(token, kind="article") == article.pk
        assert ("View on site" in html) == (title == "Published article")

    @pytest.mark.parametrize("title", ["Draft service", "Published service"])
    def test_service_change_pages(self, editor_client, every_state, title):
        page = ServicePage.objects.get(title=title)

        html = html_of(
            editor_client.get(reverse("admin:content_servicepage_change", args=[page.pk]))
        )

        assert re.search(r'href="/preview/services/[^/"]+/"', html)

    def test_the_roles_to_choose_are_published_copies(self, editor_client, every_state):
        RoleFactory(title="Unpublished draft", published=False)

        response = editor_client.get(reverse("admin:content_article_add"))
        choices = response.context["adminform"].form.fields["roles"].queryset

        assert [role.title for role in choices] == ["NLP Engineer"]

    def test_history_page(self, editor_client, every_state):
        article = Article.objects.get(title="Published article")

        assert (
            editor_client.get(
                reverse("admin:content_article_history", args=[article.pk])
            ).status_code
            == 200
        )


class TestEditing:
    def test_an_editor_writes_a_draft_then_publishes_it(self, editor_client):
        role = RoleFactory(title="NLP Engineer", slug="nlp-engineer")
        skill = SkillFactory(name="spaCy", slug="spacy")
        data = {
            "title": "Hiring NLP engineers",
            "slug": "hiring-nlp-engineers",
            "summary": "What to look for.",
            "body": "# Skills\n\nspaCy and <script>x()</script>transformers.",
            "skills": [skill.pk],
            "roles": [role.pk],
            "status": "draft",
            "published_at_0": "",
            "published_at_1": "",
        }

        response = editor_client.post(reverse("admin:content_article_add"), data)

        assert response.status_code == 302, response.context["adminform"].form.errors
        article = Article.objects.get()
        assert article.status == Status.DRAFT
        assert "<h2>Skills</h2>" in article.body_html
        assert "<script" not in article.body_html
        assert list(article.roles.all()) == [role]
        assert Version.objects.get_for_object(article).count() == 1

        response = editor_client.post(
            reverse("admin:content_article_changelist"),
            {"action": "publish_selected", "_selected_action": [article.pk]},
        )
        assert response.status_code == 302
        article.refresh_from_db()
        assert article.is_public

    def test_saving_as_published_with_no_date_publishes_it_now(self, editor_client):
        data = {
            "title": "Contract staffing",
            "slug": "contract-staffing",
            "summary": "Engineers for a fixed term.",
            "body": "How it works.",
            "position": 1,
            "status": "published",
            "published_at_0": "",
            "published_at_1": "",
        }

        response = editor_client.post(reverse("admin:content_servicepage_add"), data)

        assert response.status_code == 302
        assert ServicePage.objects.published().get().title == "Contract staffing"

    def test_no_add_another_role_from_an_article(self, editor_client):
        html = html_of(editor_client.get(reverse("admin:content_article_add")))

        assert "Add another role family" in html
        assert 'Add another role"' not in html
        assert reverse("admin:roles_role_add") not in html

    def test_taking_pages_off_the_site(self, editor_client, every_state):
        published = ServicePage.objects.get(title="Published service")

        editor_client.post(
            SERVICES, {"action": "unpublish_selected", "_selected_action": [published.pk]}
        )

        published.refresh_from_db()
        assert published.status == Status.DRAFT
        assert not ServicePage.objects.published().exists()
