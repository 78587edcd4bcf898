"""The recruiters' workbench: what each screen shows and what each change does."""

import csv
import io
import json
import re
from datetime import timedelta
from html import unescape

import pytest
import time_machine
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from leads.models import ActivityKind, EmailTemplate, Lead, LostReason, Stage
from leads.tests.factories import LeadFactory, RecruiterFactory, UserFactory, bulk_leads
from roles.models import Area, AreaType
from roles.tests.factories import RoleFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:leads_lead_changelist")
MY_WORK = reverse("admin:leads_lead_my_work")
BOARD = reverse("admin:leads_lead_board")
DASHBOARD = reverse("admin:leads_lead_dashboard")


def change_url(lead) -> str:
    return reverse("admin:leads_lead_change", args=[lead.pk])


def text(response) -> str:
    """The page as a reader gets it: tags dropped, entities decoded, white space folded."""
    return " ".join(unescape(re.sub(r"<[^>]*>", " ", response.content.decode())).split())


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel("2026-11-02 10:00 -05:00", tick=False) as traveller:
        yield traveller


@pytest.fixture
def rita(db):
    return RecruiterFactory(username="rita", first_name="Rita", last_name="Moreno")


@pytest.fixture
def rita_client(client, rita):
    client.force_login(rita)
    return client


@pytest.fixture
def seattle(db):
    return Area.objects.create(
        code="42660", title="Seattle-Tacoma-Bellevue, WA", type=AreaType.METRO, state="WA"
    )


def action(client, name, leads, **extra):
    data = {"action": name, "_selected_action": [lead.pk for lead in leads], **extra}
    return client.post(CHANGELIST, data)


def test_recruiters_have_just_what_they_need_and_delete_nothing():
    group = Group.objects.get(name="Recruiters")

    codenames = set(group.permissions.values_list("codename", flat=True))
    assert codenames == {
        "view_lead",
        "change_lead",
        "erase_lead",
        "export_lead",
        "view_inquiry",
        "view_emailtemplate",
        "add_emailtemplate",
        "change_emailtemplate",
        "view_recruiterprofile",
        "view_role",
    }
    assert not {c for c in codenames if c.startswith("delete_")}


class TestSignIn:
    def test_a_recruiter_lands_on_my_work(self, client, rita):
        response = client.post(
            reverse("admin:login"),
            {"username": "rita", "password": "a long and unusual passphrase", "next": "/admin/"},
        )

        assert response["Location"] == MY_WORK

    def test_a_page_asked_for_is_where_a_recruiter_lands(self, client, rita):
        response = client.post(
            reverse("admin:login") + f"?next={BOARD}",
            {"username": "rita", "password": "a long and unusual passphrase", "next": BOARD},
        )

        assert response["Location"] == BOARD

    def test_an_editor_lands_on_the_index(self, client):
        UserFactory(username="eddie", is_staff=True).groups.add(Group.objects.get(name="Editors"))

        response = client.post(
            reverse("admin:login"),
            {"username": "eddie", "password": "a long and unusual passphrase", "next": "/admin/"},
        )

        assert response["Location"] == "/admin/"

    def test_the_sign_in_page_offers_a_password_reset_by_email(self, client, mailoutbox, rita):
        page = client.get(reverse("admin:login")).content.decode()
        assert f'href="{reverse("admin_password_reset")}"' in page

        client.post(reverse("admin_password_reset"), {"email": rita.email})
        link = re.search(r"http://testserver(/admin/reset/\S+/)", mailoutbox[0].body)[1]
        form = client.get(link, follow=True)
        client.post(
            form.redirect_chain[-1][0],
            {
                "new_password1": "another long passphrase",
                "new_password2": "another long passphrase",
            },
        )

        rita.refresh_from_db()
        assert rita.check_password("another long passphrase")

    def test_the_staff_pages_list_the_pipeline_first(self, rita_client):
        page = text(rita_client.get(reverse("admin:index")))

        assert re.search(r"My work.*Board.*Pipeline dashboard.*Email templates.*Leads", page)


