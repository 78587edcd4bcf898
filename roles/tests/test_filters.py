import pytest
from django.http import QueryDict

from roles.filters import RoleFilter, active_filter_chips, drop_suggestions
from roles.models import Role

pytestmark = pytest.mark.django_db

MLE, NLP, CV, MLOPS, DL, EDGE = (
    "machine-learning-engineer",
    "nlp-engineer",
    "computer-vision-engineer",
    "mlops-engineer",
    "deep-learning-engineer",
    "edge-ai-engineer",
)


def role_filter(query: str) -> RoleFilter:
    return RoleFilter(QueryDict(query), queryset=Role.objects.published())


def slugs(query: str) -> set[str]:
    return set(role_filter(query).qs.values_list("slug", flat=True))


class TestEachFilterAlone:
    def test_no_filter_lists_every_published_role(self, seeded):
        assert slugs("") == {MLE, NLP, CV, MLOPS, DL, EDGE}

    def test_one_skill_lists_the_roles_that_name_it(self, seeded):
        assert slugs("skill=pytorch") == {MLE, CV, DL}

    def test_seniority(self, seeded):
        assert slugs("seniority=senior") == {DL}
        assert slugs("seniority=mid&seniority=senior") == {MLE, NLP, CV, MLOPS, DL, EDGE}
        assert slugs("seniority=lead") == set()

    def test_family(self, seeded):
        assert slugs("family=machine-learning") == {MLE, NLP, CV, MLOPS, DL, EDGE}

    def test_search(self, seeded):
        assert slugs("q=kubernetes") == {MLE, MLOPS}


class TestSkillMatching:
    def test_all_is_the_default_and_needs_every_skill(self, seeded):
        assert slugs("skill=pytorch&skill=docker") == {MLE}
        assert slugs("skill=pytorch&skill=docker&match=all") == {MLE}

    def test_any_needs_one_of_them(self, seeded):
        assert slugs("skill=pytorch&skill=docker&match=any") == {MLE, CV, DL, MLOPS}

    def test_a_repeated_skill_counts_once(self, seeded):
        assert slugs("skill=pytorch&skill=pytorch") == {MLE, CV, DL}


def test_filters_combine(seeded):
    assert slugs("skill=pytorch&seniority=mid") == {MLE, CV}
    assert slugs("skill=gpus&skill=python&match=any&seniority=senior") == {DL}
    assert slugs("q=models&skill=onnx") == {EDGE}


class TestInvalidValues:
    def test_unknown_skill_is_reported_and_left_out(self, seeded):
        f = role_filter("skill=cobol&seniority=senior")

        assert set(f.qs.values_list("slug", flat=True)) == {DL}
        assert f.form.errors["skill"] == ["We don't know the skill “cobol”; it was left out."]

    def test_unknown_seniority_and_family_are_reported(self, seeded):
        f = role_filter("seniority=guru&family=astrology")

        assert f.qs.count() == 6
        assert set(f.form.errors) == {"seniority", "family"}

    def test_overlong_search_is_reported_and_left_out(self, seeded):
        f = role_filter("q=" + "x" * 3000)

        assert f.qs.count() == 6
        assert "limited to 200 characters" in f.form.errors["q"][0]


class TestFacetCounts:
    def test_without_filters_counts_are_role_totals(self, seeded):
        counts = role_filter("").facet_counts()

        assert counts["seniority"] == {"mid": 5, "senior": 1}
        assert counts["family"] == {"machine-learning": 6}
        assert counts["skill"]["pytorch"] == 3
        assert counts["skill"]["collaboration"] == 5

    def test_seniority_counts_ignore_the_seniority_filter_but_apply_the_others(self, seeded):
        counts = role_filter("skill=pytorch&seniority=senior").facet_counts()

        assert counts["seniority"] == {"mid": 2, "senior": 1}

    def test_skill_counts_with_all_narrow_the_current_results(self, seeded):
        counts = role_filter("skill=pytorch").facet_counts()

        assert counts["skill"]["pytorch"] == 3
        assert counts["skill"]["docker"] == 1  # pytorch AND docker
        assert counts["skill"]["onnx"] == 0

    def test_skill_counts_with_any_count_against_the_other_filters(self, seeded):
        counts = role_filter("skill=pytorch&match=any&seniority=mid").facet_counts()

        assert counts["skill"]["docker"] == 2  # the mid-level roles naming docker
        assert counts["skill"]["onnx"] == 1

    def test_facet_options_group_skills_and_hide_empty_ones(self, seeded):
        options = role_filter("skill=onnx").facet_options()

        groups = {group.label: group for group in options["skill_groups"]}
        frameworks = {o.value: o for o in groups["Frameworks and libraries"].options}
        assert frameworks["onnx"].selected
        assert frameworks["onnx"].count == 1
        assert "pytorch" not in frameworks
        assert groups["Frameworks and libraries"].is_open


def test_chips_remove_one_value_each_and_reset_the_page(seeded):
    chips = active_filter_chips(role_filter("skill=pytorch&skill=docker&seniority=mid&page=2"))

    assert [(c.name, c.label) for c in chips] == [
        ("skill", "PyTorch"),
        ("skill", "Docker"),
        ("seniority", "Mid level"),
    ]
    assert chips[0].remove_url == "/roles/?skill=docker&seniority=mid"


def test_empty_results_suggest_the_filters_worth_dropping(seeded):
    suggestions = drop_suggestions(role_filter("skill=onnx&seniority=senior"))

    assert [(s.label, s.count) for s in suggestions] == [
        ("the skill filters", 1),
        ("the seniority filter", 1),
    ]
    assert suggestions[1].url == "/roles/?skill=onnx"
