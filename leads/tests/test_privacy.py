"""A person's data: exported as one document, erased everywhere, purged after retention."""

import json
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import models
from django.utils import timezone

from leads.forms import FormToken
from leads.models import Activity, ActivityKind, Lead, LostReason, Stage
from leads.services.intake import lead_submit
from leads.services.pipeline import LeadChanges, lead_apply, lead_send_email
from leads.services.privacy import lead_erase, leads_purge, personal_data_export
from leads.tests.conftest import form_data
from leads.tests.factories import LeadFactory, RecruiterFactory

pytestmark = pytest.mark.django_db

PERSON = {
    "name": "Zebulon Quaxley",
    "email": "zebulon.quaxley@quaxcorp.example",
    "phone": "+1 555 0199 321",
    "company": "Quaxcorp Industries",
    "job_title": "Chief Quaxing Officer",
    "location": "Quaxville, ND",
    "message": "Call Zebulon on his private line",
}


def traces(value: str) -> list[str]:
    """Every column of every table, text and JSON (task arguments), that holds `value`."""
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                held = model.objects.filter(**{f"{field.name}__icontains": value}).exists()
            elif isinstance(field, models.JSONField):
                values = model.objects.values_list(field.name, flat=True)
                held = any(value.lower() in json.dumps(v).lower() for v in values)
            else:
                continue
            if held:
                found.append(f"{model._meta.label}.{field.name}")
    return found


def zebulon() -> Lead:
    data = {**form_data(**PERSON), "roles": ["nlp-engineer"], "hires": 3}
    return lead_submit(data=data, token=FormToken.issue({})).lead


class TestErasure:
    def test_erasing_leaves_no_trace_in_any_text_column(
        self, roles, recruiter, django_capture_on_commit_callbacks
    ):
        lead = zebulon()
        with django_capture_on_commit_callbacks(execute=True):
            lead_send_email(
                lead=lead, by=recruiter, subject="Zebulon, your hires", body="Dear Zebulon"
            )
        lead_apply(
            lead=lead,
            by=recruiter,
            changes=LeadChanges(
                note="Zebulon prefers mornings",
                next_step="Call Zebulon at Quaxcorp",
                next_step_due_at=timezone.now() + timedelta(days=1),
                details={"phone": "+1 555 0199 999"},
            ),
        )
        lead.move_to(
            Stage.LOST, by=recruiter, lost_category=LostReason.OTHER, reason="Zebulon retired"
        )
        LogEntry.objects.log_actions(
            user_id=recruiter.pk, queryset=[lead], action_flag=CHANGE, change_message="Zebulon"
        )
        assert len(traces("Zebulon")) >= 5  # the scan finds what is there

        lead_erase(lead=lead, by=recruiter)

        for value in [*PERSON.values(), "Zebulon", "quaxcorp", "555 0199"]:
            assert traces(value) == [], value
        lead.refresh_from_db()
        assert lead.erased_at is not None
        assert Lead.objects.count() == 1  # still counted
        inquiry = lead.inquiries.get()
        assert (inquiry.hires, list(inquiry.roles.values_list("slug", flat=True))) == (
            3,
            ["nlp-engineer"],
        )
        assert not LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Lead), object_id=str(lead.pk)
        ).exists()
        assert lead.activities.last().kind == ActivityKind.ERASED

    def test_erasing_one_person_leaves_everyone_else_alone(self, roles, recruiter):
        erased, kept = zebulon(), LeadFactory(name="Kept Person")
        kept.add_note("Kept note", by=recruiter)
        LogEntry.objects.log_actions(
            user_id=recruiter.pk, queryset=[kept], action_flag=CHANGE, change_message="Kept"
        )

        lead_erase(lead=erased)

        kept.refresh_from_db()
        assert (kept.name, kept.erased_at) == ("Kept Person", None)
        assert kept.activities.get().text == "Kept note"
        assert LogEntry.objects.filter(object_id=str(kept.pk)).count() == 1


