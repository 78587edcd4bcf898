"""The list's actions, each through the same service as every screen."""

import csv
import io
import json

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.utils import timezone
from openpyxl import load_workbook

from leads.models import Lead
from leads.tests.admin.pages import CHANGELIST, action, change_url, text
from leads.tests.factories import LeadFactory, RecruiterFactory

pytestmark = pytest.mark.django_db


class TestActions:
    def test_assign_to_me_and_to_a_colleague(self, rita_client, rita):
        lead, other = LeadFactory(assigned_to=None), LeadFactory(assigned_to=None)
        bob = RecruiterFactory(first_name="Bob", last_name="Ray")

        action(rita_client, "assign_to_me", [lead])
        page = action(rita_client, "assign_to", [other])
        assert "Bob Ray" in page.content.decode()
        action(rita_client, "assign_to", [other], apply="1", recruiter=str(bob.pk))

        lead.refresh_from_db(), other.refresh_from_db()
        assert (lead.assigned_to, other.assigned_to) == (rita, bob)
        assert lead.activities.get().actor == rita
        assert LogEntry.objects.filter(object_id=str(other.pk)).get().get_change_message() == (
            "Assigned to Bob Ray"
        )

    def test_move_to_stage_needs_a_category_for_lost(self, rita_client, rita):
        leads = [LeadFactory(), LeadFactory()]

        refused = action(rita_client, "move_to_stage", leads, apply="1", stage="lost")
        assert "Say why the lead was lost." in refused.content.decode()
        action(
            rita_client,
            "move_to_stage",
            leads,
            apply="1",
            stage="lost",
            lost_category="no_response",
        )

        assert set(Lead.objects.values_list("stage", "lost_category")) == {("lost", "no_response")}

    def test_spam_and_back(self, rita_client, rita, mailoutbox, django_capture_on_commit_callbacks):
        lead = LeadFactory(spam=True, assigned_to=None)

        with django_capture_on_commit_callbacks(execute=True):
            rita_client.post(  # from the list of spam, where it was selected
                CHANGELIST + "?spam=yes",
                {"action": "release_from_spam", "_selected_action": [lead.pk]},
            )
        lead.refresh_from_db()
        assert (lead.is_spam, lead.assigned_to) == (False, rita)
        action(rita_client, "mark_spam", [lead])
        lead.refresh_from_db()
        assert lead.is_spam

    def test_csv_export_streams_with_phones_as_typed(self, rita_client):
        LeadFactory(name="=cmd|'/c calc'!A1", phone="+1 (206) 555-0100")

        response = action(rita_client, "export_csv", Lead.objects.all())

        assert response.streaming
        rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
        assert rows[0]["name"] == "'=cmd|'/c calc'!A1"
        assert rows[0]["phone"] == "+1 (206) 555-0100"

    def test_xlsx_export_opens_as_a_typed_spreadsheet(self, rita_client):
        LeadFactory(name="=cmd|'/c calc'!A1", hires=4)

        response = action(rita_client, "export_xlsx", Lead.objects.all())

        workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        header, row = workbook["Leads"].iter_rows(values_only=True)
        assert dict(zip(header, row, strict=True))["Name"] == "=cmd|'/c calc'!A1"
        assert dict(zip(header, row, strict=True))["Hires"] == 4
        assert response["Content-Disposition"].startswith('attachment; filename="leads-')

    def test_the_personal_data_of_two_people_is_one_json_document(self, rita_client):
        leads = [LeadFactory(email="a@a.example"), LeadFactory(email="b@b.example")]

        response = action(rita_client, "export_personal_data", leads)

        document = json.loads(response.content)
        assert [person["email"] for person in document["people"]] == ["a@a.example", "b@b.example"]

    def test_erase_asks_first_then_erases(self, rita_client):
        lead = LeadFactory(name="Zebulon Quaxley")

        confirm = action(rita_client, "erase_personal_data", [lead])
        assert "will be erased for good" in confirm.content.decode()
        assert "Zebulon Quaxley" in confirm.content.decode()
        lead.refresh_from_db()
        assert lead.erased_at is None
        action(rita_client, "erase_personal_data", [lead], apply="1")

        lead.refresh_from_db()
        assert (lead.name, lead.erased_at) == ("(erased)", timezone.now())

    def test_the_action_page_has_djangos_breadcrumb_bar(self, rita_client):
        html = action(rita_client, "assign_to", [LeadFactory()]).content.decode()

        assert '<ol class="breadcrumbs">' in html
        assert '<div class="breadcrumbs">' not in html

    def test_erase_and_export_need_their_permissions(self, client, django_user_model):
        viewer = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
        viewer.user_permissions.add(
            *Group.objects.get(name="Recruiters").permissions.exclude(
                codename__in=["erase_lead", "export_lead"]
            )
        )
        client.force_login(viewer)
        lead = LeadFactory()

        actions = [
            c[0] for c in client.get(CHANGELIST).context["action_form"].fields["action"].choices
        ]
        action(client, "erase_personal_data", [lead], apply="1")

        assert not {"erase_personal_data", "export_csv", "export_xlsx"} & set(actions)
        lead.refresh_from_db()
        assert lead.erased_at is None


def test_the_move_form_asks_for_the_stage_first(rita_client):
    page = action(rita_client, "move_to_stage", [LeadFactory()]).content.decode()

    assert (
        page.index('name="stage"')
        < page.index('name="lost_category"')
        < page.index('name="reason"')
    )


def test_messages_count_the_leads_an_action_changed(rita_client, rita):
    mine, theirs = LeadFactory(assigned_to=rita), LeadFactory(assigned_to=None)
    other = LeadFactory(assigned_to=None)

    response = action(rita_client, "assign_to_me", [mine, theirs, other])

    assert "2 lead(s) assigned to you." in text(rita_client.get(response["Location"]))
    assert LogEntry.objects.count() == 2  # the lead already hers changed nothing


def test_the_asking_page_posts_the_action_and_the_leads_back(rita_client):
    leads = [LeadFactory(), LeadFactory()]

    html = action(rita_client, "move_to_stage", leads).content.decode()

    assert '<input type="hidden" name="action" value="move_to_stage">' in html
    for lead in leads:
        assert f'<input type="hidden" name="_selected_action" value="{lead.pk}">' in html
    assert f'href="{CHANGELIST}"' in html  # Cancel, and the breadcrumb


def test_exported_files_are_named_by_the_sites_date_and_time(rita_client):
    response = action(rita_client, "export_csv", [LeadFactory()])

    assert response["Content-Disposition"] == 'attachment; filename="leads-20261102-1000.csv"'


def test_saving_an_untouched_lead_page_records_no_changes(rita_client, admin_form_data):
    lead = LeadFactory()
    url = change_url(lead)

    rita_client.post(url, admin_form_data(rita_client.get(url)))

    assert LogEntry.objects.get().get_change_message() == "No changes"
    assert not lead.activities.exists()
