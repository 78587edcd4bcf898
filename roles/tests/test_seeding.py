"""`make run` seeds the library once and never overwrites what editors changed."""

from io import StringIO

import pytest
from django.core.management import call_command

from roles.models import Role, RoleItem, Section, Skill

pytestmark = pytest.mark.django_db


def library() -> dict:
    """The whole library by slug, primary keys left out: what a reader sees."""
    roles = Role.objects.select_related("family", "parent").prefetch_related("skills", "items")
    return {
        role.slug: {
            "fields": {
                name: value
                for name, value in vars(role).items()
                if not name.startswith("_") and not name.endswith("id")
            },
            "family": role.family.slug,
            "parent": role.parent.slug if role.parent else None,
            "skills": sorted(skill.slug for skill in role.skills.all()),
            "items": [
                (item.section, item.position, item.text, item.requirement)
                for item in role.items.all()
            ],
        }
        for role in roles
    }


def seed() -> None:
    call_command("seed_roles", stdout=StringIO())


def test_seeding_an_empty_database_gives_the_same_library_as_the_fixture():
    call_command("loaddata", "fixtures/roles.json", verbosity=0)
    loaded = library()
    Role.objects.all().delete()
    Skill.objects.all().delete()

    seed()

    assert library() == loaded
    assert len(loaded) == 6


def test_a_second_seeding_keeps_every_edit():
    seed()
    role = Role.objects.get(slug="nlp-engineer")
    role.title = "Conversational AI Engineer"
    role.save()
    role.items.filter(section=Section.RESPONSIBILITY).first().delete()
    RoleItem.objects.create(
        role=role, section=Section.SOFT_SKILL, position=99, text="Patience with ambiguity"
    )
    role.skills.remove(Skill.objects.get(slug="spacy"))
    edited = library()

    seed()

    assert library() == edited
    assert Role.objects.get(slug="nlp-engineer").title == "Conversational AI Engineer"


def test_a_missing_template_comes_back_and_nothing_else_changes():
    seed()
    Role.objects.get(slug="edge-ai-engineer").delete()
    Role.objects.filter(slug="mlops-engineer").update(published=False)

    seed()

    assert Role.objects.get(slug="edge-ai-engineer").items.count() > 0
    assert Role.objects.get(slug="mlops-engineer").published is False
    assert Role.objects.get(slug="edge-ai-engineer").parent.slug == "machine-learning-engineer"
