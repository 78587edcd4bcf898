"""The shipped role library against the agency's seed page it comes from."""

import json
import re
from pathlib import Path

import pytest

from roles.models import Role, Section, Seniority, SeniorityBasis, Skill
from roles.seeding import seed_library
from roles.tests.seed import SKILL_PATTERNS, parse_seed, roles_naming

pytestmark = pytest.mark.django_db
FIXTURES = sorted((Path(__file__).resolve().parents[2] / "fixtures").glob("*.json"))
SEED = parse_seed()


def test_the_seed_reader_finds_all_six_templates():
    assert list(SEED) == [
        "machine-learning-engineer",
        "nlp-engineer",
        "computer-vision-engineer",
        "mlops-engineer",
        "deep-learning-engineer",
        "edge-ai-engineer",
    ]
    assert len(SEED["machine-learning-engineer"].sections["responsibility"]) == 8
    assert sum(len(b) for role in SEED.values() for b in role.sections.values()) == 91


def test_seeding_gives_each_template_a_draft_and_a_published_copy():
    summary = seed_library()

    assert len(summary.added["role templates"]) == 6
    assert Role.objects.drafts().count() == 6
    assert sorted(Role.objects.published().values_list("slug", flat=True)) == sorted(SEED)
    for draft in Role.objects.drafts().select_related("live_copy"):
        assert draft.live_copy.slug == draft.slug
        assert draft.live_copy.items.count() == draft.items.count() > 0


def test_no_fixture_contains_a_user_or_a_password():
    for fixture in FIXTURES:
        models = {entry["model"] for entry in json.loads(fixture.read_text())}
        assert not {m for m in models if m.startswith("auth.")}, fixture.name
        assert "password" not in fixture.read_text().lower(), fixture.name


@pytest.mark.parametrize("slug", list(SEED))
def test_every_bullet_of_the_seed_is_in_its_role_in_order(seeded, slug):
    role = Role.objects.published().get(slug=slug)

    stored = {
        section.value: role.items_in(section) for section in Section if role.items_in(section)
    }
    assert stored == SEED[slug].sections


@pytest.mark.parametrize("slug", list(SEED))
def test_overview_paragraphs_and_title_match_the_seed(seeded, slug):
    role = Role.objects.published().get(slug=slug)

    assert role.title == SEED[slug].title
    assert role.overview_paragraphs() == SEED[slug].overview


@pytest.mark.parametrize("slug", list(SEED))
def test_experience_and_seniority_follow_the_stated_years(seeded, slug):
    role = Role.objects.published().get(slug=slug)
    years = SEED[slug].experience_years

    if years is None:
        assert role.seniority_basis == SeniorityBasis.EDITORIAL
        assert role.seniority_note
        assert (role.experience_min_years, role.experience_max_years) == (None, None)
    else:
        assert (role.experience_min_years, role.experience_max_years) == years
        assert role.seniority_basis == SeniorityBasis.STATED_YEARS
        assert role.seniority == Seniority.MID  # every stated range starts at 2 years


def test_only_the_machine_learning_engineer_states_a_national_average(seeded):
    salaries = dict(Role.objects.published().values_list("slug", "national_average_salary"))

    assert salaries == {slug: role.national_average_salary for slug, role in SEED.items()}
    assert salaries["machine-learning-engineer"] == 122375


def test_the_general_template_is_the_parent_of_the_five_specialisations(seeded):
    parent = Role.objects.published().get(slug="machine-learning-engineer")

    assert parent.parent is None
    assert set(parent.specialisations.values_list("slug", flat=True)) == set(SEED) - {parent.slug}


def test_every_role_names_its_bls_stand_in_with_a_reason(seeded):
    for role in Role.objects.published():
        assert re.fullmatch(r"15-\d{4}", role.soc_code)
        assert role.soc_title
        assert len(role.soc_rationale) > 40


def test_the_skill_taxonomy_is_exactly_what_the_seed_names(seeded):
    assert set(Skill.objects.values_list("slug", flat=True)) == set(SKILL_PATTERNS)
    for skill in Skill.objects.all():
        name, kind, _ = SKILL_PATTERNS[skill.slug]
        assert (skill.name, skill.kind) == (name, kind)


@pytest.mark.parametrize("slug", list(SKILL_PATTERNS))
def test_a_skill_tags_exactly_the_roles_whose_seed_text_names_it(seeded, slug):
    tagged = set(Role.objects.published().filter(skills__slug=slug).values_list("slug", flat=True))

    assert tagged == roles_naming(slug, SEED)


def test_design_slugs_are_used():
    expected = {
        "pytorch",
        "scikit-learn",
        "hugging-face-transformers",
        "aws-sagemaker",
        "tensorflow-lite",
        "nvidia-jetson",
    }
    assert expected <= set(SKILL_PATTERNS)
