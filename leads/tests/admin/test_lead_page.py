"""A lead's page: its title, timeline and form, and what one save does."""

from datetime import datetime, timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from leads.admin.timeline import activity_entry, email_status
from leads.models import Activity, ActivityKind, Lead, LostReason, Stage
from leads.tests.admin.pages import change_url, text
from leads.tests.factories import InquiryFactory, LeadFactory, RecruiterFactory
from roles.models import PostingDraft
from roles.tests.factories import RoleFactory

pytestmark = pytest.mark.django_db


class TestLeadPage:
    def test_titled_by_person_and_company_with_ways_to_get_in_touch(self, rita_client):
        lead = LeadFactory(
            name="Jane Doe", company="Acme", email="jane@acme.example", phone="+1 206 555 0100"
        )

        response = rita_client.get(change_url(lead))
        html = response.content.decode()

        assert "<h1>Jane Doe, Acme</h1>" in html
        assert '<li aria-current="page">Jane Doe, Acme</li>' in html
        assert '<a href="mailto:jane@acme.example">jane@acme.example</a>' in html
        assert '<a href="tel:+1 206 555 0100">' in html
        assert f'href="{reverse("admin:leads_lead_email", args=[lead.pk])}"' in html
        assert "Personal data." not in html

    def test_the_timeline_tells_everything_in_time_order(self, rita_client, rita, clock):
        lead = LeadFactory(name="Jane Doe", assigned_to=None)
        clock.shift(timedelta(minutes=5))
        lead.assign_to(rita, by=None)
        clock.shift(timedelta(minutes=5))
        lead.move_to(Stage.CONTACTED, by=rita)
        clock.shift(timedelta(minutes=5))
        lead.add_note("Budget approved", by=rita)
        clock.shift(timedelta(minutes=5))
        lead.set_next_step("Send shortlist", timezone.now() + timedelta(days=1), by=rita)

        page = text(rita_client.get(change_url(lead)))
        timeline = page[page.index("Timeline") :]

        entries = [
            "Next step, due Nov 3, 10:20 Rita Moreno",
            "Note Rita Moreno",
            "Budget approved",
            "Moved from New to Contacted Rita Moreno",
            "Assigned to Rita Moreno The portal",
            "Inquiry from the contact form: 2 hires Jane Doe",
        ]
        positions = [timeline.index(entry) for entry in entries]
        assert positions == sorted(positions)

    def test_one_save_applies_every_change_through_the_lead_and_says_so(
        self, rita_client, rita, admin_form_data
    ):
        lead = LeadFactory(assigned_to=None)
        url = change_url(lead)
        data = admin_form_data(rita_client.get(url))
        data.update(
            {
                "move_to": "qualified",
                "note": "Budget confirmed",
                "assignee": str(rita.pk),
                "new_next_step": "Send the shortlist",
                "new_next_step_due_at_0": "2026-11-05",
                "new_next_step_due_at_1": "09:00",
                "value_override": "80000",
            }
        )

        response = rita_client.post(url, data)

        assert response.status_code == 302
        lead.refresh_from_db()
        assert (lead.stage, lead.assigned_to, lead.next_step, lead.value_override) == (
            Stage.QUALIFIED,
            rita,
            "Send the shortlist",
            80000,
        )
        assert timezone.localtime(lead.next_step_due_at).isoformat() == "2026-11-05T09:00:00-05:00"
        assert set(lead.activities.values_list("kind", flat=True)) == {
            "details",
            "assigned",
            "next_step_set",
            "stage",
            "note",
        }
        assert all(activity.actor == rita for activity in lead.activities.all())
        history = LogEntry.objects.get()
        assert history.get_change_message() == (
            "Changed estimated value ($); Assigned to Rita Moreno; Next step due Nov 5, 09:00; "
            "Moved from New to Qualified; Added a note"
        )
        assert history.object_repr == f"Lead #{lead.pk}"  # the log keeps no personal data

    def test_done_clears_the_next_step_and_records_it(self, rita_client, admin_form_data):
        lead = LeadFactory(contacted=True)
        url = change_url(lead)
        data = {**admin_form_data(rita_client.get(url)), "next_step_done": "on"}

        rita_client.post(url, data)

        lead.refresh_from_db()
        assert lead.next_step == ""
        assert lead.activities.get().kind == ActivityKind.NEXT_STEP_DONE

    def test_a_lost_leads_page_names_why_once(self, rita_client):
        page = text(rita_client.get(change_url(LeadFactory(lost=True))))

        assert "Why it was lost: Budget or fees: Our fee was above their budget" in page
        assert page.count("Lost because") == 1  # the field, to change the category

    def test_a_loss_needs_its_category_and_nothing_typed_is_lost(
        self, rita_client, admin_form_data
    ):
        lead = LeadFactory(proposal=True)
        url = change_url(lead)
        data = {**admin_form_data(rita_client.get(url)), "move_to": "lost", "reason": "Paused"}

        refused = rita_client.post(url, data)

        assert refused.status_code == 200
        assert "Say why the lead was lost." in refused.content.decode()
        assert "Paused</textarea>" in refused.content.decode()
        lead.refresh_from_db()
        assert lead.stage == Stage.PROPOSAL
        rita_client.post(url, {**data, "lost_category": LostReason.TIMING})
        lead.refresh_from_db()
        assert (lead.stage, lead.lost_category, lead.lost_reason) == ("lost", "timing", "Paused")

    def test_a_next_step_without_a_due_date_is_refused(self, rita_client, admin_form_data):
        lead = LeadFactory(contacted=True, without_next_step=True)
        url = change_url(lead)
        data = {**admin_form_data(rita_client.get(url)), "new_next_step": "Call back"}

        response = rita_client.post(url, data)

        assert "Give the next step and when it is due." in response.content.decode()

    def test_assigning_on_the_page_stamps_activity_like_the_action(
        self, rita_client, rita, admin_form_data
    ):
        lead = LeadFactory(stale=True, assigned_to=None)
        url = change_url(lead)
        data = {**admin_form_data(rita_client.get(url)), "assignee": str(rita.pk)}

        rita_client.post(url, data)

        lead.refresh_from_db()
        assert lead.last_activity_at == timezone.now()
        assert not lead.is_stale

    def test_names_of_staff_link_to_nothing_a_recruiter_cannot_open(self, rita_client, rita):
        lead = LeadFactory(assigned_to=rita)
        lead.add_note("Hello", by=rita)

        html = rita_client.get(change_url(lead)).content.decode()

        assert "/admin/auth/user/" not in html

    def test_an_erased_lead_has_nothing_personal_to_edit_or_email(self, rita_client):
        lead = LeadFactory(won=True, erased=True)

        html = rita_client.get(change_url(lead)).content.decode()
        email = rita_client.get(reverse("admin:leads_lead_email", args=[lead.pk]), follow=True)

        assert f"Erased lead #{lead.pk}" in html
        assert 'name="email"' not in html
        assert "there is nobody to email" in email.content.decode()

    @pytest.mark.parametrize("size", [1, 30])
    def test_a_fixed_number_of_queries_however_long_the_history(
        self, rita_client, size, django_assert_num_queries
    ):
        roles = RoleFactory.create_batch(2)
        lead = LeadFactory(inquiries=size, history=size, inquiries__roles=roles)
        rita_client.get(change_url(LeadFactory()))  # warm Django's content-type cache

        with django_assert_num_queries(QUERIES_ON_A_LEAD_PAGE):
            response = rita_client.get(change_url(lead))

        assert response.status_code == 200
        assert len(response.context["timeline"]) == 4 * size