class TestList:
    def test_a_row_reads_like_a_crm(self, rita_client, rita, seattle):
        role = RoleFactory(title="Vision Engineer")
        LeadFactory(
            name="Jane Doe",
            company="Acme Robotics",
            hires=3,
            market=seattle,
            assigned_to=rita,
            overdue=True,
            inquiries__roles=[role],
        )

        page = text(rita_client.get(CHANGELIST))

        assert "Jane Doe Acme Robotics" in page
        assert "3 hires, within 3 months Vision Engineer" in page
        assert "Seattle-Tacoma-Bellevue, WA" in page
        assert "42660" not in page
        assert "Rita Moreno" in page
        assert "Call to qualify due Nov 1, 10:00" in page
        assert "Overdue" in page
        assert "Lead #" not in page

    def test_spam_is_hidden_until_asked_for_and_then_unmistakable(self, rita_client):
        LeadFactory(name="Genuine Person")
        LeadFactory(name="Spammy Bot", spam=True)

        default = text(rita_client.get(CHANGELIST))
        spam = rita_client.get(CHANGELIST, {"spam": "yes"})

        assert "Genuine Person" in default
        assert "Spammy Bot" not in default
        assert '<span class="lead-badge lead-badge-spam">Spam</span>' in spam.content.decode()
        assert "icon-yes" not in spam.content.decode()

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ({"assignment": "me"}, ["mine", "mine overdue"]),
            ({"assignment": "nobody"}, ["nobody's"]),
            ({"next_step": "overdue"}, ["mine overdue"]),
            ({"next_step": "today"}, ["due tonight"]),
            ({"next_step": "none"}, ["nothing planned"]),
            ({"stale": "yes"}, ["stale"]),
            ({"stage__exact": "won"}, ["won"]),
            ({"source": "newsletter"}, ["nobody's"]),
            ({"market": "42660"}, ["mine"]),
            ({"q": "Nobody's"}, ["nobody's"]),
            ({"q": "mine@"}, ["mine"]),
        ],
    )
    def test_each_filter_selects_what_it_says(self, rita_client, rita, seattle, query, expected):
        LeadFactory(name="mine", email="mine@a.example", assigned_to=rita, market=seattle)
        LeadFactory(name="mine overdue", assigned_to=rita, overdue=True)
        LeadFactory(name="nobody's", assigned_to=None, source="newsletter")
        LeadFactory(
            name="due tonight",
            assigned_to=RecruiterFactory(),
            next_step_due_at=timezone.now() + timedelta(hours=12),
        )
        LeadFactory(
            name="nothing planned",
            contacted=True,
            without_next_step=True,
            assigned_to=RecruiterFactory(),
        )
        LeadFactory(name="stale", stale=True, contacted=True, assigned_to=RecruiterFactory())
        LeadFactory(name="won", won=True, assigned_to=RecruiterFactory())

        response = rita_client.get(CHANGELIST, query)

        assert sorted(lead.name for lead in response.context["cl"].result_list) == sorted(expected)

    def test_filters_offer_a_bounded_list_whatever_the_library(self, rita_client):
        for index in range(15):
            LeadFactory(source=f"source-{index:02d}")

        filters = {
            spec.title: spec for spec in rita_client.get(CHANGELIST).context["cl"].filter_specs
        }

        assert len(filters["source"].lookup_choices) == 10
        assert "role" not in filters  # no list of every role in the library

    def test_a_source_outside_the_top_ten_can_still_be_asked_for(self, rita_client):
        for index in range(12):
            LeadFactory.create_batch(2, source=f"big-{index:02d}")
        rare = LeadFactory(source="rare-source")

        response = rita_client.get(CHANGELIST, {"source": "rare-source"})

        assert list(response.context["cl"].result_list) == [rare]

    def test_markup_in_a_lead_is_escaped(self, rita_client):
        lead = LeadFactory(company="<script>alert(1)</script>")

        for url in (CHANGELIST, change_url(lead), BOARD):
            html = rita_client.get(url).content.decode()
            assert "<script>alert(1)</script>" not in html
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html

    def test_leads_cannot_be_added_or_deleted_by_hand(self, admin_client):
        lead = LeadFactory()

        assert admin_client.get(reverse("admin:leads_lead_add")).status_code == 403
        assert (
            admin_client.get(reverse("admin:leads_lead_delete", args=[lead.pk])).status_code == 403
        )


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


# Session, user and permissions (4); the lead, its inquiries and their roles (3); the
# timeline's activities (1); related leads (1); the recruiters to assign to (1); the
# session saved (3: savepoint, update, release).
QUERIES_ON_A_LEAD_PAGE = 13


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


