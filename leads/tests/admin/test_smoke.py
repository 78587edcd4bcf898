"""Every staff page of the pipeline, with every kind of lead present, as each kind of staff
user, on the day and four days later: 200 where they may look, 403 where not, never 500."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.urls import reverse

from leads.models import EmailTemplate, Lead, RecruiterProfile, Stage
from leads.tests.factories import LeadFactory, RecruiterFactory, UserFactory
from roles.models import Area, AreaType
from roles.tests.factories import RoleFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:leads_lead_changelist")
COLUMNS = 7  # sortable or not, the list's columns are numbered from 1


@pytest.fixture
def clock():
    with time_machine.travel("2026-11-02 10:00 -05:00", tick=False) as traveller:
        yield traveller


@pytest.fixture
def people(db):
    rita = RecruiterFactory(username="rita", first_name="Rita", last_name="Moreno")
    editor = UserFactory(username="eddie", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    boss = UserFactory(username="boss", is_staff=True, is_superuser=True)
    return {"superuser": boss, "recruiter": rita, "editor": editor}


@pytest.fixture
def every_kind_of_lead(clock, people):
    rita = people["recruiter"]
    role = RoleFactory(title="Vision Engineer", slug="vision-engineer")
    seattle = Area.objects.create(
        code="42660", title="Seattle-Tacoma-Bellevue, WA", type=AreaType.METRO
    )
    common = {"assigned_to": rita, "market": seattle, "family": role.family}
    leads = {
        "new": LeadFactory(**common, inquiries__roles=[role]),
        "contacted": LeadFactory(contacted=True, history=30, inquiries=30, **common),
        "qualified": LeadFactory(qualified=True, **common),
        "proposal": LeadFactory(proposal=True, value_override=90_000, **common),
        "won": LeadFactory(won=True, **common),
        "lost": LeadFactory(lost=True, **common),
        "stale": LeadFactory(stale=True, contacted=True, **common),
        "overdue": LeadFactory(overdue=True, **common),
        "no next step": LeadFactory(without_next_step=True, contacted=True),
        "spam": LeadFactory(spam=True),
        "erased": LeadFactory(won=True, erased=True),
        "markup": LeadFactory(name="<script>alert(1)</script>", company="=cmd|' /c calc'!A1"),
        "unrouted": LeadFactory(assigned_to=None, source=""),
    }
    leads["contacted"].add_note("Called twice", by=rita)
    return leads


def pages(leads: dict[str, Lead]) -> list[tuple[str, dict]]:
    """(url, query) of every pipeline page and every filter, search and sort of the list."""
    lead = leads["contacted"]
    queries = [
        {},
        {"q": "company"},
        {"q": "person1@"},
        *({"stage__exact": stage} for stage in Stage.values),
        {"assignment": "me"},
        {"assignment": "nobody"},
        {"next_step": "overdue"},
        {"next_step": "today"},
        {"next_step": "none"},
        {"assigned_to__id__exact": str(lead.assigned_to_id)},
        {"family__id__exact": str(lead.family_id)},
        {"source": "linkedin"},
        {"source": "a-source-nobody-used"},
        {"market": "42660"},
        {"market": "00000"},
        {"stale": "yes"},
        {"spam": "yes"},
        {"spam": "all"},
        {"_facets": "1"},
        *({"o": str(column)} for column in range(1, COLUMNS + 1)),
        *({"o": f"-{column}"} for column in range(1, COLUMNS + 1)),
    ]
    urls = [(CHANGELIST, query) for query in queries]
    urls += [(reverse("admin:leads_lead_change", args=[each.pk]), {}) for each in leads.values()]
    urls += [
        (reverse("admin:leads_lead_history", args=[lead.pk]), {}),
        (reverse("admin:leads_lead_email", args=[lead.pk]), {}),
        (
            reverse("admin:leads_lead_email", args=[lead.pk]),
            {"template": str(EmailTemplate.objects.first().pk)},
        ),
        (reverse("admin:leads_lead_my_work"), {}),
        (reverse("admin:leads_lead_dashboard"), {}),
        (reverse("admin:leads_lead_board"), {}),
        (reverse("admin:leads_lead_board"), {"mine": "1", "overdue": "1"}),
        (reverse("admin:leads_lead_board"), {"unassigned": "1", "family": "999999"}),
        (reverse("admin:leads_emailtemplate_changelist"), {}),
        (reverse("admin:leads_emailtemplate_change", args=[EmailTemplate.objects.first().pk]), {}),
        (reverse("admin:leads_emailtemplate_add"), {}),
        (reverse("admin:leads_recruiterprofile_changelist"), {}),
        (reverse("admin:app_list", args=["leads"]), {}),
        (reverse("admin:index"), {}),
    ]
    return urls


def expected_status(who: str, url: str) -> int:
    """Editors have nothing to do with leads: refused (the app's index is not found)."""
    if who != "editor" or url == reverse("admin:index"):
        return 200
    return 404 if url == reverse("admin:app_list", args=["leads"]) else 403


@pytest.mark.parametrize("who", ["superuser", "recruiter", "editor"])
def test_every_page_answers_on_the_day_and_four_days_later(
    client, every_kind_of_lead, people, clock, who
):
    client.force_login(people[who])
    RecruiterProfile.objects.get_or_create(user=people["recruiter"])

    for moment in ("on the day", "four days later"):
        if moment == "four days later":
            clock.shift(timedelta(days=4))
            client.force_login(people[who])  # a new session: the old one timed out
        for url, query in pages(every_kind_of_lead):
            response = client.get(url, query)
            assert response.status_code == expected_status(who, url), (moment, url, query)


def test_every_action_page_answers_for_every_kind_of_lead(client, every_kind_of_lead, people):
    client.force_login(people["recruiter"])
    selected = [lead.pk for lead in every_kind_of_lead.values()]

    for action in ("assign_to", "move_to_stage", "erase_personal_data"):
        response = client.post(
            CHANGELIST, {"action": action, "_selected_action": selected, "select_across": "0"}
        )
        assert response.status_code == 200, action
        assert "&lt;script&gt;" in response.content.decode()


def test_the_users_and_roles_admins_stay_closed_to_recruiters(client, people, every_kind_of_lead):
    client.force_login(people["recruiter"])
    role = RoleFactory(published=False)  # a draft: what the roles admin edits

    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert client.get(reverse("admin:roles_role_change", args=[role.pk])).status_code == 200
    assert client.get(reverse("admin:roles_role_add")).status_code == 403


def test_the_superuser_sees_users_and_their_groups(client, people):
    client.force_login(people["superuser"])

    response = client.get(reverse("admin:auth_user_changelist"))
    page = response.content.decode()

    assert response.status_code == 200
    assert "Recruiters" in page
    assert (
        client.get(reverse("admin:auth_user_change", args=[people["recruiter"].pk])).status_code
        == 200
    )
