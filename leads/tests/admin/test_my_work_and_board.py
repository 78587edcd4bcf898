"""My work and the board."""

from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from leads.models import Lead, Stage
from leads.tests.admin.pages import BOARD, MY_WORK, text
from leads.tests.factories import LeadFactory, RecruiterFactory

pytestmark = pytest.mark.django_db


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
        assert lead.activities.get(kind="stage").actor == rita
        assert LogEntry.objects.get().get_change_message() == "Moved from New to Contacted"

    def test_moving_a_card_to_lost_asks_why_then_goes_back_to_the_board(self, rita_client):
        lead = LeadFactory(proposal=True)
        move = reverse("admin:leads_lead_board_move", args=[lead.pk])

        asked = rita_client.post(move, {"stage": "lost", "filters": "mine=1"})
        assert asked.status_code == 200
        assert "Lost because" in text(asked)
        assert "(choose one)" in text(asked)
        assert "when moving to Lost" not in text(asked)
        assert Lead.objects.get(pk=lead.pk).stage == Stage.PROPOSAL
        refused = rita_client.post(
            move, {"stage": "lost", "lost_category": "", "filters": "mine=1"}
        )
        assert "Please say why the lead was lost." in text(refused)
        done = rita_client.post(
            move,
            {
                "stage": "lost",
                "lost_category": "competitor",
                "reason": "Cheaper",
                "filters": "mine=1",
            },
        )

        assert done["Location"] == f"{BOARD}?mine=1"
        lead.refresh_from_db()
        assert (lead.stage, lead.lost_category, lead.lost_reason) == (
            "lost",
            "competitor",
            "Cheaper",
        )

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


class TestMovingCards:
    def move(self, client, lead, **data):
        return client.post(reverse("admin:leads_lead_board_move", args=[lead.pk]), data)

    def test_only_post_moves_a_card(self, rita_client):
        response = rita_client.get(reverse("admin:leads_lead_board_move", args=[LeadFactory().pk]))

        assert (response.status_code, response["Allow"]) == (405, "POST")

    @pytest.mark.parametrize("stage", ["", "nonsense", None])
    def test_no_stage_or_an_unknown_one_says_so_and_moves_nothing(self, rita_client, stage):
        lead = LeadFactory()

        response = self.move(rita_client, lead, **({"stage": stage} if stage is not None else {}))
        board = rita_client.get(response["Location"])

        assert response["Location"] == BOARD
        assert "Choose a stage to move the lead to." in text(board)
        assert Lead.objects.get(pk=lead.pk).stage == Stage.NEW

    def test_the_card_moved_is_the_one_asked_for_and_the_board_says_so(self, rita_client):
        other = LeadFactory()
        lead = LeadFactory(name="Jane Doe", company="Acme")

        response = self.move(rita_client, lead, stage="qualified")

        assert "Jane Doe, Acme: moved to Qualified." in text(rita_client.get(response["Location"]))
        assert (Lead.objects.get(pk=lead.pk).stage, Lead.objects.get(pk=other.pk).stage) == (
            Stage.QUALIFIED,
            Stage.NEW,
        )

    def test_the_lost_page_names_the_lead_keeps_the_filters_and_starts_without_errors(
        self, rita_client
    ):
        lead = LeadFactory(name="Jane Doe", company="Acme")

        page = self.move(rita_client, lead, stage="lost", filters="overdue=1&x=y")

        html = page.content.decode()
        assert "<h1>Why was Jane Doe, Acme lost?</h1>" in html
        assert 'name="filters" value="overdue=1"' in html
        assert "errornote" not in html
        assert f'action="{reverse("admin:leads_lead_board_move", args=[lead.pk])}"' in html
