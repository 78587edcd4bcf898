"""The OEWS importer on BLS's own files and layouts, and on what can go wrong."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from roles.models import Area, AreaType, OccupationWage
from roles.tests.wages.files import (
    HEADER,
    METRO_FILE,
    NONMETRO_FILE,
    SAN_JOSE,
    shipped_row,
    write_csv,
)
from roles.wages.importer import ImportSummary, OewsFileError, count_data_rows, import_oews

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("import_oews", *map(str, args), stdout=out)
    return out.getvalue()


def test_the_shipped_files_import_every_row():
    output = run(METRO_FILE, NONMETRO_FILE)

    assert "oews_metro_wages.csv: 1725 rows: 1725 inserted, 0 updated, 0 unchanged" in output
    assert "oews_nonmetro_wages.csv: 468 rows: 468 inserted, 0 updated, 0 unchanged" in output
    assert OccupationWage.objects.count() == 1725 + 468
    assert Area.objects.filter(type=AreaType.NONMETRO).count() == 134


def test_importing_twice_changes_nothing():
    run(METRO_FILE)
    before = list(OccupationWage.objects.order_by("pk").values())

    output = run(METRO_FILE)

    assert "0 inserted, 0 updated, 1725 unchanged" in output
    assert list(OccupationWage.objects.order_by("pk").values()) == before


def test_known_metro_figures_exactly_as_in_the_file():
    run(METRO_FILE)

    wage = OccupationWage.objects.get(area__code="41940", soc_code="15-2051", year=2025)
    assert (wage.employment, wage.mean, wage.p10, wage.p25, wage.median, wage.p75, wage.p90) == (
        6060,
        212760,
        109740,
        149570,
        185080,
        219460,
        282840,
    )
    assert (wage.area.title, wage.area.type, wage.area.state) == (
        "San Jose-Sunnyvale-Santa Clara, CA",
        AreaType.METRO,
        "CA",
    )
    assert Area.objects.get(code="01").title == "Alabama"


def test_markers_are_stored_as_not_published_never_zero():
    run(METRO_FILE)

    suppressed_wages = OccupationWage.objects.get(area__code="02", soc_code="15-1252")
    assert suppressed_wages.employment == 530
    assert [suppressed_wages.figures[c].amount for c in ("mean", "p10", "median", "p90")] == [
        None
    ] * 4
    assert str(suppressed_wages.figures["median"]) == "not published"
    suppressed_employment = OccupationWage.objects.get(area__code="09", soc_code="15-1221")
    assert suppressed_employment.employment is None
    assert suppressed_employment.median == 131650


def test_every_marker_and_thousands_separators(tmp_path):
    rows = [
        [
            "99",
            "U.S.",
            "1",
            "15-1221",
            "Research Scientists",
            "**",
            "*",
            "1,000",
            "2,000",
            "3,000",
            "#",
            "#",
            "2024",
        ],
    ]
    path = write_csv(tmp_path, rows)

    import_oews(path, top_code_bound=239_200)

    wage = OccupationWage.objects.get()
    assert (wage.employment, wage.mean) == (None, None)
    assert (wage.p10, wage.p25, wage.median, wage.p75, wage.p90) == (
        1000,
        2000,
        3000,
        239200,
        239200,
    )
    assert wage.top_coded == "p75,p90"
    assert str(wage.figures["p90"]) == "at or above $239,200"
    assert str(wage.figures["median"]) == "$3,000"


def test_column_names_match_whatever_their_case(tmp_path):
    path = write_csv(tmp_path, [SAN_JOSE], header=[name.lower() for name in HEADER])

    assert import_oews(path).inserted == 1


def test_year_comes_from_the_option_when_the_file_has_none(tmp_path):
    path = write_csv(tmp_path, [SAN_JOSE[:-1]], header=HEADER[:-1])

    with pytest.raises(
        CommandError, match="row 2, column YEAR: the file has no YEAR: give one with --year"
    ):
        run(path)
    run(path, "--year", "2023")

    assert OccupationWage.objects.get().year == 2023


def test_dry_run_checks_and_counts_but_saves_nothing(tmp_path):
    output = run(METRO_FILE, "--dry-run")

    assert "1725 inserted" in output
    assert "dry run: nothing was saved" in output
    assert not OccupationWage.objects.exists()
    assert not Area.objects.exists()


def test_a_changed_figure_is_updated(tmp_path):
    import_oews(write_csv(tmp_path, [SAN_JOSE]))
    changed = [*SAN_JOSE[:9], "190000", *SAN_JOSE[10:]]

    summary = import_oews(write_csv(tmp_path, [changed], name="revised.csv"))

    assert (summary.inserted, summary.updated, summary.unchanged) == (0, 1, 0)
    assert OccupationWage.objects.get().median == 190000


@pytest.mark.parametrize(
    ("cell", "value", "message"),
    [
        (
            "A_MEDIAN",
            "n/a",
            "row 3, column A_MEDIAN: 'n/a' is not a number or a BLS marker (*, **, #)",
        ),
        ("A_MEAN", "", "row 3, column A_MEAN: '' is not a number or a BLS marker (*, **, #)"),
        ("OCC_CODE", "152051", "row 3, column OCC_CODE: '152051' is not a SOC code"),
        ("AREA_TYPE", "9", "row 3, column AREA_TYPE: '9' is not a BLS area type"),
        ("AREA", "SJ", "row 3, column AREA: 'SJ' is not a BLS area code"),
        ("YEAR", "20x5", "row 3, column YEAR: '20x5' is not a year"),
        ("A_PCT25", "99", "row 3, column A_PCT25: below the 10th percentile"),
    ],
)
def test_a_malformed_cell_names_its_row_and_column_and_nothing_is_written(
    tmp_path, cell, value, message
):
    bad = list(SAN_JOSE)
    bad[HEADER.index(cell)] = value
    path = write_csv(tmp_path, [SAN_JOSE, bad])

    with pytest.raises(CommandError) as error:
        run(path)

    assert str(error.value) == f"Nothing was imported from wages.csv: {message}."
    assert not OccupationWage.objects.exists()
    assert not Area.objects.exists()


def test_a_missing_column_is_named(tmp_path):
    header = [name for name in HEADER if name != "A_PCT90"]
    path = write_csv(tmp_path, [SAN_JOSE[:11] + SAN_JOSE[12:]], header=header)

    with pytest.raises(OewsFileError, match="row 1: missing column\\(s\\): A_PCT90"):
        import_oews(path)


def test_an_unknown_file_type_is_refused(tmp_path):
    path = tmp_path / "wages.json"
    path.write_text("{}")

    with pytest.raises(OewsFileError, match=r"neither a \.csv nor an \.xlsx"):
        import_oews(path)


def test_a_failure_late_in_a_long_file_writes_nothing(tmp_path):
    rows = [[str(10000 + i), f"Area {i}, ST", "4", *SAN_JOSE[3:]] for i in range(4500)]
    rows[4321][9] = "oops"
    path = write_csv(tmp_path, rows)

    with pytest.raises(OewsFileError, match="row 4323, column A_MEDIAN"):
        import_oews(path)

    assert not OccupationWage.objects.exists()


def test_bls_xlsx_layout_with_numbers_and_markers(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        [
            "area",
            "area_title",
            "area_type",
            "occ_code",
            "occ_title",
            "tot_emp",
            "a_mean",
            "a_pct10",
            "a_pct25",
            "a_median",
            "a_pct75",
            "a_pct90",
            "year",
        ]
    )
    sheet.append(
        [
            41940,
            "San Jose-Sunnyvale-Santa Clara, CA",
            4,
            "15-2051",
            "Data Scientists",
            6060,
            212760,
            109740,
            149570,
            185080,
            219460,
            "#",
            2025,
        ]
    )
    sheet.append(
        [1, "Alabama", 2, "15-2051", "Data Scientists", "**", "*", "*", "*", "*", "*", "*", 2025]
    )
    path = tmp_path / "MSA_M2025_dl.xlsx"
    workbook.save(path)

    output = run(path)

    assert "2 rows: 2 inserted" in output
    san_jose = OccupationWage.objects.get(area__code="41940")
    assert (san_jose.median, san_jose.p90, san_jose.top_coded) == (185080, 239200, "p90")
    alabama = OccupationWage.objects.get(area__code="01")  # the leading zero restored
    assert (alabama.employment, alabama.median) == (None, None)


def test_a_file_that_is_not_a_spreadsheet_is_reported(tmp_path):
    path = tmp_path / "wages.xlsx"
    path.write_text("not a zip")

    with pytest.raises(CommandError, match="cannot be read as a spreadsheet"):
        run(path)


def test_rows_are_counted_for_the_progress_bar(tmp_path):
    workbook = Workbook()
    workbook.active.append(HEADER)
    workbook.active.append(SAN_JOSE)
    workbook.save(tmp_path / "wages.xlsx")

    assert count_data_rows(METRO_FILE) == 1725
    assert count_data_rows(tmp_path / "wages.xlsx") == 1


def test_the_summary_counts_each_kind_of_area(tmp_path):
    run(METRO_FILE, NONMETRO_FILE)
    rows = [
        shipped_row("99", "15-2051"),
        shipped_row("06", "15-2051"),
        [*SAN_JOSE[:9], "190000", *SAN_JOSE[10:]],  # a revised median
        ["3500099", "New nonmetropolitan area, NM", "6", *SAN_JOSE[3:]],  # new
    ]

    summary = import_oews(write_csv(tmp_path, rows))

    assert dict(summary.area_type_rows()) == {
        "National": {"inserted": 0, "updated": 0, "unchanged": 1},
        "State": {"inserted": 0, "updated": 0, "unchanged": 1},
        "Territory": {"inserted": 0, "updated": 0, "unchanged": 0},
        "Metropolitan area": {"inserted": 0, "updated": 1, "unchanged": 0},
        "Nonmetropolitan area": {"inserted": 1, "updated": 0, "unchanged": 0},
    }
    assert (summary.inserted, summary.updated, summary.unchanged, summary.areas_added) == (
        1,
        1,
        2,
        1,
    )


def test_a_dry_run_counts_exactly_what_the_import_then_does(tmp_path):
    run(METRO_FILE)
    revised = [
        [*SAN_JOSE[:9], "190000", *SAN_JOSE[10:]],
        ["3500099", "New nonmetropolitan area, NM", "6", *SAN_JOSE[3:]],
    ]
    path = write_csv(tmp_path, revised)

    dry = import_oews(path, dry_run=True)
    assert OccupationWage.objects.get(area__code="41940", soc_code="15-2051").median == 185080
    assert not Area.objects.filter(code="3500099").exists()
    done = import_oews(path)

    assert (
        dry.by_area_type
        == done.by_area_type
        == {
            AreaType.METRO: {"inserted": 0, "updated": 1, "unchanged": 0},
            AreaType.NONMETRO: {"inserted": 1, "updated": 0, "unchanged": 0},
        }
    )
    assert (dry.areas_added, done.areas_added) == (1, 1)
    assert OccupationWage.objects.get(area__code="41940", soc_code="15-2051").median == 190000


def test_a_summary_survives_a_round_trip_through_json(tmp_path):
    summary = import_oews(write_csv(tmp_path, [SAN_JOSE]), dry_run=True)

    again = ImportSummary.from_json(json.loads(json.dumps(summary.as_json())))

    assert again == summary
    assert (
        str(again)
        == "1 rows: 1 inserted, 0 updated, 0 unchanged; 1 new areas (dry run: nothing was saved)."
    )
