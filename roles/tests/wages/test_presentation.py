"""What the salary panel and the explorer are built from: one `salary_context` for both."""

import pytest
from django.urls import reverse

from roles.models import Area, AreaType, OccupationWage, Role
from roles.preview import preview_url
from roles.wages.presentation import (
    TICK_MARGIN,
    is_catch_all_occupation,
    median_comparison,
    range_chart,
    salary_context,
    seniority_band,
    sorted_metros,
)

pytestmark = pytest.mark.django_db

DATA_SCIENTISTS = "15-2051"
# What a visitor reads in both pages; `chosen` and `comparison` name the first market.
SHARED_FIGURES = [
    "wage_table",
    "wage_cards",
    "chart",
    "seniority_band",
    "chosen",
    "comparison",
    "comparisons",
    "catch_all_occupation",
]


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

    def test_every_market_is_compared_with_the_national_median(self, wages):
        salary = salary_context(soc_code=DATA_SCIENTISTS, area_codes=["41940", "06"])

        assert [(w.area.code, text) for w, text in salary["comparisons"]] == [
            ("41940", "54% above"),
            ("06", "18% above"),
        ]

    def test_phone_cards_are_the_table_one_area_at_a_time(self, wages):
        salary = salary_context(soc_code=DATA_SCIENTISTS, area_codes=["41940"])

        names = [name for name, _ in salary["wage_cards"]]
        assert names == ["United States", "San Jose-Sunnyvale-Santa Clara, CA"]
        assert ("Median", "$185,080") in salary["wage_cards"][1][1]
        assert len(salary["wage_cards"][0][1]) == len(salary["wage_table"])

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


class TestRangeChart:
    def test_names_every_area_in_full(self):
        long = "Nashville-Davidson--Murfreesboro--Franklin, TN"
        rows = [(long, _metro("34980", p10=50_000, p25=60_000, median=70_000, p75=80_000))]

        assert [bar["label"] for bar in range_chart(rows)["bars"]] == [long]

    def test_marks_are_percentages_of_the_bar_on_one_scale(self):
        rows = [
            ("A", _metro("10001", p10=50_000, p25=60_000, median=70_000, p75=80_000, p90=90_000)),
            ("B", _metro("10002", p10=70_000, median=110_000, p90=150_000)),
        ]

        a, b = range_chart(rows)["bars"]

        assert 0 < a["p10_x"] < a["p25_x"] < a["median_x"] < a["p75_x"] < a["p90_x"] < 100
        assert b["p90_x"] > a["p90_x"]
        assert b["box_width"] is None  # B's quartiles were not published
        assert a["box_width"] == round(a["p75_x"] - a["p25_x"], 2)

    def test_tick_labels_stay_clear_of_the_edges_and_fit_a_phone(self):
        rows = [("A", _metro("10001", p10=67_240, median=120_230, p90=282_840))]

        ticks = range_chart(rows)["ticks"]

        assert 2 <= len(ticks) <= 6
        assert all(TICK_MARGIN <= tick["x"] <= 100 - TICK_MARGIN for tick in ticks)

    def test_nothing_published_draws_nothing(self):
        assert range_chart([("A", _metro("10001"))]) == {}


@pytest.mark.parametrize(
    ("soc_code", "soc_title", "catch_all"),
    [
        ("15-1299", "Computer Occupations, All Other", True),
        ("15-2099", "", True),
        ("15-2051", "Data Scientists", False),
        ("15-1221", "Computer and Information Research Scientists", False),
        ("15-1252", "Software Developers", False),
        ("", "", False),
    ],
)
def test_a_residual_bls_occupation_is_a_catch_all(soc_code, soc_title, catch_all):
    assert is_catch_all_occupation(soc_code, soc_title) is catch_all
