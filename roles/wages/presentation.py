"""What the salary panel, the salary explorer and the wage import page show, read in a fixed
number of queries."""

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Max
from django.http import HttpResponse

from portal.spreadsheets import no_formula
from roles.models import (
    PERCENTILE_COLUMNS,
    PERCENTILE_LABELS,
    SENIORITY_PERCENTILES,
    Area,
    AreaType,
    OccupationWage,
    Role,
    Seniority,
)

MAX_COMPARED = 3
MARKET_GROUPS = [
    (AreaType.METRO, "Metropolitan areas"),
    (AreaType.STATE, "States"),
    (AreaType.TERRITORY, "Territories"),
]


@dataclass
class OccupationWages:
    """One occupation's latest wages: nationally and in every market BLS published."""

    soc_code: str
    year: int | None = None
    national: OccupationWage | None = None
    markets: dict[str, OccupationWage] = field(default_factory=dict)

    @classmethod
    def load(cls, soc_code: str) -> "OccupationWages":
        year = OccupationWage.objects.latest_year(soc_code)
        wages = cls(soc_code=soc_code, year=year)
        if year is None:
            return wages
        rows = (
            OccupationWage.objects.for_occupation(soc_code, year)
            .filter(area__type__in=[AreaType.NATIONAL, *(t for t, _ in MARKET_GROUPS)])
            .select_related("area")
        )
        for wage in rows.order_by("area__title"):
            if wage.area.code == Area.NATIONAL_CODE:
                wages.national = wage
            else:
                wages.markets[wage.area.code] = wage
        return wages

    @property
    def soc_title(self) -> str:
        return self.national.soc_title if self.national else ""

    def market(self, code: str | None) -> OccupationWage | None:
        return self.markets.get(code or "")

    def market_choices(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """Markets for a picker, grouped by kind, each by name."""
        return [
            (
                label,
                [(w.area.code, w.area.title) for w in self.markets.values() if w.area.type == kind],
            )
            for kind, label in MARKET_GROUPS
        ]

    def metros(self) -> list[OccupationWage]:
        return [w for w in self.markets.values() if w.area.type == AreaType.METRO]


def salary_context(
    *, soc_code: str, area_codes: Iterable[str | None] = (), limit: int = MAX_COMPARED
) -> dict:
    """What the role page's salary panel and the explorer show for one occupation: the
    national figures and up to `limit` markets, in the order asked, each market once.

    One builder for both pages (and one template, roles/_salary_figures.html), so that a
    role and a market read the same figures on either. Codes without data (unknown,
    national, or not published) are left out."""
    wages = OccupationWages.load(soc_code) if soc_code else OccupationWages(soc_code="")
    markets = list(
        {code: wages.market(code) for code in area_codes if wages.market(code)}.values()
    )[:limit]
    chosen = markets[0] if markets else None
    shown = [w for w in (wages.national, *markets) if w]
    table = wage_table(shown)
    return {
        "wages": wages,
        "markets": markets,
        "chosen": chosen,
        "shown": shown,
        "market_choices": wages.market_choices(),
        "wage_table": table,
        "wage_cards": wage_cards(shown, table),
        "chart": range_chart([(w.area.display_title, w) for w in shown]),
        # The suggested pay is for the first market asked for, else the nation.
        "seniority_band": seniority_band(chosen or wages.national),
        "comparison": median_comparison(chosen, wages.national) if chosen else "",
        "comparisons": [
            (wage, text) for wage in markets if (text := median_comparison(wage, wages.national))
        ],
        "catch_all_occupation": is_catch_all_occupation(soc_code, wages.soc_title),
    }


def is_catch_all_occupation(soc_code: str, soc_title: str = "") -> bool:
    """A residual SOC occupation ("Computer Occupations, All Other"): BLS gives residual
    groups codes ending in 9, and titles ending in "All Other". Its wages mix many kinds
    of work, so as a role's stand-in they are a looser guide than a named occupation's."""
    return soc_code.endswith("9") or soc_title.endswith("All Other")


def seniority_band(wage: OccupationWage | None) -> list[tuple[str, str, object]]:
    """(level, percentile label, figure) for each seniority: the agency's editorial rule."""
    if wage is None:
        return []
    return [
        (
            label,
            PERCENTILE_LABELS[SENIORITY_PERCENTILES[value]],
            wage.figures[SENIORITY_PERCENTILES[value]],
        )
        for value, label in Seniority.choices
    ]


def range_chart(rows: list[tuple[str, OccupationWage]]) -> dict:
    """Marks for a chart of 10th-90th percentile ranges, one bar per area, as percentages
    of the bar's width: the template draws them in SVGs without a viewBox, so nothing is
    scaled down on a phone, and writes the area names and the legend as HTML text.

    Every area shares one dollar scale; a missing figure leaves its mark out."""
    amounts = [
        wage.figures[column].amount
        for _, wage in rows
        for column in PERCENTILE_COLUMNS
        if wage.figures[column].published
    ]
    if not amounts:
        return {}
    low, high = min(amounts), max(amounts)
    pad = (high - low) * 0.08 or 2000
    low, high = low - pad, high + pad

    def x(amount: float) -> float:
        return round((amount - low) * 100 / (high - low), 2)

    bars = []
    for label, wage in rows:
        f = wage.figures
        marks = {c: x(f[c].amount) for c in PERCENTILE_COLUMNS if f[c].published}
        box = "p25" in marks and "p75" in marks
        bars.append(
            {
                "label": label,
                "p10_x": marks.get("p10"),
                "p90_x": marks.get("p90"),
                "p25_x": marks.get("p25"),
                "p75_x": marks.get("p75"),
                "box_width": round(marks["p75"] - marks["p25"], 2) if box else None,
                "median_x": marks.get("median"),
            }
        )
    step = _tick_step(high - low)
    ticks = [
        {"x": x(tick), "label": f"${tick // 1000}k"}
        for tick in range((int(low) // step + 1) * step, int(high) + 1, step)
        # Far enough from either end for its label to show whole on a 320 px phone.
        if TICK_MARGIN <= x(tick) <= 100 - TICK_MARGIN
    ]
    return {"bars": bars, "ticks": ticks}


TICK_MARGIN = 7


def _tick_step(span: float) -> int:
    # At most five steps: their labels fit side by side on the narrowest phone.
    for step in (10_000, 20_000, 25_000, 50_000, 100_000):
        if span / step <= 5:
            return step
    return 200_000


def estimated_salary(wage: OccupationWage) -> dict:
    """schema.org MonetaryAmountDistribution of one area's published percentiles."""
    names = {
        "p10": "percentile10",
        "p25": "percentile25",
        "median": "median",
        "p75": "percentile75",
        "p90": "percentile90",
    }
    distribution = {
        "@type": "MonetaryAmountDistribution",
        "name": f"BLS OEWS May {wage.year}, {wage.area.display_title}",
        "currency": "USD",
        "duration": "P1Y",
    }
    for column, name in names.items():
        if wage.figures[column].published:
            distribution[name] = wage.figures[column].amount
    return distribution


def area_place(area: Area) -> dict:
    if area.code == Area.NATIONAL_CODE:
        return {"@type": "Country", "name": "United States"}
    return {
        "@type": "AdministrativeArea",
        "name": area.title,
        "identifier": {"@type": "PropertyValue", "propertyID": "BLS OEWS area", "value": area.code},
    }


def wage_table(wages: list[OccupationWage]) -> list[tuple[str, list[str]]]:
    """Rows of (label, the figure in each area), percentiles first, then mean and employment."""
    rows = [
        (PERCENTILE_LABELS[column], [str(w.figures[column]) for w in wages])
        for column in PERCENTILE_COLUMNS
    ]
    rows.append(("Mean", [str(w.figures["mean"]) for w in wages]))
    rows.append(("Employment", [w.employment_display for w in wages]))
    return rows


def wage_cards(
    wages: list[OccupationWage], table: list[tuple[str, list[str]]]
) -> list[tuple[str, list[tuple[str, str]]]]:
    """The wage table turned on its side, one (area, [(label, figure)]) card per area: the
    comparison as phones show it, a card above another instead of a table too wide."""
    return [
        (wage.area.display_title, [(label, figures[index]) for label, figures in table])
        for index, wage in enumerate(wages)
    ]


def median_comparison(wage: OccupationWage, national: OccupationWage | None) -> str:
    """'12% above', '8% below' or 'the same as' the national median; '' when unknown."""
    difference = wage.median_compared_to(national)
    if difference is None:
        return ""
    if difference > 0:
        return f"{difference}% above"
    if difference < 0:
        return f"{-difference}% below"
    return "the same as"


def sorted_metros(metros: list[OccupationWage], sort: str) -> list[OccupationWage]:
    """By a column, ascending or (with a leading '-') descending; unpublished figures last."""
    column = sort.removeprefix("-")
    descending = sort.startswith("-")

    def key(wage: OccupationWage):
        value = wage.area.title if column == "title" else getattr(wage, column)
        return (value is None, value if value is not None else 0)

    published = sorted((w for w in metros if key(w)[0] is False), key=key, reverse=descending)
    return published + [w for w in metros if key(w)[0] is True]


CSV_COLUMNS = ["area_code", "area", "employment", "p10", "p25", "median", "p75", "p90", "mean"]


def metros_csv_response(wages: OccupationWages, metros: list[OccupationWage]) -> HttpResponse:
    """The metro table as CSV, in the order shown. An empty cell is a figure BLS did not
    publish; `top_coded` names the columns at or above BLS's top-code bound."""
    response = HttpResponse(content_type="text/csv")
    response["Content-Disposition"] = (
        f'attachment; filename="oews-{wages.year}-{wages.soc_code}-metros.csv"'
    )
    writer = csv.writer(response)
    writer.writerow([*CSV_COLUMNS, "top_coded", "year", "occupation", "source"])
    source = f"U.S. Bureau of Labor Statistics, OEWS, May {wages.year}"
    for wage in metros:
        writer.writerow(
            [
                # Titles come from imported files: an editor's file could hold anything.
                no_formula(wage.area.code),
                no_formula(wage.area.title),
                *("" if getattr(wage, c) is None else getattr(wage, c) for c in CSV_COLUMNS[2:]),
                wage.top_coded,
                wage.year,
                no_formula(f"{wage.soc_code} {wage.soc_title}"),
                source,
            ]
        )
    return response


@dataclass
class StandIn:
    """A BLS occupation the site shows wages for, and the role templates it stands in for."""

    soc_code: str
    soc_title: str
    roles: list[str] = field(default_factory=list)
    latest_year: int | None = None


def stand_in_occupations() -> list[StandIn]:
    """The occupations of the published templates, by SOC code, with the latest year loaded:
    the rows of a BLS file that the site will show. Two queries."""
    occupations: dict[str, StandIn] = {}
    published = Role.objects.published().order_by("soc_code", "title")
    for soc_code, soc_title, title in published.values_list("soc_code", "soc_title", "title"):
        occupations.setdefault(soc_code, StandIn(soc_code, soc_title)).roles.append(title)
    years = (
        OccupationWage.objects.filter(soc_code__in=occupations)
        .values("soc_code")
        .annotate(latest=Max("year"))
        .values_list("soc_code", "latest")
    )
    for soc_code, latest in years:
        occupations[soc_code].latest_year = latest
    return list(occupations.values())
