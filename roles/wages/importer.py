"""Import BLS OEWS wage files (their own CSV or XLSX layout) into Area and OccupationWage.

One function, `import_oews`, serves the management command and the admin's import
page alike. A file is imported whole or not at all: the first malformed cell stops
the import, names its row and column, and nothing is written. Rows stream through
in batches, so memory stays flat whatever the file's size.
"""

import csv
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import chain, pairwise
from pathlib import Path

from django.db import transaction

from roles.models import PERCENTILE_LABELS, WAGE_COLUMNS, Area, AreaType, OccupationWage

# BLS column -> our field. Matched case-insensitively.
WAGE_FIELDS = {
    "TOT_EMP": "employment",
    "A_MEAN": "mean",
    "A_PCT10": "p10",
    "A_PCT25": "p25",
    "A_MEDIAN": "median",
    "A_PCT75": "p75",
    "A_PCT90": "p90",
}
REQUIRED_COLUMNS = ["AREA", "AREA_TITLE", "AREA_TYPE", "OCC_CODE", "OCC_TITLE", *WAGE_FIELDS]
# BLS's markers: `*` wage not available, `**` employment not available,
# `#` wage at or above the top-code bound.
NOT_PUBLISHED = {"*", "**"}
TOP_CODED = "#"
# BLS footnote of its May 2022 and later files: "$115.00 per hour or $239,200 per year".
DEFAULT_TOP_CODE_BOUND = 239_200
# Codes are digits; spreadsheets drop leading zeros, so they are padded back by type.
AREA_CODE_WIDTH = {
    AreaType.NATIONAL: 2,
    AreaType.STATE: 2,
    AreaType.TERRITORY: 2,
    AreaType.METRO: 5,
    AreaType.NONMETRO: 7,
}
SOC_CODE = re.compile(r"^\d{2}-\d{4}$")
NUMBER = re.compile(r"^\d+(\.\d+)?$")
BATCH_SIZE = 2000
WAGE_ROW_FIELDS = ["soc_title", "employment", *WAGE_COLUMNS, "top_coded"]


class OewsFileError(Exception):
    """A file that cannot be imported, with where and why."""

    def __init__(self, message: str, *, row: int | None = None, column: str | None = None):
        self.row, self.column = row, column
        where = ", ".join(
            part
            for part in (f"row {row}" if row else "", f"column {column}" if column else "")
            if part
        )
        super().__init__(f"{where}: {message}" if where else message)


def failure_message(file_name: str, error: OewsFileError) -> str:
    """How a failed import is reported, by the command and the admin alike."""
    return f"Nothing was imported from {file_name}: {str(error).rstrip('.')}."


OUTCOMES = ["inserted", "updated", "unchanged"]


@dataclass
class ImportSummary:
    """What an import did, or (dry run) would do: rows by outcome and by kind of area."""

    rows: int = 0
    areas_added: int = 0
    dry_run: bool = False
    # {area type: {"inserted": n, "updated": n, "unchanged": n}}
    by_area_type: dict[int, dict[str, int]] = field(default_factory=dict)

    def count(self, area_type: int, outcome: str, rows: int = 1) -> None:
        counts = self.by_area_type.setdefault(area_type, dict.fromkeys(OUTCOMES, 0))
        counts[outcome] += rows

    def total(self, outcome: str) -> int:
        return sum(counts[outcome] for counts in self.by_area_type.values())

    @property
    def inserted(self) -> int:
        return self.total("inserted")

    @property
    def updated(self) -> int:
        return self.total("updated")

    @property
    def unchanged(self) -> int:
        return self.total("unchanged")

    def area_type_rows(self) -> list[tuple[str, dict[str, int]]]:
        """(kind of area, its counts) for every kind BLS publishes, none left out."""
        return [
            (label, self.by_area_type.get(value, dict.fromkeys(OUTCOMES, 0)))
            for value, label in AreaType.choices
        ]

    def as_json(self) -> dict:
        return {
            "rows": self.rows,
            "areas_added": self.areas_added,
            "dry_run": self.dry_run,
            "by_area_type": {str(kind): counts for kind, counts in self.by_area_type.items()},
        }

    @classmethod
    def from_json(cls, data: dict) -> "ImportSummary":
        return cls(
            rows=data["rows"],
            areas_added=data["areas_added"],
            dry_run=data["dry_run"],
            by_area_type={int(kind): counts for kind, counts in data["by_area_type"].items()},
        )

    def __str__(self):
        note = " (dry run: nothing was saved)" if self.dry_run else ""
        return (
            f"{self.rows} rows: {self.inserted} inserted, {self.updated} updated, "
            f"{self.unchanged} unchanged; {self.areas_added} new areas{note}."
        )