class TestMyWork:
    def test_shows_what_needs_the_recruiter(self, rita_client, rita):
        LeadFactory(name="Overdue Person", company="Latecorp", overdue=True, assigned_to=rita)
        LeadFactory(name="Someone Else", overdue=True)

        page = text(rita_client.get(MY_WORK))

        assert "Overdue (1)" in page
        assert "Overdue Person, Latecorp" in page
        assert "Someone Else" not in page

    def test_a_quiet_day_says_so(self, rita_client):
        assert "Nothing needs you right now" in text(rita_client.get(MY_WORK))


class TestBoard:
    def test_columns_count_and_age_the_open_leads(self, rita_client, rita):
        LeadFactory.create_batch(2, assigned_to=rita)
        LeadFactory(proposal=True, created_at=timezone.now() - timedelta(days=3))
        LeadFactory(won=True)

        response = rita_client.get(BOARD)
        columns = {column["label"]: column for column in response.context["columns"]}

        assert list(columns) == ["New", "Contacted", "Qualified", "Proposal"]
        assert (columns["New"]["count"], columns["Proposal"]["count"]) == (2, 1)
        assert "Oldest: 3 days" in text(response)

    @pytest.mark.parametrize(
        ("query", "names"),
        [
            ({"mine": "1"}, ["mine"]),
            ({"unassigned": "1"}, ["nobody's"]),
            ({"overdue": "1"}, ["late"]),
            ({"mine": "1", "overdue": "1"}, []),
        ],
    )
    def test_filters(self, rita_client, rita, query, names):
        LeadFactory(name="mine", assigned_to=rita)
        LeadFactory(name="nobody's", assigned_to=None)
        LeadFactory(name="late", overdue=True, assigned_to=RecruiterFactory())

        columns = rita_client.get(BOARD, query).context["columns"]

        assert sorted(lead.name for column in columns for lead in column["cards"]) == names

    def test_moving_a_card_goes_through_the_same_service(self, rita_client, rita):
        lead = LeadFactory(assigned_to=rita)

        response = rita_client.post(
            reverse("admin:leads_lead_board_move", args=[lead.pk]),
            {"stage": "contacted", "filters": "mine=1&evil=http://x.example"},
        )

        assert response["Location"] == f"{BOARD}?mine=1"
        lead.refresh_from_db()
        assert (lead.stage, lead.first_response_at) == (Stage.CONTACTED, timezone.now())
        assert lead.activities.get().actor == rita
        assert LogEntry.objects.get().get_change_message() == "Moved from New to Contacted"

    def test_moving_a_card_to_lost_asks_why_on_the_lead_page(self, rita_client):
        lead = LeadFactory()

        response = rita_client.post(
            reverse("admin:leads_lead_board_move", args=[lead.pk]), {"stage": "lost"}
        )

        assert response["Location"] == change_url(lead) + "?move_to=lost"
        lead.refresh_from_db()
        assert lead.stage == Stage.NEW

    def test_a_viewer_cannot_move_cards(self, client, django_user_model):
        viewer = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
        viewer.user_permissions.add(
            *Group.objects.get(name="Recruiters").permissions.filter(codename="view_lead")
        )
        client.force_login(viewer)
        lead = LeadFactory()

        page = client.get(BOARD).content.decode()
        response = client.post(
            reverse("admin:leads_lead_board_move", args=[lead.pk]), {"stage": "won"}
        )

        assert "board-move" not in page
        assert response.status_code == 403

    def test_a_column_shows_a_bounded_number_of_cards(self, rita_client):
        LeadFactory.create_batch(27)

        column = rita_client.get(BOARD).context["columns"][0]

        assert (len(column["cards"]), column["more"]) == (25, 2)
        assert "2 more in the list" in text(rita_client.get(BOARD))


class TestDashboard:
    def test_figures_link_to_the_leads_behind_them(self, rita_client, rita):
        LeadFactory(won=True, assigned_to=rita, source="linkedin")
        LeadFactory(overdue=True, assigned_to=rita, source="linkedin")

        html = rita_client.get(DASHBOARD).content.decode()

        assert f'href="{CHANGELIST}?assigned_to__id__exact={rita.pk}">Rita Moreno</a>' in html
        assert (
            f'href="{CHANGELIST}?next_step=overdue&amp;assigned_to__id__exact={rita.pk}">1</a>'
            in html
        )
        assert f'href="{CHANGELIST}?source=linkedin">linkedin</a>' in html
        assert f'href="{CHANGELIST}?stage__exact=won">Won</a>' in html

    def test_durations_are_written_for_people(self, rita_client):
        created = timezone.now() - timedelta(days=2)
        LeadFactory(
            created_at=created, contacted=True, first_response_at=created + timedelta(minutes=190)
        )

        page = text(rita_client.get(DASHBOARD))

        assert "Median first response 3 h 10 min" in page
        assert "0:03:10" not in page


