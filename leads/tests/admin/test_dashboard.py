"""The dashboard, and the query counts of every list page."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone

from leads.tests.admin.pages import BOARD, CHANGELIST, DASHBOARD, MY_WORK, text
from leads.tests.factories import LeadFactory, bulk_leads
from roles.tests.factories import RoleFactory

pytestmark = pytest.mark.django_db


class TestDashboard:
    def test_every_count_links_to_exactly_the_leads_it_counts(self, rita_client, rita):
        LeadFactory(won=True, assigned_to=rita, source="linkedin")
        LeadFactory(lost=True, assigned_to=rita, source="linkedin")
        LeadFactory(overdue=True, assigned_to=rita, source="linkedin", market=None)
        LeadFactory(assigned_to=rita, source="", family=None)
        LeadFactory(erased=True, won=True, assigned_to=rita)
        LeadFactory(created_at=timezone.now() - timedelta(days=30), assigned_to=None)

        page = rita_client.get(DASHBOARD).content.decode()
        links = re.findall(r'<a href="(/admin/leads/lead/\?[^"]+)">(\d+)</a>', page)

        assert len(links) > 30
        for url, count in links:
            listed = rita_client.get(unescape(url)).context["cl"].result_count
            assert listed == int(count), unescape(url)

    def test_durations_are_written_for_people(self, rita_client):
        created = timezone.now() - timedelta(days=2)
        LeadFactory(
            created_at=created, contacted=True, first_response_at=created + timedelta(minutes=190)
        )

        page = text(rita_client.get(DASHBOARD))

        assert "Median first response 3 h 10 min" in page
        assert "0:03:10" not in page


@pytest.mark.slow
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


# Pinned, and the same at 50 and 5,000 leads. Every page: session, user, the second
# factor's device and permissions (5) and the session saved (3). Then the list: four
# filters' choices, the count, the page of leads, their inquiries and roles (8). My
# work: the leads, inquiries, roles, and a take-down of the recruiter's profile (4).
# The board: column totals, cards, inquiries, roles, families (5). The dashboard:
# eleven figures, each one SQL query.
PAGE_QUERIES = {CHANGELIST: 16, MY_WORK: 12, BOARD: 13, DASHBOARD: 19}
