"""The agency page's overview is the one seeded article: its words exactly, linked to
the role it describes, inserted once and never over an editor's changes."""

import io

import pytest
from django.core.management import call_command

from content.models import Article, Status
from content.seeding import SLUG, SOURCE, seed_insights
from roles.models import Role
from roles.seeding import seed_library

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(db):
    seed_library()


def test_the_article_is_the_overview_word_for_word(library):
    article = seed_insights()

    source = " ".join(SOURCE.read_text(encoding="utf-8").split())
    for paragraph in article.body.split("\n\n"):
        assert paragraph in source
    assert article.body.startswith("A machine learning engineer designs, builds, and deploys")
    assert article.body.endswith("is essential.")
    assert article.summary == (
        "A machine learning engineer designs, builds, and deploys artificial intelligence "
        "systems that can learn from data and improve over time."
    )


def test_it_is_published_on_the_roles_day_and_linked_to_what_it_names(client, library):
    article = seed_insights()
    role = Role.objects.published().get(slug="machine-learning-engineer")

    assert (article.status, article.published_at) == (Status.PUBLISHED, role.published_at)
    assert list(article.roles.all()) == [role]
    assert [f.slug for f in article.families.all()] == ["machine-learning"]
    assert sorted(s.name for s in article.skills.all()) == ["PyTorch", "TensorFlow"]
    page = client.get(f"/insights/{SLUG}/")
    assert page.status_code == 200
    assert "What Does a Machine Learning Engineer Do?" in page.content.decode()
    role_page = client.get(role.get_absolute_url()).content.decode()
    assert f'href="/insights/{SLUG}/"' in role_page


def test_seeding_again_keeps_an_editors_changes(library):
    seed_insights()
    Article.objects.filter(slug=SLUG).update(title="Edited", status=Status.DRAFT)
    out = io.StringIO()

    call_command("seed_content", stdout=out)

    assert Article.objects.count() == 1
    assert Article.objects.values_list("title", "status").get() == ("Edited", Status.DRAFT)
    assert "left as it is" in out.getvalue()


def test_the_command_seeds_once(library):
    out = io.StringIO()

    call_command("seed_content", stdout=out)
    call_command("seed_content", stdout=out)

    assert Article.objects.count() == 1
    assert f"Seeded the article /insights/{SLUG}/." in out.getvalue()