class TestEmailALead:
    def test_a_template_starts_the_email_and_sending_logs_it(
        self, rita_client, rita, mailoutbox, django_capture_on_commit_callbacks
    ):
        lead = LeadFactory(name="Jane Doe", email="jane@acme.example")
        url = reverse("admin:leads_lead_email", args=[lead.pk])
        template = EmailTemplate.objects.get(name="Follow-up")

        draft = rita_client.get(url, {"template": template.pk})
        assert "Hello Jane," in draft.content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            response = rita_client.post(url, {"subject": "Following up", "body": "Hello Jane"})

        assert response["Location"] == change_url(lead)
        assert (mailoutbox[0].to, mailoutbox[0].reply_to) == (["jane@acme.example"], [rita.email])
        timeline = text(rita_client.get(change_url(lead)))
        assert "Emailed: Following up Rita Moreno" in timeline
        assert "sent Nov 2, 10:00" in timeline

    def test_an_empty_email_is_refused_with_what_was_typed(self, rita_client):
        lead = LeadFactory()
        url = reverse("admin:leads_lead_email", args=[lead.pk])

        response = rita_client.post(url, {"subject": "  ", "body": "Keep this text"})

        assert response.status_code == 200
        assert "Write a subject." in response.content.decode()
        assert "Keep this text" in response.content.decode()
        assert not lead.activities.exists()

    def test_templates_with_unknown_placeholders_cannot_be_saved(self, rita_client):
        response = rita_client.post(
            reverse("admin:leads_emailtemplate_add"),
            {"name": "Bad", "subject": "Hi", "body": "Dear {{ password }}", "position": "5"},
        )

        assert "Unknown placeholder {{ password }}" in text(response)
        assert not EmailTemplate.objects.filter(name="Bad").exists()


class TestPeople:
    def test_joining_a_staff_group_makes_a_user_staff(self, admin_client, django_user_model):
        user = django_user_model.objects.create_user("newbie", password="a long passphrase here")
        url = reverse("admin:auth_user_change", args=[user.pk])
        page = admin_client.get(url)
        data = {
            key: value
            for key, value in page.context["adminform"].form.initial.items()
            if value is not None and key not in ("password", "groups", "user_permissions")
        }
        data.update(
            {
                "groups": [Group.objects.get(name="Recruiters").pk],
                "is_active": "on",
                "date_joined_0": "2026-11-02",
                "date_joined_1": "10:00:00",
            }
        )
        data.pop("last_login", None)

        response = admin_client.post(url, data, follow=True)

        user.refresh_from_db()
        assert user.is_staff
        page = text(response)
        assert "Newbie is in Recruiters, so they were made staff" in page
        assert "Newbie has no email address" in page


@pytest.mark.parametrize("count", [50, 5_000])
def test_each_page_costs_the_same_queries_whatever_the_number_of_leads(
    rita_client, rita, count, django_assert_num_queries
):
    roles = RoleFactory.create_batch(2)
    bulk_leads(count // 2, roles=roles, assigned_to=rita, overdue=True)
    bulk_leads(count - count // 2, roles=roles)

    for url, queries in PAGE_QUERIES.items():
        rita_client.get(url)  # warm Django's content-type cache
        with django_assert_num_queries(queries):
            assert rita_client.get(url).status_code == 200


# Pinned, and the same at 50 and 5,000 leads. Every page: session, user and permissions
# (4) and the session saved (3). Then the list: four filters' choices, the count, the
# page of leads, their inquiries and roles (8). My work: the leads, inquiries, roles
# (3). The board: column totals, cards, inquiries, roles, families (5). The
# dashboard: eleven figures, each one SQL query.
PAGE_QUERIES = {CHANGELIST: 15, MY_WORK: 10, BOARD: 12, DASHBOARD: 18}


def test_the_move_form_asks_for_the_stage_first(rita_client):
    page = action(rita_client, "move_to_stage", [LeadFactory()]).content.decode()

    assert (
        page.index('name="stage"')
        < page.index('name="lost_category"')
        < page.index('name="reason"')
    )