# Session, user, the second factor's device and permissions (5); the lead, its
# inquiries and their roles (3); the timeline's activities (1); related leads (1); the
# recruiters to assign to (1); the session saved (3: savepoint, update, release).
QUERIES_ON_A_LEAD_PAGE = 14


class TestTwoRecruitersOnOneLead:
    """Rita's page was open while Rob changed the lead."""

    @pytest.fixture
    def rob(self):
        return RecruiterFactory(first_name="Rob", last_name="Okafor")

    def test_saving_a_note_keeps_a_colleagues_next_step_and_assignment(
        self, rita_client, rita, rob, admin_form_data
    ):
        lead = LeadFactory(assigned_to=rita)
        url = change_url(lead)
        ritas_page = admin_form_data(rita_client.get(url))
        lead.complete_next_step(by=rob)
        lead.set_next_step("Send the salary benchmark", timezone.now() + timedelta(days=3), by=rob)
        lead.assign_to(rob, by=rob)

        response = rita_client.post(url, {**ritas_page, "note": "Called her back"})

        assert response.status_code == 302
        lead.refresh_from_db()
        assert (lead.next_step, lead.assigned_to) == ("Send the salary benchmark", rob)
        assert lead.activities.last().text == "Called her back"

    def test_changing_what_a_colleague_changed_meanwhile_is_refused_with_its_new_value(
        self, rita_client, rob, admin_form_data
    ):
        lead = LeadFactory(phone="+1 206 555 0100")
        url = change_url(lead)
        ritas_page = admin_form_data(rita_client.get(url))
        lead.change_details({"phone": "+1 206 555 0199"}, by=rob)

        response = rita_client.post(url, {**ritas_page, "phone": "+1 206 555 0111"})

        assert response.status_code == 200
        assert "Someone changed this while you were editing: it is now “+1 206 555 0199”" in (
            text(response)
        )
        lead.refresh_from_db()
        assert lead.phone == "+1 206 555 0199"

    def test_done_applies_only_to_the_next_step_the_page_showed(
        self, rita_client, rob, admin_form_data
    ):
        lead = LeadFactory()
        url = change_url(lead)
        ritas_page = admin_form_data(rita_client.get(url))
        lead.set_next_step("Send the contract", timezone.now() + timedelta(days=1), by=rob)

        response = rita_client.post(url, {**ritas_page, "next_step_done": "on"})

        assert "it is now “Send the contract”" in text(response)
        assert Lead.objects.get(pk=lead.pk).next_step == "Send the contract"

    def test_a_lead_held_by_someone_no_longer_a_recruiter_stays_theirs(
        self, rita_client, rob, admin_form_data
    ):
        lead = LeadFactory(assigned_to=rob)
        rob.groups.clear()
        url = change_url(lead)

        rita_client.post(url, {**admin_form_data(rita_client.get(url)), "note": "FYI"})

        assert Lead.objects.get(pk=lead.pk).assigned_to == rob


