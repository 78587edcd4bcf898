import csv
import io
import json
import re
from html import unescape

import pytest
import time_machine
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.urls import reverse

from leads import services
from leads.forms import FormToken
from leads.models import Lead, LeadNote, SpamReason, Stage, StageChange
from leads.tests.conftest import form_data

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:leads_lead_changelist")


def make_lead(email="jane@acme.example", spam="", **fields):
    data = {**form_data(email=email, **fields), "roles": ["nlp-engineer"], "hires": 2}
    context = {"role": "nlp-engineer", "utm_source": "linkedin", "utm_campaign": "spring"}
    return services.lead_submit(data=data, token=FormToken.issue(context), spam_reason=spam).lead


@pytest.fixture
def recruiter_client(client, recruiter):
    client.force_login(recruiter)
    return client


def action(client, name, leads, **extra):
    data = {"action": name, "_selected_action": [lead.pk for lead in leads], **extra}
    return client.post(CHANGELIST, data)


def test_recruiters_group_has_just_what_they_need_and_no_delete():
    group = Group.objects.get(name="Recruiters")

    codenames = set(group.permissions.values_list("codename", flat=True))
    assert codenames == {
        "view_lead",
        "change_lead",
        "erase_lead",
        "export_lead",
        "view_inquiry",
        "view_leadnote",
        "add_leadnote",
        "view_stagechange",
        "view_recruiterprofile",
        "view_role",
    }
    assert not {c for c in codenames if c.startswith("delete_")}


def test_a_recruiter_sees_leads_but_cannot_edit_roles_or_users(recruiter_client, roles):
    assert recruiter_client.get(CHANGELIST).status_code == 200
    assert recruiter_client.get(reverse("admin:roles_role_add")).status_code == 403
    assert recruiter_client.get(reverse("admin:auth_user_changelist")).status_code == 403


class TestChangelist:
    @pytest.mark.parametrize(
        "query",
        [
            {"q": "jane@acme"},
            {"q": "Acme"},
            {"stage__exact": "new"},
            {"assignment": "me"},
            {"assignment": "nobody"},
            {"stale": "yes"},
            {"is_spam__exact": "1"},
            {"inquiries__roles__id__exact": "2"},
        ],
    )
    def test_search_and_filters(self, recruiter_client, roles, query):
        make_lead()

        response = recruiter_client.get(CHANGELIST, query)

        assert response.status_code == 200

    def test_assigned_to_me_shows_only_mine(
        self, recruiter_client, roles, recruiter, make_recruiter
    ):
        mine = make_lead()
        theirs = make_lead(email="other@else.example")
        theirs.assign_to(make_recruiter("bob"))
        mine.assign_to(recruiter)

        response = recruiter_client.get(CHANGELIST, {"assignment": "me"})

        assert list(response.context["cl"].result_list) == [mine]

    def test_columns_show_stage_assignee_roles_company_and_age(self, recruiter_client, roles):
        make_lead()

        html = unescape(recruiter_client.get(CHANGELIST).content.decode())

        assert "Natural Language Processing Engineer" in html
        assert "Acme Robotics" in html
        assert "rita" in html
        assert "Pipeline dashboard" in html

    def test_stage_filter_shows_counts(self, recruiter_client, roles):
        make_lead()
        make_lead(email="b@b.example").move_to(Stage.CONTACTED, by=None)

        html = unescape(recruiter_client.get(CHANGELIST).content.decode())

        assert re.search(r"New\s*\(1\)", html)
        assert re.search(r"Contacted\s*\(1\)", html)

    def test_markup_in_a_lead_is_escaped(self, recruiter_client, roles):
        lead = make_lead(company="<script>alert(1)</script>")

        for url in (CHANGELIST, reverse("admin:leads_lead_change", args=[lead.pk])):
            html = recruiter_client.get(url).content.decode()
            assert "<script>alert(1)</script>" not in html
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html

    @pytest.mark.parametrize("count", [5, 50])
    def test_a_fixed_number_of_queries_whatever_the_number_of_leads(
        self, recruiter_client, roles, count, django_assert_max_num_queries
    ):
        for index in range(count):
            make_lead(email=f"p{index}@c{index}.example")

        # Django's facet counts cost a few queries per filter; none grows with the leads.
        with django_assert_max_num_queries(32):
            response = recruiter_client.get(CHANGELIST)

        assert len(response.context["cl"].result_list) == count

    def test_leads_cannot_be_added_by_hand(self, admin_client):
        assert admin_client.get(reverse("admin:leads_lead_add")).status_code == 403


