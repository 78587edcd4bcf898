"""Leads as files: CSV for machines, XLSX for people. Both are written row by row from
the database in chunks, so memory stays flat whatever the number of leads."""

import csv
import tempfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from leads.forms import PHONE
from leads.models import Inquiry, Lead, person
from portal.spreadsheets import no_formula

CHUNK = 500
COLUMNS = [
    ("lead", "Lead"),
    ("created_at", "Created"),
    ("stage", "Stage"),
    ("lost_category", "Lost because"),
    ("lost_reason", "Lost: details"),
    ("assigned_to", "Assigned to"),
    ("name", "Name"),
    ("email", "Email"),
    ("phone", "Phone"),
    ("company", "Company"),
    ("job_title", "Job title"),
    ("roles", "Roles"),
    ("hires", "Hires"),
    ("market", "Market"),
    ("location", "Location"),
    ("remote_policy", "Remote policy"),
    ("timeline", "Timeline"),
    ("source", "Source"),
    ("utm_campaign", "Campaign"),
    ("next_step", "Next step"),
    ("next_step_due_at", "Next step due"),
    ("estimated_value", "Estimated value ($)"),
    ("expected_start", "Expected start"),
    ("first_response_at", "First response"),
    ("last_activity_at", "Last activity"),
    ("spam", "Spam"),
]


def export_rows(queryset: QuerySet) -> Iterator[dict]:
    """One dict per lead (with its latest inquiry), read CHUNK leads at a time."""
    leads = (
        queryset.select_related("assigned_to", "market")
        .prefetch_related(None)  # the caller's (the admin list's) prefetches give way to these
        .prefetch_related(Prefetch("inquiries", queryset=Inquiry.objects.prefetch_related("roles")))
    )
    for lead in leads.order_by("-created_at", "-pk").iterator(chunk_size=CHUNK):
        yield lead_row(lead)


def lead_row(lead: Lead) -> dict:
    inquiries = list(lead.inquiries.all())
    latest = inquiries[-1] if inquiries else None
    return {
        "lead": lead.pk,
        "created_at": local(lead.created_at),
        "stage": lead.get_stage_display(),
        "lost_category": lead.get_lost_category_display(),
        "lost_reason": lead.lost_reason,
        "assigned_to": person(lead.assigned_to) if lead.assigned_to else "",
        "name": lead.name,
        "email": lead.email,
        "phone": lead.phone,
        "company": lead.company,
        "job_title": lead.job_title,
        "roles": ", ".join(lead.role_titles),
        "hires": lead.hires,
        "market": lead.market.title if lead.market else "",
        "location": latest.location if latest else "",
        "remote_policy": latest.remote_policy_label if latest else "",
        "timeline": latest.timeline_label if latest else "",
        "source": lead.source,
        "utm_campaign": latest.utm_campaign if latest else "",
        "next_step": lead.next_step,
        "next_step_due_at": local(lead.next_step_due_at),
        "estimated_value": lead.estimated_value,
        "expected_start": lead.expected_start,
        "first_response_at": local(lead.first_response_at),
        "last_activity_at": local(lead.last_activity_at),
        "spam": lead.is_spam,
    }


def local(moment: datetime | None) -> datetime | None:
    return timezone.localtime(moment) if moment else None


# CSV -----------------------------------------------------------------------------------


class _Echo:
    """A file that hands back what is written to it, for csv.writer in a stream."""

    def write(self, value: str) -> str:
        return value


def csv_cell(name: str, value) -> str:
    """Text for a CSV cell that no spreadsheet runs as a formula.

    A phone number that passes the contact form's own pattern (digits, spaces,
    + ( ) . - only) can call no function, so it stays as typed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    text = str(value)
    if name == "phone" and PHONE.match(text):
        return text
    return no_formula(text)


def csv_lines(rows: Iterable[dict]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow([name for name, _ in COLUMNS])
    for row in rows:
        yield writer.writerow([csv_cell(name, row[name]) for name, _ in COLUMNS])


# XLSX ----------------------------------------------------------------------------------

COLUMN_WIDTHS = {
    "name": 22,
    "email": 28,
    "company": 22,
    "roles": 36,
    "next_step": 30,
    "lost_reason": 30,
}


def xlsx_file(rows: Iterable[dict]) -> tempfile.SpooledTemporaryFile:
    """A workbook with one typed cell per value: text stays text (a name starting
    with "=" or a phone starting with "+" is never a formula), numbers are numbers
    and dates are dates. Written in openpyxl's streaming mode to a temporary file."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Leads")
    for index, (name, _) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = COLUMN_WIDTHS.get(name, 14)
    sheet.freeze_panes = "A2"
    sheet.append([label for _, label in COLUMNS])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, row[name]) for name, _ in COLUMNS])
    handle = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - the response closes it
    workbook.save(handle)
    handle.seek(0)
    return handle


def _xlsx_cell(sheet, value):
    if isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value=value.replace(tzinfo=None))
        cell.number_format = "yyyy-mm-dd hh:mm"
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, int) or value is None:
        return value
    cell = WriteOnlyCell(sheet, value=str(value))
    cell.data_type = "s"  # never a formula, whatever the text starts with
    return cell