class TestLosing:
    def test_a_reason_alone_moves_the_lead_to_lost(self, rita_client, admin_form_data):
        lead = LeadFactory(proposal=True)
        url = change_url(lead)

        rita_client.post(
            url, {**admin_form_data(rita_client.get(url)), "lost_category": LostReason.BUDGET}
        )

        lead.refresh_from_db()
        assert (lead.stage, lead.lost_category) == (Stage.LOST, LostReason.BUDGET)

    def test_a_reason_with_another_stage_is_refused(self, rita_client, admin_form_data):
        lead = LeadFactory(proposal=True)
        url = change_url(lead)
        data = {**admin_form_data(rita_client.get(url)), "lost_category": "budget"}

        response = rita_client.post(url, {**data, "move_to": "won"})

        assert "Only a lead moved to Lost has a reason for it." in text(response)
        assert Lead.objects.get(pk=lead.pk).stage == Stage.PROPOSAL


def test_a_next_step_due_in_the_past_is_refused(rita_client, admin_form_data):
    lead = LeadFactory()
    url = change_url(lead)
    data = {
        **admin_form_data(rita_client.get(url)),
        "new_next_step_due_at_0": "2026-10-30",
        "new_next_step_due_at_1": "09:00",
    }

    response = rita_client.post(url, data)

    assert "That is in the past: when is it due?" in text(response)


