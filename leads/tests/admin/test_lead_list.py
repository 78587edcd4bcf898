"""The lead list: what a row says, what each filter selects."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from leads.tests.admin.pages import BOARD, CHANGELIST, change_url, text
from leads.tests.factories import LeadFactory, RecruiterFactory
from roles.tests.factories import RoleFactory

pytestmark = pytest.mark.django_db


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

    def test_an_address_the_mail_server_refused_is_flagged_on_the_row_and_the_page(
        self, rita_client
    ):
        lead = LeadFactory(name="Bounced Person")
        lead.refuse_email()

        row = rita_client.get(CHANGELIST).content.decode()
        page = text(rita_client.get(change_url(lead)))

        assert '<span class="lead-badge lead-badge-refused">Email refused</span>' in row
        assert "The mail server refused this address on" in page
        assert "Email address refused" in page  # the timeline says when

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

        assert len(filters["source"].lookup_choices) == 11  # the ten largest, and none
        assert filters["source"].lookup_choices[-1] == ("-", "(not known)")
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
