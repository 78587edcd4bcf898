"""What the salary panel and the explorer are built from: one `salary_context` for both."""

import pytest
from django.urls import reverse

from roles.models import Area, AreaType, OccupationWage, Role
from roles.preview import preview_url
from roles.wages.presentation import (
    median_comparison,
    salary_context,
    seniority_band,
    sorted_metros,
)

pytestmark = pytest.mark.django_db

DATA_SCIENTISTS = "15-2051"
# What a visitor reads in both pages; `chosen` and `comparison` name the first market.
SHARED_FIGURES = ["wage_table", "chart", "seniority_band", "chosen", "comparison"]


def figures(context) -> dict:
    return {name: context[name] for name in SHARED_FIGURES}


class TestSalaryContext:
    def test_the_nation_and_each_market_asked_for_in_order(self, wages):
        salary = salary_context(soc_code=DATA_SCIENTISTS, area_codes=["06", "41940"])

        assert [w.area.code for w in salary["shown"]] == ["99", "06", "41940"]
        assert [w.area.code for w in salary["markets"]] == ["06", "41940"]
        assert salary["chosen"].area.code == "06"
        assert salary["wage_table"][2] == ("Median", ["$120,230", "$141,590", "$185,080"])

    def test_unknown_national_repeated_and_surplus_codes_are_left_out(self, wages):
        codes = ["nope", "99", "41940", None, "41940", "06", "36", "42660"]

        salary = salary_context(soc_code=DATA_SCIENTISTS, area_codes=codes)

        assert [w.area.code for w in salary["markets"]] == ["41940", "06", "36"]

    def test_a_limit_of_one_keeps_the_first_market(self, wages):
        salary = salary_context(soc_code=DATA_SCIENTISTS, area_codes=["41940", "06"], limit=1)

        assert [w.area.code for w in salary["shown"]] == ["99", "41940"]
        assert salary["comparison"] == "54% above"

    def test_seniority_band_follows_the_first_market_else_the_nation(self, wages):
        national = salary_context(soc_code=DATA_SCIENTISTS)
        san_jose = salary_context(soc_code=DATA_SCIENTISTS, area_codes=["41940"])

        assert ("Mid level", "Median", "$120,230") in _band(national)
        assert ("Mid level", "Median", "$185,080") in _band(san_jose)
        assert (national["chosen"], national["comparison"]) == (None, "")

    def test_without_an_occupation_or_its_data_there_is_nothing_to_show(self, wages):
        for soc_code in ["", "15-9999"]:
            salary = salary_context(soc_code=soc_code, area_codes=["41940"])

            assert salary["wages"].national is None
            assert (salary["shown"], salary["wage_table"][0][1], salary["chart"]) == ([], [], {})
            assert salary["seniority_band"] == []

    def test_reads_in_a_fixed_number_of_queries(self, wages, django_assert_num_queries):
        with django_assert_num_queries(2):  # the latest year, then that year's rows
            salary_context(soc_code=DATA_SCIENTISTS, area_codes=["41940", "06", "36"])


class TestBothPagesShowTheSameFigures:
    @pytest.mark.parametrize(
        ("slug", "area"),
        [
            ("machine-learning-engineer", "41940"),
            ("nlp-engineer", "06"),
            ("edge-ai-engineer", "02"),  # wages BLS did not publish
            ("mlops-engineer", ""),
        ],
    )
    def test_role_page_and_explorer(self, client, wages, slug, area):
        role_page = client.get(reverse("roles:detail", args=[slug]), {"area": area})
        explorer = client.get(reverse("roles:salaries"), {"role": slug, "area": area})

        assert figures(role_page.context) == figures(explorer.context)
        assert role_page.context["wage_table"][2][1][0].startswith("$")

    def test_a_drafts_preview_shows_its_published_figures(self, client, wages):
        draft = Role.objects.drafts().get(slug="nlp-engineer")

        preview = client.get(preview_url(draft), {"area": "41940"})
        public = client.get(reverse("roles:detail", args=["nlp-engineer"]), {"area": "41940"})

        assert preview.status_code == 200
        assert figures(preview.context) == figures(public.context)
        assert preview.context["chosen"].area.title == "San Jose-Sunnyvale-Santa Clara, CA"


def _band(salary) -> list[tuple[str, str, str]]:
    return [(level, label, str(figure)) for level, label, figure in salary["seniority_band"]]


def _metro(code: str, **figures) -> OccupationWage:
    area = Area(code=code, title=f"Metro {code}, ST", type=AreaType.METRO)
    return OccupationWage(area=area, year=2025, soc_code=DATA_SCIENTISTS, **figures)


def test_metros_sort_either_way_with_unpublished_figures_last():
    metros = [_metro("10001", median=90_000), _metro("10002"), _metro("10003", median=120_000)]

    assert [w.area.code for w in sorted_metros(metros, "-median")] == ["10003", "10001", "10002"]
    assert [w.area.code for w in sorted_metros(metros, "median")] == ["10001", "10003", "10002"]


@pytest.mark.parametrize(
    ("median", "expected"),
    [(110_000, "10% above"), (92_000, "8% below"), (100_000, "the same as"), (None, "")],
)
def test_median_comparison_reads_in_words(median, expected):
    national = _metro("99", median=100_000)

    assert median_comparison(_metro("10001", median=median), national) == expected


def test_seniority_band_is_the_agencys_rule_and_keeps_bls_markers():
    wage = _metro("10001", p25=80_000, median=100_000, p75=120_000, p90=239_200, top_coded="p90")

    assert [(level, str(figure)) for level, _, figure in seniority_band(wage)] == [
        ("Entry level", "$80,000"),
        ("Mid level", "$100,000"),
        ("Senior", "$120,000"),
        ("Lead", "at or above $239,200"),
    ]
    assert seniority_band(None) == []
