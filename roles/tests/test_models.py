import json

import pytest
from django.db import IntegrityError, transaction

from roles.models import Role, Section, Seniority, seniority_for_years
from roles.tests.factories import RoleFactory, SkillFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("years", "level"),
    [
        (0, Seniority.ENTRY),
        (1, Seniority.ENTRY),
        (2, Seniority.MID),
        (4, Seniority.MID),
        (5, Seniority.SENIOR),
        (7, Seniority.SENIOR),
        (8, Seniority.LEAD),
        (15, Seniority.LEAD),
    ],
)
def test_seniority_follows_the_usual_years(years, level):
    assert seniority_for_years(years) == level


@pytest.mark.parametrize(
    ("low", "high", "label"), [(2, 4, "2-4 years"), (2, None, "2+ years"), (None, None, "")]
)
def test_experience_label(low, high, label):
    assert Role(experience_min_years=low, experience_max_years=high).experience_label == label


@pytest.mark.parametrize(
    "values",
    [
        {"experience_min_years": 5, "experience_max_years": 2},
        {"experience_min_years": None, "experience_max_years": 2},
        {"national_average_salary": 0},
        {"soc_code": "152051"},
        {"slug": "Not_A_Slug"},
    ],
    ids=["min-above-max", "max-without-min", "zero-salary", "bad-soc", "bad-slug"],
)
def test_the_database_refuses_inconsistent_roles(values):
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleFactory(**values)


def test_slugs_are_unique_in_the_database():
    RoleFactory(slug="nlp-engineer")
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleFactory(slug="nlp-engineer")


def test_overview_splits_into_paragraphs():
    role = Role(overview="One.\n\nTwo, still two.\n\n\n\nThree.")

    assert role.overview_paragraphs() == ["One.", "Two, still two.", "Three."]


def test_related_roles_are_ranked_by_shared_skills():
    python, docker, k8s = SkillFactory.create_batch(3)
    role = RoleFactory(skills=[python, docker, k8s])
    close = RoleFactory(title="Close", skills=[python, docker])
    far = RoleFactory(title="Far", skills=[k8s])
    RoleFactory(title="Unrelated", skills=[SkillFactory()])

    related = list(Role.objects.related_to(role))

    assert related == [close, far]
    assert [r.shared_skills for r in related] == [2, 1]


def test_unpublished_roles_are_not_published():
    shown, hidden = RoleFactory(), RoleFactory(published=False)

    assert list(Role.objects.published()) == [shown]
    assert hidden.pk


def test_occupation_json_ld_carries_the_template(seeded):
    role = (
        Role.objects.published()
        .prefetch_related("items", "skills")
        .get(slug="machine-learning-engineer")
    )

    data = json.loads(json.dumps(role.occupation_json_ld(url="https://example.com/r/")))

    assert data["@type"] == "Occupation"
    assert data["name"] == "Machine Learning Engineer"
    assert "PyTorch" in data["skills"]
    assert data["responsibilities"][0].startswith("Design, develop, and deploy")
    assert len(data["educationRequirements"]) == 2
    assert data["experienceRequirements"]["monthsOfExperience"] == 24
    assert data["occupationalCategory"]["codeValue"] == "15-2051"
    assert data["estimatedSalary"][0]["value"]["value"] == 122375
    # "Not required" says nothing is required: it is not a qualification.
    assert "Not required" in role.items_in(Section.CERTIFICATION)
    assert not any(q.lower().startswith("not required") for q in data["qualifications"])
    assert data["qualifications"][0].startswith("Preferred: Google Cloud ML Engineer")


class TestSearch:
    def test_finds_words_in_bullets_skills_and_titles(self, seeded):
        def found(text):
            return set(Role.objects.published().search(text).values_list("slug", flat=True))

        assert found("quantization") == {"edge-ai-engineer"}
        assert found("Detectron2") == {"computer-vision-engineer"}
        assert found("spaCy") == {"nlp-engineer"}
        assert found("NLP") == {
            "machine-learning-engineer",
            "nlp-engineer",
            "deep-learning-engineer",
        }
        assert found("kubernetes") == {"machine-learning-engineer", "mlops-engineer"}

    def test_any_word_may_match(self, seeded):
        # Issue 11: demanding every word found nothing for "pytorch senior".
        found = Role.objects.published().search("quantization kubernetes")

        assert set(found.values_list("slug", flat=True)) == {
            "edge-ai-engineer",
            "machine-learning-engineer",
            "mlops-engineer",
        }

    def test_blank_text_leaves_the_roles_alone(self, seeded):
        assert Role.objects.published().search("   ").count() == 6