class TestExport:
    def test_the_data_of_two_people_is_one_valid_json_document(self, roles, recruiter):
        jane = LeadFactory(email="jane@acme.example", name="Jane Doe")
        jane.add_note("Jane asked for a call", by=recruiter)
        jane.move_to(Stage.LOST, by=None, lost_category=LostReason.TIMING, reason="Paused")
        LeadFactory(email="Jane@ACME.example", name="Jane Doe")  # her second request
        LeadFactory(email="john@acme.example", name="John Roe")
        LeadFactory(email="someone@else.example")

        with time_machine.travel("2026-11-02 10:00 -05:00", tick=False):
            document = json.loads(
                personal_data_export(emails=["john@acme.example", "JANE@acme.example"])
            )

        assert document["exported_at"] == "2026-11-02T15:00:00Z"
        assert [person["email"] for person in document["people"]] == [
            "jane@acme.example",
            "john@acme.example",
        ]
        jane_leads, john_leads = (person["leads"] for person in document["people"])
        assert [lead["name"] for lead in jane_leads] == ["Jane Doe", "Jane Doe"]
        assert set(jane_leads[0]) == {
            "lead",
            "name",
            "email",
            "phone",
            "company",
            "job_title",
            "created_at",
            "stage",
            "lost_reason",
            "next_step",
            "inquiries",
            "records",
        }
        assert jane_leads[0]["lost_reason"] == "Paused"
        assert [r["text"] for r in jane_leads[0]["records"]] == ["Jane asked for a call", "Paused"]
        assert set(jane_leads[0]["inquiries"][0]) == {
            "submitted_at",
            "roles",
            "hires",
            "location",
            "remote_policy",
            "timeline",
            "message",
            "consent_at",
            "source_page",
            "referrer",
            "job_description",
        }
        assert jane_leads[0]["inquiries"][0]["location"] == "Seattle, WA"
        assert jane_leads[0]["inquiries"][0]["remote_policy"] == "Hybrid"
        assert set(jane_leads[0]["records"][0]) == {"at", "kind", "subject", "text"}
        assert jane_leads[0]["records"][0]["kind"] == "Note"
        assert jane_leads[0]["stage"] == "Lost"
        assert [lead["name"] for lead in john_leads] == ["John Roe"]

    def test_a_person_with_no_data_is_listed_with_none(self):
        document = json.loads(personal_data_export(emails=["nobody@nowhere.example"]))

        assert document["people"] == [{"email": "nobody@nowhere.example", "leads": []}]


class TestRetention:
    def test_purge_erases_old_closed_leads_and_keeps_recent_ones(self):
        with time_machine.travel("2025-01-01 10:00 -05:00", tick=False):
            old = LeadFactory(won=True)
            open_old = LeadFactory()
        recent = LeadFactory(won=True)

        call_command("purge_leads", "--older-than", "365", stdout=StringIO())

        erased = set(Lead.objects.filter(erased_at__isnull=False).values_list("pk", flat=True))
        assert erased == {old.pk}
        assert {open_old.pk, recent.pk} <= set(Lead.objects.values_list("pk", flat=True))

    def test_purge_spam_deletes_old_quarantined_submissions(self):
        with time_machine.travel("2025-01-01 10:00 -05:00", tick=False):
            LeadFactory(spam=True)
        new_spam = LeadFactory(spam=True)

        assert leads_purge(older_than_days=30, spam_only=True) == 1
        assert list(Lead.objects.values_list("pk", flat=True)) == [new_spam.pk]

    def test_without_a_cutoff_the_command_uses_the_retention_settings(self, settings):
        settings.LEADS_RETENTION_DAYS, settings.LEADS_SPAM_RETENTION_DAYS = 400, 20
        now = timezone.now()
        with time_machine.travel(now - timedelta(days=401), tick=False):
            old = LeadFactory(won=True)
        with time_machine.travel(now - timedelta(days=399), tick=False):
            kept = LeadFactory(won=True)
        with time_machine.travel(now - timedelta(days=21), tick=False):
            LeadFactory(spam=True)
        out = StringIO()

        call_command("purge_leads", stdout=out)
        call_command("purge_leads", "--spam", stdout=out)

        assert out.getvalue() == (
            "1 closed lead(s) erased (older than 400 days).\n"
            "0 saved job description(s) deleted (unsaved for 90 days).\n"
            "1 spam lead(s) deleted (older than 20 days).\n"
        )
        erased = Lead.objects.filter(erased_at__isnull=False).values_list("pk", flat=True)
        assert list(erased) == [old.pk]
        assert Lead.objects.filter(pk=kept.pk, erased_at__isnull=True).exists()

    def test_the_command_refuses_a_cutoff_under_a_day(self):
        with pytest.raises(Exception, match="at least 1 day"):
            call_command("purge_leads", "--older-than", "0", stdout=StringIO())


