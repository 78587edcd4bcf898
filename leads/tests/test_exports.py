"""Exports: an XLSX people can open safely, a CSV for machines; both streamed."""

import csv
import io
import tracemalloc
from datetime import date, datetime

import pytest
import time_machine
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from leads.models import Lead
from leads.services import exports
from leads.tests.factories import LeadFactory, RecruiterFactory
from roles.models import Area, AreaType
from roles.tests.factories import RoleFactory

pytestmark = pytest.mark.django_db

DANGEROUS = '=HYPERLINK("http://evil.example","x")'


@pytest.fixture
def leads(db):
    with time_machine.travel("2026-11-02 10:00 -05:00", tick=False):
        return [
            LeadFactory(name=DANGEROUS, company="@Acme", phone="+1 (206) 555-0100", hires=3),
            LeadFactory(name="Plain Person", phone="=1+1", won=True),
        ]


def test_csv_cells_cannot_run_as_formulas():
    for dangerous in ["=1+2", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"]:
        assert exports.csv_cell("name", dangerous) == f"'{dangerous}"
    assert exports.csv_cell("name", "Acme") == "Acme"
    assert exports.csv_cell("name", None) == ""
    assert exports.csv_cell("spam", True) == "yes"


def test_a_phone_number_as_typed_stays_as_typed_but_not_a_formula_in_its_place():
    assert exports.csv_cell("phone", "+1 (206) 555-0100") == "+1 (206) 555-0100"
    assert exports.csv_cell("phone", "=1+1") == "'=1+1"
    assert exports.csv_cell("phone", "+1 CALL NOW") == "'+1 CALL NOW"


def test_the_csv_streams_one_row_per_lead(leads):
    lines = exports.csv_lines(exports.export_rows(Lead.objects.all()))

    assert not isinstance(lines, list)
    rows = list(csv.DictReader(io.StringIO("".join(lines))))
    assert [row["name"] for row in rows] == ["Plain Person", f"'{DANGEROUS}"]
    assert rows[1]["company"] == "'@Acme"
    assert rows[1]["phone"] == "+1 (206) 555-0100"
    assert rows[0]["phone"] == "'=1+1"
    assert rows[1]["hires"] == "3"
    assert rows[1]["created_at"] == "2026-11-02T09:00-05:00"
    assert (rows[0]["lost_category"], rows[0]["first_response_at"]) == (
        "",
        "2026-11-02T09:30-05:00",
    )


def test_the_xlsx_has_typed_cells_and_nothing_runs(leads):
    workbook = load_workbook(exports.xlsx_file(exports.export_rows(Lead.objects.all())))
    sheet = workbook["Leads"]
    header, *rows = sheet.iter_rows()
    columns = {cell.value: index for index, cell in enumerate(header)}

    dangerous = rows[1]
    assert dangerous[columns["Name"]].value == DANGEROUS
    assert dangerous[columns["Name"]].data_type == "s"
    assert dangerous[columns["Company"]].value == "@Acme"
    assert dangerous[columns["Phone"]].value == "+1 (206) 555-0100"
    assert dangerous[columns["Phone"]].data_type == "s"
    assert dangerous[columns["Hires"]].value == 3
    assert dangerous[columns["Created"]].value == datetime(2026, 11, 2, 9, 0)  # noqa: DTZ001
    assert rows[0][columns["Phone"]].data_type == "s"
    assert sheet.freeze_panes == "A2"


def test_exports_read_in_chunks_with_a_fixed_number_of_queries(
    leads, django_assert_max_num_queries
):
    LeadFactory.create_batch(30, inquiries=2)

    with django_assert_max_num_queries(3):
        rows = list(exports.export_rows(Lead.objects.all()))

    assert len(rows) == 32


@pytest.mark.slow
def test_memory_stays_flat_however_many_leads(db):
    """Ten times the leads through the XLSX writer: memory grows far less than the data."""
    LeadFactory.create_batch(50)
    base = list(exports.export_rows(Lead.objects.all()))

    def peak(count: int) -> int:
        rows = (base[i % len(base)] for i in range(count))
        tracemalloc.start()
        exports.xlsx_file(rows).close()
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top

    small, large = peak(300), peak(3_000)

    assert large < small * 3  # ten times the rows, nowhere near ten times the memory


def test_a_row_says_everything_about_a_lead_in_words(db, settings):
    settings.LEADS_FEE_PER_HIRE = 20_000
    with time_machine.travel("2026-11-02 10:00 -05:00", tick=False):
        seattle = Area.objects.create(code="42660", title="Seattle, WA", type=AreaType.METRO)
        rita = RecruiterFactory(first_name="Rita", last_name="Moreno")
        lead = LeadFactory(
            lost=True,
            assigned_to=rita,
            market=seattle,
            hires=3,
            source="newsletter",
            expected_start=date(2027, 1, 4),
            inquiries=2,
            inquiries__roles=[RoleFactory(title="Vision Engineer")],
        )
        latest = lead.inquiries.last()
        latest.location, latest.utm_campaign = "Bellevue, WA", "winter"
        latest.remote_policy, latest.timeline = "remote", "asap"
        latest.save()

    row = exports.lead_row(Lead.objects.get(pk=lead.pk))

    assert row == {
        "lead": lead.pk,
        "created_at": datetime.fromisoformat("2026-11-02T09:00-05:00"),
        "stage": "Lost",
        "lost_category": "Budget or fees",
        "lost_reason": "Our fee was above their budget",
        "assigned_to": "Rita Moreno",
        "name": lead.name,
        "email": lead.email,
        "phone": "+1 (206) 555-0100",
        "company": lead.company,
        "job_title": "Head of Machine Learning",
        "roles": "Vision Engineer",
        "hires": 3,
        "market": "Seattle, WA",
        "location": "Bellevue, WA",
        "remote_policy": "Remote",
        "timeline": "As soon as possible",
        "source": "newsletter",
        "utm_campaign": "winter",
        "next_step": "",
        "next_step_due_at": None,
        "estimated_value": 60_000,
        "expected_start": date(2027, 1, 4),
        "first_response_at": datetime.fromisoformat("2026-11-02T09:30-05:00"),
        "last_activity_at": datetime.fromisoformat("2026-11-02T09:00-05:00"),
        "spam": False,
    }
    assert [name for name, _ in exports.COLUMNS] == list(row)


def test_a_bare_lead_has_empty_cells_not_placeholders(db):
    lead = LeadFactory(inquiries=0, assigned_to=None, market=None, without_next_step=True)

    row = exports.lead_row(lead)

    assert {key: row[key] for key in ("assigned_to", "market", "location", "remote_policy")} == {
        "assigned_to": "",
        "market": "",
        "location": "",
        "remote_policy": "",
    }
    assert (row["timeline"], row["utm_campaign"], row["next_step_due_at"]) == ("", "", None)
    assert exports.csv_cell("spam", False) == ""


def test_rows_come_newest_first_and_ties_by_number(db):
    with time_machine.travel("2026-11-02 10:00 -05:00", tick=False):
        first, second = LeadFactory(), LeadFactory()
        newest = LeadFactory(created_at=timezone.now())

    order = [row["lead"] for row in exports.export_rows(Lead.objects.all())]

    assert order == [newest.pk, second.pk, first.pk]


def test_the_spreadsheet_has_sized_columns(leads):
    sheet = load_workbook(exports.xlsx_file(exports.export_rows(Lead.objects.all())))["Leads"]
    widths = {
        name: sheet.column_dimensions[get_column_letter(index)].width
        for index, (name, _) in enumerate(exports.COLUMNS, start=1)
    }

    assert (widths["lead"], widths["name"], widths["roles"]) == (14, 22, 36)


def test_dates_and_times_read_as_dates_and_times_in_the_spreadsheet(db):
    with time_machine.travel("2026-11-02 10:00 -05:00", tick=False):
        LeadFactory(expected_start=date(2027, 1, 4), spam=True)

    header, row = load_workbook(exports.xlsx_file(exports.export_rows(Lead.objects.all())))[
        "Leads"
    ].iter_rows()
    cells = {title.value: cell for title, cell in zip(header, row, strict=True)}

    assert cells["Created"].number_format == "yyyy-mm-dd hh:mm"
    assert cells["Expected start"].number_format == "yyyy-mm-dd"
    assert cells["Expected start"].value == datetime(2027, 1, 4)  # noqa: DTZ001 - Excel dates are naive
    assert cells["Spam"].value == "yes"
