"""BLS OEWS files for the tests: the shipped ones, and small ones written on the spot."""

import csv
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "oews"
METRO_FILE = FIXTURES / "oews_metro_wages.csv"
NONMETRO_FILE = FIXTURES / "oews_nonmetro_wages.csv"
HEADER = [
    "AREA",
    "AREA_TITLE",
    "AREA_TYPE",
    "OCC_CODE",
    "OCC_TITLE",
    "TOT_EMP",
    "A_MEAN",
    "A_PCT10",
    "A_PCT25",
    "A_MEDIAN",
    "A_PCT75",
    "A_PCT90",
    "YEAR",
]
SAN_JOSE = [
    "41940",
    "San Jose-Sunnyvale-Santa Clara, CA",
    "4",
    "15-2051",
    "Data Scientists",
    "6,060",
    "212760",
    "109740",
    "149570",
    "185080",
    "219460",
    "282840",
    "2025",
]


def write_csv(tmp_path, rows, header=HEADER, name="wages.csv") -> Path:
    path = tmp_path / name
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def shipped_row(area: str, soc_code: str) -> list[str]:
    """One row of the shipped metro file, as BLS wrote it."""
    with METRO_FILE.open(newline="") as handle:
        return next(row for row in csv.reader(handle) if row[0] == area and row[3] == soc_code)
