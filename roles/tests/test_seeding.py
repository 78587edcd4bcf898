"""`make run` seeds the library once and never overwrites what editors changed;
`reseed_role` re-syncs one template from the seed on purpose, diff first."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from roles.history import versions_of
from roles.models import Role, RoleItem, Section, Skill
from roles.services import role_publish, role_withdraw
from roles.skills import skill_merge, skill_rename

pytestmark = pytest.mark.django_db


def library() -> dict:
    """The whole library, drafts and published copies, primary keys left out."""
    roles = Role.objects.select_related("family", "parent").prefetch_related("skills", "items")
    return {
        (role.copy, role.slug): {
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


def seed() -> str:
    out = StringIO()
    call_command("seed_roles", stdout=out)
    return out.getvalue()


def test_seeding_twice_changes_nothing_and_says_so():
    seed()
    seeded = library()

    report = seed()

    assert library() == seeded
    assert len(seeded) == 12  # six templates, each a draft and a published copy
    assert "role templates: 0 added, 6 already there" in report


def test_a_second_seeding_keeps_every_edit_published_or_not(admin_user):
    seed()
    draft = Role.objects.drafts().get(slug="nlp-engineer")
    draft.title = "Conversational AI Engineer"
    draft.save()
    draft.items.filter(section=Section.RESPONSIBILITY).first().delete()
    RoleItem.objects.create(
        role=draft, section=Section.SOFT_SKILL, position=99, text="Patience with ambiguity"
    )
    draft.skills.remove(Skill.objects.get(slug="spacy"))
    role_publish(draft=draft, by=admin_user)
    Role.objects.drafts().filter(slug="mlops-engineer").update(summary="Unpublished edit")
    edited = library()

    seed()

    assert library() == edited
    assert Role.objects.published().get(slug="nlp-engineer").title == "Conversational AI Engineer"


def test_a_missing_template_comes_back_and_nothing_else_changes(admin_user):
    seed()
    Role.objects.filter(slug="edge-ai-engineer").delete()
    role_withdraw(draft=Role.objects.drafts().get(slug="mlops-engineer"), by=admin_user)

    seed()

    edge = Role.objects.published().get(slug="edge-ai-engineer")
    assert edge.items.count() > 0
    assert edge.parent == Role.objects.published().get(slug="machine-learning-engineer")
    assert Role.objects.drafts().get(slug="edge-ai-engineer").parent.copy == "draft"
    assert not Role.objects.published().filter(slug="mlops-engineer").exists()


def test_skills_renamed_or_merged_by_editors_stay_so(admin_user):
    seed()
    pytorch = Skill.objects.get(slug="pytorch")
    pytorch.slug = "torch"  # the name stays "PyTorch", and names are unique
    pytorch.save()
    skill_rename(skill=pytorch, old_slug="pytorch")
    skill_merge(
        survivor=Skill.objects.get(slug="nltk"), merged=[Skill.objects.get(slug="spacy")], by=None
    )
    edited = library()

    report = seed()

    assert library() == edited
    assert not Skill.objects.filter(slug__in=["pytorch", "spacy"]).exists()
    assert "skills: 0 added" in report
    # Re-syncing reads the seed's skills at their new addresses: nothing to do.
    for slug in ["computer-vision-engineer", "nlp-engineer"]:
        assert reseed(slug) == f"{slug}: the draft already says what the seed says.\n"


def test_a_seeded_template_starts_its_history_and_is_published_as_of_the_seed():
    seed()
    draft = Role.objects.drafts().get(slug="machine-learning-engineer")

    comments = [version.revision.comment for version in versions_of(draft)]

    assert comments == ["Published", "Seeded from the agency's page"]
    assert draft.published_by is None
    assert draft.live_copy.last_reviewed == draft.last_reviewed


def reseed(*args) -> str:
    out = StringIO()
    call_command("reseed_role", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def edited_nlp(admin_user):
    """The NLP template with a published edit: a new title and one bullet less."""
    seed()
    draft = Role.objects.drafts().get(slug="nlp-engineer")
    draft.title = "Conversational AI Engineer"
    draft.save()
    draft.items.filter(section=Section.RESPONSIBILITY).order_by("position").first().delete()
    role_publish(draft=draft, by=admin_user)
    return draft


def test_reseed_shows_the_diff_and_changes_nothing_unless_confirmed(edited_nlp, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    before = library()

    report = reseed("nlp-engineer")

    assert "- Conversational AI Engineer" in report
    assert "+ Natural Language Processing Engineer" in report
    assert "Responsibilities:" in report
    assert "Nothing changed." in report
    assert library() == before


def test_reseed_yes_restores_the_draft_and_keeps_the_public_page_until_publishing(edited_nlp):
    report = reseed("nlp-engineer", "--yes")

    draft = Role.objects.drafts().get(slug="nlp-engineer")
    assert "the draft is the seed's again" in report
    assert draft.title == "Natural Language Processing Engineer"
    assert draft.items.filter(section=Section.RESPONSIBILITY).count() == 5
    assert versions_of(draft)[0].revision.comment == "Re-synced from the seed"
    assert Role.objects.published().get(slug="nlp-engineer").title == "Conversational AI Engineer"
    assert reseed("nlp-engineer") == "nlp-engineer: the draft already says what the seed says.\n"


def test_reseed_names_what_it_cannot_find():
    seed()
    with pytest.raises(CommandError, match="No template 'quantum-engineer' in the database"):
        reseed("quantum-engineer")