@dataclass
class ParsedRow:
    year: int
    area_code: str
    area_title: str
    area_type: int
    soc_code: str
    values: dict = field(default_factory=dict)


def read_rows(path: Path) -> Iterator[dict[str, object]]:
    """Rows of a CSV or XLSX file as {UPPERCASE COLUMN: raw value}, streamed."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        yield from _read_csv(path)
    elif suffix in {".xlsx", ".xlsm"}:
        yield from _read_xlsx(path)
    else:
        # Never the path: an upload is stored under a random name (failure_message names it).
        raise OewsFileError("it is neither a .csv nor an .xlsx file")


def count_data_rows(path: Path) -> int | None:
    """How many data rows a file holds, cheaply, for a progress bar; None if unknown."""
    if path.suffix.lower() == ".csv":
        with path.open("rb") as handle:
            return max(sum(1 for _ in handle) - 1, 0)
    try:
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True)
        rows = workbook.worksheets[0].max_row
        workbook.close()
    except Exception:
        return None
    return rows - 1 if rows else None


def _read_csv(path: Path) -> Iterator[dict[str, object]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = [name.strip().upper() for name in next(reader, [])]
        for values in reader:
            yield dict(zip(header, values, strict=False))


def _read_xlsx(path: Path) -> Iterator[dict[str, object]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:
        raise OewsFileError(
            f"it cannot be read as a spreadsheet ({type(error).__name__})"
        ) from None
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = [str(name or "").strip().upper() for name in next(rows, ())]
        for values in rows:
            if any(value not in (None, "") for value in values):
                yield dict(zip(header, values, strict=False))
    finally:
        workbook.close()


def _count(raw, column: str, row: int, bound: int) -> tuple[int | None, bool]:
    """A count or wage cell: (value, top-coded?)."""
    if isinstance(raw, bool):
        raise OewsFileError(f"{raw!r} is not a number or a BLS marker", row=row, column=column)
    if isinstance(raw, int | float):
        return round(raw), False
    text = str(raw if raw is not None else "").strip()
    if text in NOT_PUBLISHED:
        return None, False
    if text == TOP_CODED:
        return bound, True
    digits = text.replace(",", "")
    if not NUMBER.match(digits):
        raise OewsFileError(
            f"{text!r} is not a number or a BLS marker (*, **, #)", row=row, column=column
        )
    return round(float(digits)), False


def _text(record: dict, column: str, row: int) -> str:
    value = record.get(column)
    text = "" if value is None else str(value).strip()
    if not text:
        raise OewsFileError("is empty", row=row, column=column)
    return text


def parse_row(record: dict, row: int, *, year: int | None, bound: int) -> ParsedRow:
    if "YEAR" in record and record["YEAR"] not in (None, ""):
        year_text = str(record["YEAR"]).strip().removesuffix(".0")
        if not year_text.isdigit() or len(year_text) != 4:
            raise OewsFileError(f"{year_text!r} is not a year", row=row, column="YEAR")
        year = int(year_text)
    if year is None:
        raise OewsFileError("the file has no YEAR: give one with --year", row=row, column="YEAR")
    type_text = str(record.get("AREA_TYPE", "")).strip().removesuffix(".0")
    if not type_text.isdigit() or int(type_text) not in AreaType.values:
        raise OewsFileError(f"{type_text!r} is not a BLS area type", row=row, column="AREA_TYPE")
    area_type = int(type_text)
    code = _text(record, "AREA", row).removesuffix(".0")
    if not code.isdigit() or len(code) > 7:
        raise OewsFileError(f"{code!r} is not a BLS area code", row=row, column="AREA")
    soc_code = _text(record, "OCC_CODE", row)
    if not SOC_CODE.match(soc_code):
        raise OewsFileError(f"{soc_code!r} is not a SOC code", row=row, column="OCC_CODE")
    values = {"soc_title": _text(record, "OCC_TITLE", row)}
    top_coded = []
    for column, name in WAGE_FIELDS.items():
        values[name], capped = _count(record.get(column), column, row, bound)
        if capped:
            top_coded.append(name)
    values["top_coded"] = ",".join(top_coded)
    _check_percentile_order(values, row)
    return ParsedRow(
        year=year,
        area_code=code.zfill(AREA_CODE_WIDTH[area_type]),
        area_title=_text(record, "AREA_TITLE", row),
        area_type=area_type,
        soc_code=soc_code,
        values=values,
    )


PERCENTILE_CELLS = {
    "p10": "A_PCT10",
    "p25": "A_PCT25",
    "median": "A_MEDIAN",
    "p75": "A_PCT75",
    "p90": "A_PCT90",
}


def _check_percentile_order(values: dict, row: int) -> None:
    """Percentiles never decrease; a file where they do is not a BLS file."""
    published = [name for name in PERCENTILE_CELLS if values[name] is not None]
    for lower, higher in pairwise(published):
        if values[higher] < values[lower]:
            raise OewsFileError(
                f"below the {PERCENTILE_LABELS[lower].lower()}",
                row=row,
                column=PERCENTILE_CELLS[higher],
            )


def _state_of(title: str, area_type: int) -> str:
    if area_type in (AreaType.STATE, AreaType.TERRITORY):
        return title
    _, comma, states = title.rpartition(",")
    return states.strip() if comma else ""


class _Importer:
    def __init__(self, summary: ImportSummary):
        self.summary = summary
        self.areas = {area.code: area for area in Area.objects.all()}

    def area_for(self, row: ParsedRow) -> Area:
        area = self.areas.get(row.area_code)
        state = _state_of(row.area_title, row.area_type)
        if area is None:
            area = Area.objects.create(
                code=row.area_code, title=row.area_title, type=row.area_type, state=state
            )
            self.areas[area.code] = area
            self.summary.areas_added += 1
        elif (area.title, area.type, area.state) != (row.area_title, row.area_type, state):
            area.title, area.type, area.state = row.area_title, row.area_type, state
            area.save(update_fields=["title", "type", "state"])
        return area

    def save(self, batch: list[ParsedRow]) -> None:
        keyed = {(r.year, self.area_for(r).pk, r.soc_code): r for r in batch}
        existing = {
            (w.year, w.area_id, w.soc_code): w
            for w in OccupationWage.objects.filter(
                year__in={k[0] for k in keyed},
                area_id__in={k[1] for k in keyed},
                soc_code__in={k[2] for k in keyed},
            )
        }
        to_create, to_update = [], []
        for key, row in keyed.items():
            wage = existing.get(key)
            if wage is None:
                to_create.append(
                    OccupationWage(year=key[0], area_id=key[1], soc_code=key[2], **row.values)
                )
                self.summary.count(row.area_type, "inserted")
            elif any(getattr(wage, name) != value for name, value in row.values.items()):
                for name, value in row.values.items():
                    setattr(wage, name, value)
                to_update.append(wage)
                self.summary.count(row.area_type, "updated")
            else:
                self.summary.count(row.area_type, "unchanged")
        OccupationWage.objects.bulk_create(to_create)
        OccupationWage.objects.bulk_update(to_update, WAGE_ROW_FIELDS)


def import_oews(
    path: Path,
    *,
    year: int | None = None,
    dry_run: bool = False,
    top_code_bound: int = DEFAULT_TOP_CODE_BOUND,
    progress: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Import one BLS file, all or nothing. Raises OewsFileError naming row and column.

    A dry run does every write, then rolls them back: its summary is the one a real
    import of the same file would give, counted by the same code."""
    summary = ImportSummary(dry_run=dry_run)
    rows = read_rows(Path(path))
    with transaction.atomic():
        first = next(rows, None)
        if first is None:
            raise OewsFileError("the file has no data rows")
        missing = [column for column in REQUIRED_COLUMNS if column not in first]
        if missing:
            raise OewsFileError(f"missing column(s): {', '.join(missing)}", row=1)
        importer = _Importer(summary)
        batch = []
        for number, record in enumerate(chain([first], rows), start=2):
            batch.append(parse_row(record, number, year=year, bound=top_code_bound))
            summary.rows += 1
            if len(batch) == BATCH_SIZE:
                importer.save(batch)
                batch.clear()
                if progress:
                    progress(summary.rows)
        importer.save(batch)
        if progress:
            progress(summary.rows)
        if dry_run:
            transaction.set_rollback(True)
    return summary
