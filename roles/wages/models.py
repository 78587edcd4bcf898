"""Wage statistics from the US Bureau of Labor Statistics (OEWS), by area and occupation."""

from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise

from django.db import models
from django.db.models import Q

from roles.models.library import Seniority

# The wage columns of an OEWS row, in the order BLS prints them.
WAGE_COLUMNS = ["mean", "p10", "p25", "median", "p75", "p90"]
PERCENTILE_COLUMNS = ["p10", "p25", "median", "p75", "p90"]
PERCENTILE_LABELS = {
    "p10": "10th percentile",
    "p25": "25th percentile",
    "median": "Median",
    "p75": "75th percentile",
    "p90": "90th percentile",
}

# The agency's editorial rule for a suggested pay band by seniority.
SENIORITY_PERCENTILES = {
    Seniority.ENTRY: "p25",
    Seniority.MID: "median",
    Seniority.SENIOR: "p75",
    Seniority.LEAD: "p90",
}


class AreaType(models.IntegerChoices):
    NATIONAL = 1, "National"
    STATE = 2, "State"
    TERRITORY = 3, "Territory"
    METRO = 4, "Metropolitan area"
    NONMETRO = 6, "Nonmetropolitan area"


class Area(models.Model):
    """A BLS wage area. Joined on its code, never its title: titles change."""

    NATIONAL_CODE = "99"

    code = models.CharField(
        max_length=7, unique=True, help_text="BLS area code (the CBSA code for metros)."
    )
    title = models.CharField(max_length=200)
    type = models.PositiveSmallIntegerField(choices=AreaType.choices, db_index=True)
    state = models.CharField(
        max_length=30, blank=True, help_text="State postal codes, e.g. CA or NY-NJ-PA."
    )

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{2,7}$"), name="area_code_digits"
            )
        ]

    def __str__(self):
        return self.title

    @property
    def display_title(self) -> str:
        """The area as pages name it: BLS's title, except the nation, which its files call
        "U.S." and every page calls the United States."""
        return "United States" if self.code == self.NATIONAL_CODE else self.title


@dataclass(frozen=True)
class WageFigure:
    """One published wage, or why there is none."""

    amount: int | None
    top_coded: bool = False

    @property
    def published(self) -> bool:
        return self.amount is not None

    def __str__(self):
        if self.amount is None:
            return "not published"
        text = f"${self.amount:,}"
        return f"at or above {text}" if self.top_coded else text


class WageQuerySet(models.QuerySet):
    def for_occupation(self, soc_code: str, year: int) -> "WageQuerySet":
        return self.filter(soc_code=soc_code, year=year)

    def latest_year(self, soc_code: str) -> int | None:
        return self.filter(soc_code=soc_code).aggregate(models.Max("year"))["year__max"]


class OccupationWage(models.Model):
    """Annual wages of one occupation in one area and year, as BLS published them.

    An empty value is one BLS did not publish (`*` or `**` in its files); a
    top-coded value is stored as the bound, with its column named in `top_coded`."""

    year = models.PositiveSmallIntegerField()
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="wages")
    soc_code = models.CharField("SOC code", max_length=7)
    soc_title = models.CharField("SOC title", max_length=200)
    employment = models.PositiveIntegerField(null=True, blank=True)
    mean = models.PositiveIntegerField(null=True, blank=True)
    p10 = models.PositiveIntegerField("10th percentile", null=True, blank=True)
    p25 = models.PositiveIntegerField("25th percentile", null=True, blank=True)
    median = models.PositiveIntegerField(null=True, blank=True)
    p75 = models.PositiveIntegerField("75th percentile", null=True, blank=True)
    p90 = models.PositiveIntegerField("90th percentile", null=True, blank=True)
    top_coded = models.CharField(
        max_length=60, blank=True, help_text="Columns at or above the BLS top-code bound."
    )

    objects = WageQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "soc_code", "area__title"]
        permissions = [("import_occupationwage", "Can import BLS OEWS wage files")]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "area", "soc_code"], name="wage_unique_year_area_occupation"
            ),
            models.CheckConstraint(
                condition=Q(soc_code__regex=r"^[0-9]{2}-[0-9]{4}$"), name="wage_soc_code_format"
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{low}__isnull": True})
                    | Q(**{f"{high}__isnull": True})
                    | Q(**{f"{low}__lte": models.F(high)}),
                    name=f"wage_{low}_not_above_{high}",
                )
                for low, high in pairwise(PERCENTILE_COLUMNS)
            ],
        ]
        indexes = [models.Index(fields=["soc_code", "year"])]

    def __str__(self):
        return f"{self.soc_title}, {self.area}, {self.year}"

    @cached_property
    def figures(self) -> dict[str, WageFigure]:
        flagged = set(filter(None, self.top_coded.split(",")))
        return {
            column: WageFigure(getattr(self, column), column in flagged) for column in WAGE_COLUMNS
        }

    @property
    def employment_display(self) -> str:
        return f"{self.employment:,}" if self.employment is not None else "not published"

    def median_compared_to(self, other: "OccupationWage") -> int | None:
        """This median as a whole percentage above (+) or below (-) another's."""
        if not (self.median and other and other.median):
            return None
        return round((self.median - other.median) * 100 / other.median)