class TestChangePage:
    def test_groups_contact_and_pipeline_with_inquiries_notes_and_history(
        self, recruiter_client, roles
    ):
        lead = make_lead()
        lead.move_to(Stage.CONTACTED, by=None)

        response = recruiter_client.get(reverse("admin:leads_lead_change", args=[lead.pk]))
        html = " ".join(unescape(response.content.decode()).split())

        assert response.status_code == 200
        assert [fieldset.name for fieldset in response.context["adminform"]] == [
            "Contact",
            "Pipeline",
        ]
        assert "Natural Language Processing Engineer" in html
        assert "source=linkedin, campaign=spring" in html
        assert 'class="inline-heading"> Stage history </h2>' in html
        assert re.search(r'field-from_stage"> ?<p>New</p>', html)
        assert re.search(r'field-to_stage"> ?<p>Contacted</p>', html)

    def test_shows_related_leads_from_the_same_domain(self, recruiter_client, roles):
        lead = make_lead()
        colleague = make_lead(email="john@acme.example")

        html = recruiter_client.get(
            reverse("admin:leads_lead_change", args=[lead.pk])
        ).content.decode()

        assert (
            f'href="{reverse("admin:leads_lead_change", args=[colleague.pk])}">Lead #{colleague.pk}'
            in html
        )

    def test_moving_the_stage_and_adding_a_note_from_the_change_page(
        self, recruiter_client, roles, recruiter, admin_form_data
    ):
        lead = make_lead()
        url = reverse("admin:leads_lead_change", args=[lead.pk])
        data = admin_form_data(recruiter_client.get(url))
        data.update({"move_to": "qualified", "notes-0-text": "Budget confirmed"})

        response = recruiter_client.post(url, data)

        assert response.status_code == 302
        lead.refresh_from_db()
        assert lead.stage == Stage.QUALIFIED
        change = StageChange.objects.get(lead=lead)
        assert (change.from_stage, change.to_stage, change.changed_by) == (
            "new",
            "qualified",
            recruiter,
        )
        note = LeadNote.objects.get(lead=lead)
        assert (note.text, note.author) == ("Budget confirmed", recruiter)
        # The admin history names the lead by number only.
        assert set(LogEntry.objects.values_list("object_repr", flat=True)) == {f"Lead #{lead.pk}"}

    def test_lost_without_a_reason_is_refused_on_the_change_page(
        self, recruiter_client, roles, admin_form_data
    ):
        lead = make_lead()
        url = reverse("admin:leads_lead_change", args=[lead.pk])
        data = admin_form_data(recruiter_client.get(url))
        data["move_to"] = "lost"

        response = recruiter_client.post(url, data)

        assert response.status_code == 200
        assert "Say why the lead was lost." in response.content.decode()
        lead.refresh_from_db()
        assert lead.stage == Stage.NEW


