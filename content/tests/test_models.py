import datetime

import pytest
import time_machine
from django.db import IntegrityError

from content.models import Article, ServicePage, Status
from content.tests.factories import ArticleFactory, ServicePageFactory
from roles.models import Copy, Role
from roles.services import role_publish, role_withdraw
from roles.tests.factories import RoleFactory, RoleFamilyFactory, SkillFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2027, 2, 1, 12, tzinfo=datetime.UTC)


class TestRenderingOnSave:
    def test_the_body_is_rendered_once_on_save(self):
        article = ArticleFactory(body="# Why\n\n<script>x()</script>Because.")

        stored = Article.objects.values_list("body_html", flat=True).get(pk=article.pk)
        assert stored.startswith("<h2>Why</h2>")
        assert "Because." in stored
        assert "<script" not in stored

    def test_saving_the_body_alone_renders_it_too(self):
        article = ArticleFactory(body="Old")
        article.body = "New **text**"
        article.save(update_fields=["body"])

        article.refresh_from_db()
        assert "<strong>text</strong>" in article.body_html

    def test_saving_other_fields_alone_leaves_the_html(self):
        article = ArticleFactory(body="Kept")
        Article.objects.filter(pk=article.pk).update(body_html="<p>Stored</p>")
        article.refresh_from_db()

        article.title = "Renamed"
        article.save(update_fields=["title"])

        article.refresh_from_db()
        assert article.body_html == "<p>Stored</p>"


class TestPublishing:
    def test_only_published_pages_from_their_time_on_are_public(self):
        with time_machine.travel(NOW):
            public = ArticleFactory(published_at=NOW - datetime.timedelta(minutes=1))
            ArticleFactory(draft=True)
            ArticleFactory(published_at=NOW + datetime.timedelta(days=1))  # scheduled

            assert list(Article.objects.published()) == [public]
            assert [a.is_public for a in Article.objects.order_by("pk")] == [True, False, False]

    def test_a_scheduled_page_appears_when_its_time_comes(self):
        with time_machine.travel(NOW):
            article = ArticleFactory(published_at=NOW + datetime.timedelta(hours=1))
        with time_machine.travel(NOW + datetime.timedelta(hours=2)):
            assert list(Article.objects.published()) == [article]

    def test_publishing_stamps_the_time_once(self):
        with time_machine.travel(NOW, tick=False):
            page = ServicePageFactory(status=Status.DRAFT, published_at=None)
            page.publish()
        page.refresh_from_db()
        assert (page.status, page.published_at) == (Status.PUBLISHED, NOW)

        page.unpublish()
        page.publish()
        page.refresh_from_db()
        assert page.published_at == NOW  # first published then, still

    def test_saving_as_published_without_a_date_dates_it_now(self):
        with time_machine.travel(NOW, tick=False):
            article = ArticleFactory(status=Status.PUBLISHED, published_at=None)

        assert article.published_at == NOW

    def test_a_published_page_has_a_date_in_the_database(self):
        page = ServicePageFactory()
        with pytest.raises(IntegrityError):
            ServicePage.objects.filter(pk=page.pk).update(published_at=None)

    def test_slugs_are_lowercase_words_with_hyphens(self):
        with pytest.raises(IntegrityError):
            ArticleFactory(slug="Not A Slug")

    def test_unpublishing_takes_it_off_the_site(self):
        article = ArticleFactory()
        article.unpublish()

        assert not Article.objects.published().exists()
        assert Article.objects.get().status == Status.DRAFT


class TestRoleLinks:
    def test_articles_about_a_role_reach_it_from_its_draft_and_its_published_copy(self):
        draft = RoleFactory(published=False)
        live = RoleFactory(slug=draft.slug, title=draft.title)
        Role.objects.filter(pk=draft.pk).update(live_copy=live)
        draft.refresh_from_db()
        article = ArticleFactory(roles=[live])

        assert list(Article.objects.about(live)) == [article]
        assert list(Article.objects.about(draft)) == [article]

    def test_a_never_published_draft_has_no_articles(self):
        draft = RoleFactory(published=False)

        assert list(Article.objects.about(draft)) == []

    def test_the_link_survives_publishing_again_and_withdrawing(self, admin_user):
        draft = RoleFactory(published=False, title="Applied Scientist", slug="applied-scientist")
        live = role_publish(draft=draft, by=admin_user)
        article = ArticleFactory(roles=[live])

        draft.title = "Applied Research Scientist"
        draft.save()
        again = role_publish(draft=draft, by=admin_user)
        assert again.pk == live.pk
        assert list(Article.objects.about(again)) == [article]

        draft.refresh_from_db()
        role_withdraw(draft=draft, by=admin_user)
        assert list(article.roles.published()) == []
        assert list(article.roles.all()) == [live]  # back once it is published again
        role_publish(draft=draft, by=admin_user)
        assert list(article.roles.published()) == [live]

    def test_the_admin_offers_published_copies_only(self):
        assert Article._meta.get_field("roles").remote_field.limit_choices_to == {"copy": Copy.LIVE}

    def test_tags_are_families_then_skills(self, django_assert_num_queries):
        family = RoleFamilyFactory()
        skill = SkillFactory(name="PyTorch", slug="pytorch")
        ArticleFactory(families=[family], skills=[skill])

        article = Article.objects.for_cards().get()
        with django_assert_num_queries(0):
            assert article.tags() == [family, skill]


def test_str_is_the_title():
    assert str(Article(title="Hiring an MLOps engineer")) == "Hiring an MLOps engineer"


def test_merging_skills_keeps_articles_tagged(admin_user):
    from roles.skills import skill_merge

    tensorflow = SkillFactory(name="TensorFlow", slug="tensorflow")
    lite = SkillFactory(name="TensorFlow Lite", slug="tensorflow-lite")
    RoleFactory(skills=[lite])  # a merge needs no role, but one keeps it realistic
    on_lite = ArticleFactory(skills=[lite])
    on_both = ArticleFactory(skills=[lite, tensorflow])
    untouched = ArticleFactory(skills=[SkillFactory(name="JAX", slug="jax")])

    skill_merge(survivor=tensorflow, merged=[lite], by=admin_user)

    assert list(on_lite.skills.all()) == [tensorflow]
    assert list(on_both.skills.all()) == [tensorflow]
    assert [s.slug for s in untouched.skills.all()] == ["jax"]
