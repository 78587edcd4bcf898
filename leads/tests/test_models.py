"""The lead's own rules: every change recorded in its timeline, stamped, validated."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from leads.models import Activity, ActivityKind, EmailTemplate, Lead, LostReason, Stage
from leads.tests.factories import LeadFactory, RecruiterFactory

pytestmark = pytest.mark.django_db

MONDAY_10AM = "2026-11-02 10:00 -05:00"  # New York


@pytest.fixture
def clock():
    with time_machine.travel(MONDAY_10AM, tick=False) as traveller:
        yield traveller


def kinds(lead) -> list[str]:
    return list(lead.activities.values_list("kind", flat=True))


class TestStage:
    def test_move_to_records_who_when_and_the_first_response(self, clock):
        lead, rita = LeadFactory(), RecruiterFactory()

        lead.move_to(Stage.CONTACTED, by=rita)
        responded = lead.first_response_at
        clock.shift(timedelta(hours=2))
        lead.move_to(Stage.QUALIFIED, by=rita)

        history = list(
            lead.activities.filter(kind=ActivityKind.STAGE).values_list(
                "from_stage", "to_stage", "actor", "at"
            )
        )
        assert history == [
            (Stage.NEW, Stage.CONTACTED, rita.pk, responded),
            (Stage.CONTACTED, Stage.QUALIFIED, rita.pk, timezone.now()),
        ]
        assert lead.first_response_at == responded == timezone.now() - timedelta(hours=2)
        assert lead.first_response_time == timedelta(hours=1)
        # Responding did the first next step, "Reply to the inquiry".
        done = lead.activities.get(kind=ActivityKind.NEXT_STEP_DONE)
        assert (done.text, done.actor, lead.next_step) == ("Reply to the inquiry", rita, "")
        lead.refresh_from_db()
        assert lead.last_activity_at == timezone.now()

    def test_losing_a_lead_is_no_response_to_it(self, clock):
        lead = LeadFactory()

        lead.move_to(Stage.LOST, by=None, lost_category=LostReason.NO_RESPONSE)

        assert lead.first_response_at is None

    def test_only_the_first_reply_step_is_done_by_responding(self, clock):
        lead = LeadFactory(next_step="Call on Monday")

        lead.move_to(Stage.CONTACTED, by=None)

        assert lead.next_step == "Call on Monday"

    def test_the_same_stage_again_records_nothing(self, clock):
        lead = LeadFactory(contacted=True)

        assert lead.move_to(Stage.CONTACTED, by=None) is None
        assert kinds(lead) == []

    def test_lost_needs_a_category_and_keeps_the_details(self, clock):
        lead = LeadFactory(qualified=True)

        with pytest.raises(ValidationError) as refused:
            lead.move_to(Stage.LOST, by=None, reason="No budget")
        assert refused.value.message_dict == {"lost_category": ["Say why the lead was lost."]}
        assert kinds(lead) == []

        lead.move_to(Stage.LOST, by=None, lost_category=LostReason.BUDGET, reason=" No budget ")

        lead.refresh_from_db()
        assert (lead.stage, lead.lost_category, lead.lost_reason) == ("lost", "budget", "No budget")
        assert lead.activities.get().text == "No budget"

    def test_the_database_refuses_a_lost_lead_without_a_category(self):
        lead = LeadFactory()

        with pytest.raises(IntegrityError), transaction.atomic():
            Lead.objects.filter(pk=lead.pk).update(stage=Stage.LOST, lost_category="")

    def test_closing_a_lead_clears_its_next_step_and_reopening_clears_the_loss(self, clock):
        lead = LeadFactory(proposal=True)

        lead.move_to(Stage.LOST, by=None, lost_category=LostReason.TIMING)
        assert (lead.next_step, lead.next_step_due_at) == ("", None)
        lead.move_to(Stage.PROPOSAL, by=None)

        lead.refresh_from_db()
        assert (lead.stage, lead.lost_category, lead.lost_reason) == ("proposal", "", "")


class TestAssignmentNotesAndNextSteps:
    def test_assigning_is_recorded_and_stamps_activity(self, clock):
        lead = LeadFactory(created_at=timezone.now() - timedelta(days=5))
        rita, boss = RecruiterFactory(), RecruiterFactory()

        lead.assign_to(rita, by=boss)

        activity = lead.activities.get()
        assert (activity.kind, activity.assignee, activity.actor) == ("assigned", rita, boss)
        lead.refresh_from_db()
        assert (lead.assigned_to, lead.last_activity_at) == (rita, timezone.now())
        assert lead.assign_to(rita, by=boss) is None  # already hers: nothing to record

    def test_unassigning_is_recorded_too(self, clock):
        rita = RecruiterFactory()
        lead = LeadFactory(assigned_to=rita)

        lead.assign_to(None, by=rita)

        assert lead.activities.get().assignee is None
        assert Lead.objects.get(pk=lead.pk).assigned_to is None

    def test_a_note_counts_as_activity(self, clock):
        lead = LeadFactory(stale=True)
        assert lead.is_stale

        lead.add_note("  Called, left a message ", by=None)

        lead.refresh_from_db()
        assert not lead.is_stale
        assert lead.activities.get().text == "Called, left a message"

    def test_a_next_step_is_set_then_done(self, clock):
        lead = LeadFactory(without_next_step=True)
        due = timezone.now() + timedelta(days=2)

        lead.set_next_step("Send the shortlist", due, by=None)
        assert lead.set_next_step("Send the shortlist", due, by=None) is None
        lead.complete_next_step(by=None)

        assert kinds(lead) == ["next_step_set", "next_step_done"]
        done = lead.activities.last()
        assert (done.text, done.due_at) == ("Send the shortlist", due)
        lead.refresh_from_db()
        assert (lead.next_step, lead.next_step_due_at) == ("", None)
        assert lead.complete_next_step(by=None) is None

    @pytest.mark.parametrize(("text", "due"), [("", timedelta(days=1)), ("Call", None)])
    def test_a_next_step_needs_text_and_a_due_date(self, clock, text, due):
        lead = LeadFactory()

        with pytest.raises(ValidationError):
            lead.set_next_step(text, timezone.now() + due if due else None, by=None)

    def test_the_database_refuses_a_next_step_without_a_due_date(self):
        lead = LeadFactory()

        with pytest.raises(IntegrityError), transaction.atomic():
            Lead.objects.filter(pk=lead.pk).update(next_step_due_at=None)

    def test_changed_details_are_named_never_their_values(self, clock):
        lead = LeadFactory(phone="")

        activity = lead.change_details(
            {"phone": "+1 206 555 0199", "company": lead.company}, by=None
        )

        assert activity.text == "phone"
        assert "555" not in activity.text
        assert lead.change_details({"phone": "+1 206 555 0199"}, by=None) is None


class TestTime:
    def test_stale_means_open_and_untouched_for_three_days(self, clock, settings):
        settings.LEADS_STALE_AFTER_DAYS = 3
        quiet = LeadFactory(stale=True)
        busy = LeadFactory()
        closed = LeadFactory(stale=True, won=True)
        junk = LeadFactory(stale=True, spam=True)

        assert list(Lead.objects.stale()) == [quiet]
        assert (quiet.is_stale, busy.is_stale, closed.is_stale, junk.is_stale) == (
            True,
            False,
            False,
            False,
        )

    def test_overdue_and_due_today_are_the_sites_today(self, clock):
        # Monday 10:00 in New York. Tonight 23:30 is today there, though tomorrow in UTC.
        overdue = LeadFactory(overdue=True)
        tonight = LeadFactory(next_step_due_at=timezone.now() + timedelta(hours=13, minutes=30))
        tomorrow = LeadFactory(next_step_due_at=timezone.now() + timedelta(hours=14, minutes=30))

        assert list(Lead.objects.overdue()) == [overdue]
        assert list(Lead.objects.due_today()) == [tonight]
        assert (overdue.is_overdue, tonight.is_overdue, tomorrow.is_overdue) == (True, False, False)

    def test_a_next_step_falls_overdue_as_time_passes(self, clock):
        lead = LeadFactory(next_step_due_at=timezone.now() + timedelta(hours=1))

        clock.shift(timedelta(hours=2))

        assert lead.is_overdue
        assert list(Lead.objects.overdue()) == [lead]


def test_str_never_shows_personal_data():
    lead = LeadFactory(name="Zebulon Quaxley")

    assert str(lead) == f"Lead #{lead.pk}"
    assert "Zebulon" in lead.display_name
    assert str(lead.inquiries.get()) == f"Inquiry #{lead.inquiries.get().pk}"
    assert "Zebulon" not in str(Activity.objects.create(lead=lead, kind=ActivityKind.NOTE))


def test_the_estimated_value_is_hires_times_the_fee_unless_set(settings):
    settings.LEADS_FEE_PER_HIRE = 25_000
    lead = LeadFactory(hires=3)

    assert lead.estimated_value == 75_000
    lead.value_override = 60_000
    assert lead.estimated_value == 60_000
    settings.LEADS_FEE_PER_HIRE = 0
    assert LeadFactory().estimated_value is None


class TestEmailTemplates:
    def test_placeholders_are_filled_in(self):
        template = EmailTemplate(
            name="t", subject="Hello  {{ first_name }}", body="{{name}} at {{ company }}"
        )

        assert template.render({"first_name": "Jane", "name": "Jane Doe", "company": "Acme"}) == (
            "Hello Jane",
            "Jane Doe at Acme",
        )

    def test_an_unknown_placeholder_is_refused_by_name(self):
        template = EmailTemplate(name="t", subject="Hi", body="Dear {{ lead.email }} {{ salary }}")

        with pytest.raises(ValidationError) as refused:
            template.full_clean()

        assert "Unknown placeholder {{ salary }}" in refused.value.message_dict["body"][0]

    def test_three_templates_ship_and_each_is_valid(self):
        names = list(EmailTemplate.objects.values_list("name", flat=True))

        assert names == ["First reply", "Follow-up", "Proposal"]
        for template in EmailTemplate.objects.all():
            template.full_clean()
