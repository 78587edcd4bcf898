"""The lead page's form on its own: each rule, the field it speaks beside, and what it asks."""

from datetime import timedelta

import pytest
from django.utils import timezone

from leads.admin.forms import CHANGED_MEANWHILE, LeadAdminForm
from leads.models import LostReason, Stage
from leads.services.pipeline import KEEP
from leads.tests.factories import LeadFactory, RecruiterFactory

pytestmark = pytest.mark.django_db


def page_data(lead) -> dict:
    """What the page posts back untouched: each field, and its hidden copy of what it showed."""
    form = LeadAdminForm(instance=lead)
    data = {}
    for field in form:
        value = field.value()
        for name in (field.html_name, field.html_initial_name):
            if name == field.html_initial_name and not field.field.show_hidden_initial:
                continue
            widget = field.field.widget if name == field.html_name else field.field.hidden_widget()
            if hasattr(widget, "widgets_names"):
                for suffix, part in zip(
                    widget.widgets_names, widget.decompress(value), strict=True
                ):
                    data[name + suffix] = part or ""
            elif value not in (None, False):
                data[name] = value.pk if hasattr(value, "pk") else value
    return data


def submitted(lead, **changes) -> LeadAdminForm:
    form = LeadAdminForm({**page_data(lead), **changes}, instance=lead)
    form.is_valid()
    return form


@pytest.fixture
def lead(db):
    return LeadFactory(proposal=True, phone="+1 206 555 0100")


def test_an_untouched_page_is_valid_and_asks_for_nothing(lead):
    form = submitted(lead)

    assert form.errors == {}
    changes = form.changes()
    assert (changes.details, changes.assignee, changes.stage, changes.next_step, changes.note) == (
        {},
        KEEP,
        "",
        "",
        "",
    )
    assert changes.next_step_done is False


def test_a_lost_lead_needs_its_reason_beside_the_field(lead):
    assert submitted(lead, move_to="lost").errors == {
        "lost_category": ["Say why the lead was lost."]
    }


def test_a_reason_for_another_stage_is_refused_beside_the_reason(lead):
    assert submitted(lead, move_to="won", lost_category="budget").errors == {
        "lost_category": ["Only a lead moved to Lost has a reason for it."]
    }


def test_a_reason_alone_means_lost(lead):
    form = submitted(lead, lost_category=LostReason.TIMING, reason="Paused")

    changes = form.changes()
    assert (changes.stage, changes.lost_category, changes.reason) == ("lost", "timing", "Paused")


def test_a_reason_for_a_lead_already_lost_keeps_it_lost():
    lost = LeadFactory(lost=True)

    form = submitted(lost, lost_category=LostReason.COMPETITOR)

    assert form.errors == {}
    assert form.changes().stage == ""


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        (
            {"new_next_step": "Call", "new_next_step_due_at_0": "", "new_next_step_due_at_1": ""},
            "new_next_step_due_at",
        ),
        (
            {
                "new_next_step": "",
                "new_next_step_due_at_0": "2030-01-01",
                "new_next_step_due_at_1": "09:00",
            },
            "new_next_step",
        ),
    ],
)
def test_a_next_step_needs_both_its_text_and_when(lead, changes, field):
    assert submitted(lead, **changes).errors == {field: ["Give the next step and when it is due."]}


def test_a_next_step_due_a_moment_ago_is_still_fine_but_not_earlier(lead):
    def due(minutes_ago: int) -> dict:
        moment = timezone.localtime() - timedelta(minutes=minutes_ago)
        return {
            "new_next_step_due_at_0": moment.date().isoformat(),
            "new_next_step_due_at_1": moment.strftime("%H:%M:%S"),
        }

    assert submitted(lead, **due(0)).errors == {}
    assert submitted(lead, **due(2)).errors == {
        "new_next_step_due_at": ["That is in the past: when is it due?"]
    }


def test_emptying_the_next_step_is_ticking_done(lead):
    form = submitted(lead, new_next_step="", new_next_step_due_at_0="", new_next_step_due_at_1="")

    assert form.changes().next_step_done is True


def test_a_new_next_step_is_asked_for_with_its_due_date(lead):
    form = submitted(
        lead,
        new_next_step="Send the contract",
        new_next_step_due_at_0="2030-01-15",
        new_next_step_due_at_1="09:30",
    )

    changes = form.changes()
    assert changes.next_step == "Send the contract"
    assert timezone.localtime(changes.next_step_due_at).isoformat() == "2030-01-15T09:30:00-05:00"
    assert changes.next_step_done is False


class TestChangedMeanwhile:
    def test_a_detail_a_colleague_emptied_says_empty(self, lead):
        data = page_data(lead)
        lead.change_details({"phone": ""}, by=None)

        form = LeadAdminForm({**data, "phone": "+1 206 555 0111"}, instance=lead)

        assert form.errors == {"phone": [CHANGED_MEANWHILE.format("empty")]}

    def test_an_assignee_a_colleague_changed_is_named(self, lead):
        rita, rob = RecruiterFactory(), RecruiterFactory(first_name="Rob", last_name="Okafor")
        data = page_data(lead)
        lead.assign_to(rob, by=rob)

        form = LeadAdminForm({**data, "assignee": rita.pk}, instance=lead)

        assert form.errors == {"assignee": [CHANGED_MEANWHILE.format("Rob Okafor")]}

    def test_done_on_a_next_step_a_colleague_replaced(self, lead):
        data = page_data(lead)
        lead.set_next_step("Send the contract", timezone.now() + timedelta(days=1), by=None)

        form = LeadAdminForm({**data, "next_step_done": "on"}, instance=lead)

        assert form.errors == {"next_step_done": [CHANGED_MEANWHILE.format("Send the contract")]}

    def test_done_on_a_next_step_a_colleague_completed_does_nothing(self, lead):
        data = page_data(lead)
        lead.complete_next_step(by=None)

        form = LeadAdminForm({**data, "next_step_done": "on"}, instance=lead)

        assert form.errors == {}
        assert form.changes().next_step_done is False

    def test_what_nobody_else_changed_is_applied(self, lead):
        form = submitted(lead, phone="+1 206 555 0111", move_to=Stage.WON)

        assert form.errors == {}
        assert form.changes().details == {"phone": "+1 206 555 0111"}