def test_recruiters_factory_makes_staff_in_the_group():
    rita = RecruiterFactory()

    assert rita.is_staff
    assert rita.groups.filter(name="Recruiters").exists()


class TestMoreRetention:
    def test_purging_spam_never_touches_genuine_leads(self):
        with time_machine.travel("2025-01-01 10:00 -05:00", tick=False):
            genuine = LeadFactory(won=True)
            LeadFactory(spam=True)

        out = StringIO()
        call_command("purge_leads", "--older-than", "30", "--spam", stdout=out)

        assert list(Lead.objects.values_list("pk", flat=True)) == [genuine.pk]
        assert out.getvalue() == "1 spam lead(s) deleted (older than 30 days).\n"

    def test_an_erased_lead_is_not_erased_again_nor_counted(self):
        with time_machine.travel("2025-01-01 10:00 -05:00", tick=False):
            LeadFactory(won=True, erased=True)
            LeadFactory.create_batch(2, lost=True)

        out = StringIO()
        call_command("purge_leads", "--older-than", "365", stdout=out)

        assert out.getvalue() == (
            "2 closed lead(s) erased (older than 365 days).\n"
            "0 saved job description(s) deleted (unsaved for 90 days).\n"
        )
        assert Activity.objects.filter(kind=ActivityKind.ERASED).count() == 3


class TestMoreExport:
    def test_records_are_what_staff_wrote_oldest_lead_first(self, recruiter):
        with time_machine.travel("2026-11-02 10:00 -05:00", tick=False):
            later = LeadFactory(email="zoe@acme.example", name="Zoë Brontë")
        with time_machine.travel("2026-10-01 10:00 -05:00", tick=False):
            earlier = LeadFactory(email="zoe@acme.example", name="Zoë Brontë", won=True)
        earlier.assign_to(recruiter, by=recruiter)  # no text: not a record of theirs
        earlier.add_note("Zoë prefers email", by=recruiter)

        export = personal_data_export(emails=["zoe@acme.example"])
        leads = json.loads(export)["people"][0]["leads"]

        assert [lead["lead"] for lead in leads] == [f"#{earlier.pk}", f"#{later.pk}"]
        assert [record["text"] for record in leads[0]["records"]] == ["Zoë prefers email"]
        assert "Zoë Brontë" in export  # as written, not \\u-escaped
        assert leads[0]["inquiries"][0]["timeline"] == "Within 3 months"

    @pytest.mark.parametrize("people", [1, 5])
    def test_a_fixed_number_of_queries_however_many_people(self, people, django_assert_num_queries):
        emails = [f"p{index}@x.example" for index in range(people)]
        for email in emails:
            LeadFactory(email=email, history=2)

        with django_assert_num_queries(4):  # leads, inquiries, their roles, records
            personal_data_export(emails=emails)
