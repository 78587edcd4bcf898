"""The pay range a posting starts from: the agency's seniority band read off the BLS
wages of the employer's market (roles.wages).

The agency marks each seniority at one percentile (SENIORITY_PERCENTILES: entry the
25th, mid the median, senior the 75th, lead the 90th). A range runs from the mark of
the level below (the 10th percentile below entry) up to the level's own: a senior
posting offers between the market's median and its 75th percentile."""

from dataclasses import dataclass

from roles.models import Seniority
from roles.wages.models import PERCENTILE_LABELS, SENIORITY_PERCENTILES, OccupationWage

LEVELS = list(Seniority)


@dataclass(frozen=True)
class PayRange:
    low: int
    high: int
    # Where the figures come from, for the preview: "Seattle-Tacoma-Bellevue, WA, BLS
    # OEWS May 2025, Data Scientists (15-2051): 50th to 75th percentile".
    source: str
    # BLS top-codes wages at or above its bound: the true figure may be higher.
    at_least: bool


def band_columns(seniority: str) -> tuple[str, str]:
    """(low, high) wage columns of a seniority's range."""
    level = Seniority(seniority)
    index = LEVELS.index(level)
    low = SENIORITY_PERCENTILES[LEVELS[index - 1]] if index else "p10"
    return low, SENIORITY_PERCENTILES[level]


def pay_range(wage: OccupationWage | None, seniority: str) -> PayRange | None:
    """The range for `seniority` in `wage`'s market; None when BLS published no figure
    for either end (the employer then types one)."""
    if wage is None:
        return None
    low_column, high_column = band_columns(seniority)
    low, high = getattr(wage, low_column), getattr(wage, high_column)
    if low is None or high is None:
        return None
    return PayRange(
        low=low,
        high=high,
        source=(
            f"{wage.area.title}, BLS OEWS May {wage.year}, {wage.soc_title} ({wage.soc_code}): "
            f"{PERCENTILE_LABELS[low_column].lower()} to {PERCENTILE_LABELS[high_column].lower()}"
        ),
        at_least=wage.figures[high_column].top_coded,
    )