class TestActions:
    def test_assign_to_me(self, recruiter_client, roles, recruiter):
        lead = make_lead()
        lead.assign_to(None)

        action(recruiter_client, "assign_to_me", [lead])

        lead.refresh_from_db()
        assert lead.assigned_to == recruiter

    def test_assign_to_asks_whom_then_assigns(self, recruiter_client, roles, make_recruiter):
        lead = make_lead()
        bob = make_recruiter("bob")

        page = action(recruiter_client, "assign_to", [lead])
        assert page.status_code == 200
        assert "bob" in page.content.decode()
        action(recruiter_client, "assign_to", [lead], apply="1", recruiter=str(bob.pk))

        lead.refresh_from_db()
        assert lead.assigned_to == bob

    def test_move_to_stage_records_history_and_needs_a_reason_for_lost(
        self, recruiter_client, roles, recruiter
    ):
        leads = [make_lead(), make_lead(email="b@b.example")]

        refused = action(recruiter_client, "move_to_stage", leads, apply="1", stage="lost")
        assert "Say why the lead was lost." in refused.content.decode()
        action(
            recruiter_client, "move_to_stage", leads, apply="1", stage="lost", reason="No budget"
        )

        assert set(Lead.objects.values_list("stage", "lost_reason")) == {("lost", "No budget")}
        assert StageChange.objects.filter(changed_by=recruiter).count() == 2

    def test_mark_spam_then_not_spam_routes_and_notifies(
        self, recruiter_client, roles, recruiter, mailoutbox, django_capture_on_commit_callbacks
    ):
        lead = make_lead(spam=SpamReason.TOO_FAST)
        assert lead.assigned_to is None

        with django_capture_on_commit_callbacks(execute=True):
            action(recruiter_client, "mark_not_spam", [lead])

        lead.refresh_from_db()
        assert (lead.is_spam, lead.assigned_to) == (False, recruiter)
        assert [m.to for m in mailoutbox] == [[recruiter.email]]
        action(recruiter_client, "mark_spam", [lead])
        lead.refresh_from_db()
        assert (lead.is_spam, lead.spam_reason) == (True, SpamReason.STAFF)

    def test_export_csv_neutralises_formulas(self, recruiter_client, roles):
        lead = make_lead(name="=cmd|'/c calc'!A1")

        response = action(recruiter_client, "export_csv", [lead])

        assert response["Content-Type"] == "text/csv"
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
        assert rows[0]["name"] == "'=cmd|'/c calc'!A1"
        assert rows[0]["roles"] == "Natural Language Processing Engineer"
        assert rows[0]["utm_source"] == "linkedin"

    def test_export_personal_data(self, recruiter_client, roles):
        lead = make_lead()

        response = action(recruiter_client, "export_personal_data", [lead])

        data = json.loads(response.content)
        assert data[0]["email"] == "jane@acme.example"

    def test_erase_asks_for_confirmation_then_erases(self, recruiter_client, roles):
        lead = make_lead()

        confirm = action(recruiter_client, "erase_personal_data", [lead])
        assert "will be erased for good" in confirm.content.decode()
        lead.refresh_from_db()
        assert lead.erased_at is None
        action(recruiter_client, "erase_personal_data", [lead], apply="1")

        lead.refresh_from_db()
        assert lead.erased_at is not None
        assert lead.name == "(erased)"

    def test_erase_and_export_need_their_permissions(self, client, roles, django_user_model):
        viewer = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
        viewer.user_permissions.add(
            *Group.objects.get(name="Recruiters").permissions.exclude(
                codename__in=["erase_lead", "export_lead"]
            )
        )
        client.force_login(viewer)
        lead = make_lead()

        actions = [
            c[0] for c in client.get(CHANGELIST).context["action_form"].fields["action"].choices
        ]
        action(client, "erase_personal_data", [lead], apply="1")

        assert "erase_personal_data" not in actions
        assert "export_csv" not in actions
        lead.refresh_from_db()
        assert lead.erased_at is None


def test_dashboard_shows_the_figures_and_a_chart(recruiter_client, roles):
    make_lead()
    won = make_lead(email="w@w.example")
    won.move_to(Stage.WON, by=None)

    response = recruiter_client.get(reverse("admin:leads_lead_dashboard"))
    html = " ".join(unescape(response.content.decode()).split())

    assert response.status_code == 200
    assert '<th scope="row">New</th><td>1</td>' in html
    assert '<th scope="row">Won</th><td>1</td>' in html
    assert '<dd id="new-this-week">2</dd>' in html
    assert '<dd id="conversion">100%</dd>' in html
    assert html.count("<rect ") == 12
    assert 'role="img"' in html


def test_dashboard_needs_staff(client):
    response = client.get(reverse("admin:leads_lead_dashboard"))

    assert response.status_code == 302


def test_recruiter_profiles_admin(admin_client, recruiter):
    services.lead_route(lead=make_lead_without_routing(), family_id=None)

    response = admin_client.get(reverse("admin:leads_recruiterprofile_changelist"), {"q": "rita"})

    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


def make_lead_without_routing():
    return Lead.objects.create(name="A", email="a@a.example", company="A", job_title="A")


def test_a_lead_untouched_for_four_days_does_not_break_the_pipeline(recruiter_client, roles):
    with time_machine.travel("2026-11-02 10:00 -05:00", tick=False):
        lead = make_lead()

    with time_machine.travel("2026-11-06 10:00 -05:00", tick=False):
        pages = [
            recruiter_client.get(CHANGELIST),
            recruiter_client.get(CHANGELIST, {"stale": "yes"}),
            recruiter_client.get(reverse("admin:leads_lead_change", args=[lead.pk])),
        ]

    assert [page.status_code for page in pages] == [200, 200, 200]
    assert [lead.pk for lead in pages[1].context["cl"].result_list] == [lead.pk]
    assert 'class="lead-stale">stale</span>' in pages[0].content.decode()