def test_the_history_page_names_the_lead(rita_client, rita, admin_form_data):
    lead = LeadFactory(name="Jane Doe", company="Acme")
    url = change_url(lead)
    rita_client.post(url, {**admin_form_data(rita_client.get(url)), "note": "Hello"})

    history = text(rita_client.get(reverse("admin:leads_lead_history", args=[lead.pk])))

    assert "Change history: Jane Doe, Acme" in history
    assert "Added a note" in history


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({"sent_at": timezone.now()}, "sent"),
        ({"recipient": ""}, "not sent (erased)"),
        ({"send_attempts": 2}, "not sent yet: 2 failed attempt(s), retrying"),
        ({}, "waiting to be sent"),
    ],
)
def test_the_timeline_says_where_each_email_is(fields, status):
    lead = LeadFactory()
    fields = {"recipient": "a@b.example", **fields}
    email = Activity.objects.create(lead=lead, kind=ActivityKind.EMAIL, subject="Hi", **fields)

    assert email_status(email).startswith(status)


@pytest.mark.parametrize(
    ("fields", "title", "body", "details"),
    [
        ({"kind": "note", "text": "Called"}, "Note", "Called", []),
        (
            {"kind": "stage", "from_stage": "new", "to_stage": "lost", "text": "No budget"},
            "Moved from New to Lost",
            "No budget",
            [],
        ),
        (
            {"kind": "stage", "from_stage": "new", "to_stage": "lost", "lost_category": "budget"},
            "Moved from New to Lost (Budget or fees)",
            "",
            [],
        ),
        ({"kind": "assigned", "assignee": "rita"}, "Assigned to Rita Moreno", "", []),
        ({"kind": "assigned"}, "Unassigned", "", []),
        (
            {
                "kind": "next_step_set",
                "text": "Call",
                "due_at": datetime.fromisoformat("2026-11-03T09:00-05:00"),
            },
            "Next step, due Nov 3, 09:00",
            "Call",
            [],
        ),
        ({"kind": "next_step_done", "text": "Call"}, "Next step done", "Call", []),
        (
            {"kind": "email", "subject": "Hi", "text": "Hello", "recipient": "a@b.example"},
            "Emailed: Hi",
            "Hello",
            [("Status", "waiting to be sent")],
        ),
        ({"kind": "email"}, "Emailed", "", [("Status", "not sent (erased)")]),
        ({"kind": "details", "text": "phone"}, "Changed phone", "", []),
        ({"kind": "details"}, "Changed details", "", []),
        ({"kind": "spam"}, "Marked as spam", "", []),
        ({"kind": "not_spam"}, "Released from spam", "", []),
        ({"kind": "erased"}, "Personal data erased", "", []),
    ],
)
def test_each_kind_of_activity_in_words(rita, fields, title, body, details):
    if fields.get("assignee"):
        fields = {**fields, "assignee": rita}
    activity = Activity.objects.create(lead=LeadFactory(), actor=rita, **fields)

    entry = activity_entry(activity)

    assert (entry.kind, entry.title, entry.who, entry.body, entry.details) == (
        fields["kind"],
        title,
        "Rita Moreno",
        body,
        details,
    )


def test_what_the_portal_did_is_the_portals():
    activity = Activity.objects.create(lead=LeadFactory(), kind="assigned")

    assert activity_entry(activity).who == "The portal"


class TestAJobDescriptionSentFromTheBuilder:
    def test_the_recruiter_reads_the_posting_and_opens_its_saved_link(self, rita_client):
        role = RoleFactory(slug="nlp-engineer")
        draft = PostingDraft.objects.create(role=role, answers={"title": "NLP Lead"}, text="x")
        lead = LeadFactory(inquiries=0)
        InquiryFactory(
            lead=lead,
            posting_draft=draft,
            job_description="NLP Lead\nAcme Robotics\n\nResponsibilities\n- Ship <the> bot",
        )

        html = rita_client.get(change_url(lead)).content.decode()

        assert "<summary>Job description the employer built</summary>" in html
        assert "- Ship &lt;the&gt; bot" in html
        assert f'href="/roles/nlp-engineer/customise/{draft.token}/"' in html

    def test_after_its_draft_is_purged_the_posting_stays_without_a_link(self, rita_client):
        lead = LeadFactory(inquiries=0)
        InquiryFactory(lead=lead, job_description="NLP Lead\n- Ship the bot")

        html = rita_client.get(change_url(lead)).content.decode()

        assert "- Ship the bot" in html
        assert "Open it in the job description builder" not in html
