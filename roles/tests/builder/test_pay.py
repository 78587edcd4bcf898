"""The builder's pay range: the agency's seniority band, read off the BLS row of the
employer's market."""

import pytest

from roles.builder.pay import band_columns, pay_range
from roles.models import Seniority
from roles.wages.models import OccupationWage

pytestmark = pytest.mark.django_db

DATA_SCIENTISTS = "15-2051"
SEATTLE = "42660"


@pytest.mark.parametrize(
    ("seniority", "columns"),
    [
        (Seniority.ENTRY, ("p10", "p25")),
        (Seniority.MID, ("p25", "median")),
        (Seniority.SENIOR, ("median", "p75")),
        (Seniority.LEAD, ("p75", "p90")),
    ],
)
def test_each_level_runs_from_the_mark_below_to_its_own(seniority, columns):
    assert band_columns(seniority) == columns


def test_the_range_is_the_markets_bls_figures(wages):
    row = OccupationWage.objects.select_related("area").get(
        soc_code=DATA_SCIENTISTS, area__code=SEATTLE
    )

    senior = pay_range(row, Seniority.SENIOR)

    assert (senior.low, senior.high) == (row.median, row.p75)
    assert senior.source == (
        f"Seattle-Tacoma-Bellevue, WA, BLS OEWS May {row.year}, Data Scientists (15-2051): "
        "median to 75th percentile"
    )
    assert senior.at_least is False


def test_a_top_coded_or_missing_figure_is_said_or_left_to_the_employer(wages):
    row = OccupationWage.objects.select_related("area").get(
        soc_code=DATA_SCIENTISTS, area__code=SEATTLE
    )
    row.top_coded = "p90"
    assert pay_range(row, Seniority.LEAD).at_least is True

    row.p75 = None
    assert pay_range(row, Seniority.SENIOR) is None
    assert pay_range(None, Seniority.SENIOR) is None
