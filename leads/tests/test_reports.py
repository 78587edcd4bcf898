"""The dashboard's figures and My work, computed in SQL, in the site's time zone."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from leads.models import Lead, LostReason, Stage
from leads.services.reports import median_durations, my_work, pipeline_figures
from leads.tests.factories import LeadFactory, RecruiterFactory
from roles.models import Area, AreaType
from roles.tests.factories import RoleFamilyFactory

pytestmark = pytest.mark.django_db

# Wednesday 4 November 2026, 10:00 in New York.
NOW = datetime.fromisoformat("2026-11-04T10:00-05:00")


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def responded_after(hours: float, **fields) -> Lead:
    created = timezone.now() - timedelta(days=1)
    return LeadFactory(
        created_at=created, first_response_at=created + timedelta(hours=hours), **fields
    )


class TestMedian:
    @pytest.mark.parametrize(
        ("hours", "median"), [([5], 5), ([1, 3, 8], 3), ([1, 2, 4, 10], 3), ([9, 1], 5)]
    )
    def test_the_middle_value_or_the_mean_of_the_two(self, clock, hours, median):
        for value in hours:
            responded_after(value)
        LeadFactory()  # not responded yet: not counted

        found = median_durations(Lead.objects.all(), start="created_at", end="first_response_at")

        assert found == {None: timedelta(hours=median)}

    def test_per_group(self, clock):
        ann, bob = RecruiterFactory(), RecruiterFactory()
        for hours in (1, 2, 9):
            responded_after(hours, assigned_to=ann)
        responded_after(4, assigned_to=bob)

        found = median_durations(
            Lead.objects.all(), start="created_at", end="first_response_at", group="assigned_to"
        )

        assert found == {ann.pk: timedelta(hours=2), bob.pk: timedelta(hours=4)}

    def test_nothing_to_count(self):
        assert (
            median_durations(Lead.objects.all(), start="created_at", end="first_response_at") == {}
        )


class TestPipelineFigures:
    def test_figures_from_known_leads(self, clock):
        ann = RecruiterFactory(first_name="Ann", last_name="Lee")
        bob = RecruiterFactory(first_name="Bob", last_name="Ray")
        RecruiterFactory(first_name="Cat", last_name="Sun")  # no leads yet: still listed
        responded_after(1, won=True, assigned_to=ann, source="linkedin")
        responded_after(3, lost=True, assigned_to=ann, source="linkedin")
        responded_after(8, won=True, assigned_to=bob, source="google.com")
        LeadFactory(overdue=True, assigned_to=bob, source="linkedin")
        LeadFactory(created_at=timezone.now() - timedelta(days=20), source="direct")
        LeadFactory(spam=True, source="linkedin")

        figures = pipeline_figures()

        assert {label: n for _, label, n in figures["stages"]} == {
            "New": 2,
            "Contacted": 0,
            "Qualified": 0,
            "Proposal": 0,
            "Won": 2,
            "Lost": 1,
        }
        assert (figures["total"], figures["new_this_week"], figures["overdue"]) == (5, 4, 1)
        assert figures["median_first_response"] == timedelta(hours=3)
        assert figures["conversion"] == pytest.approx(2 / 3)
        recruiters = {row["name"]: row for row in figures["recruiters"]}
        assert list(recruiters) == ["Ann Lee", "Bob Ray", "Cat Sun", "Unassigned"]
        assert {k: recruiters["Ann Lee"][k] for k in ("open", "overdue", "won")} == {
            "open": 0,
            "overdue": 0,
            "won": 1,
        }
        assert recruiters["Ann Lee"]["median_first_response"] == timedelta(hours=2)
        assert {k: recruiters["Bob Ray"][k] for k in ("open", "overdue", "won")} == {
            "open": 1,
            "overdue": 1,
            "won": 1,
        }
        assert recruiters["Cat Sun"]["median_first_response"] is None
        sources = {row["label"]: row for row in figures["by_source"]}
        assert (sources["linkedin"]["total"], sources["linkedin"]["won"]) == (3, 1)
        assert sources["linkedin"]["conversion"] == pytest.approx(1 / 2)
        assert sources["direct"]["conversion"] is None

    def test_conversion_by_family_and_market_link_to_their_leads(self, clock):
        vision = RoleFamilyFactory(name="Vision", slug="vision")
        seattle = Area.objects.create(
            code="42660", title="Seattle-Tacoma-Bellevue, WA", type=AreaType.METRO
        )
        LeadFactory(won=True, family=vision, market=seattle)
        LeadFactory(family=vision)

        figures = pipeline_figures()

        assert figures["by_family"] == [
            {
                "key": vision.pk,
                "label": "Vision",
                "total": 2,
                "open": 1,
                "won": 1,
                "lost": 0,
                "conversion": 1.0,
            }
        ]
        assert [(row["key"], row["label"]) for row in figures["by_market"]] == [
            ("42660", "Seattle-Tacoma-Bellevue, WA"),
            (None, "(not known)"),  # the second lead came with no market
        ]

    def test_weeks_are_the_sites_weeks_even_on_a_sunday_evening(self):
        # Sunday 8 November, 21:00 in New York: already Monday in UTC.
        sunday_evening = datetime.fromisoformat("2026-11-08T21:00-05:00")
        with time_machine.travel(sunday_evening - timedelta(hours=1), tick=False):
            LeadFactory(created_at=timezone.now())
        with time_machine.travel(sunday_evening, tick=False):
            weeks = pipeline_figures()["weeks"]

        assert weeks[-1] == {"start": date(2026, 11, 2), "end": date(2026, 11, 8), "count": 1}
        assert len(weeks) == 12
        assert weeks[0]["start"] == date(2026, 8, 17)

    def test_a_week_of_leads_lands_in_its_weeks(self, clock):
        for days_ago in range(14):
            LeadFactory(created_at=timezone.now() - timedelta(days=days_ago))

        counts = [week["count"] for week in pipeline_figures()["weeks"]]

        # Wednesday: 3 days this week (Mon-Wed), 7 last week, 4 the week before.
        assert counts[-3:] == [4, 7, 3]


class TestMyWork:
    def test_each_lead_in_its_most_urgent_section(self, clock):
        rita = RecruiterFactory()
        overdue = LeadFactory(overdue=True, assigned_to=rita)
        today = LeadFactory(
            assigned_to=rita, contacted=True, next_step_due_at=timezone.now() + timedelta(hours=5)
        )
        new = LeadFactory(assigned_to=rita)
        stale = LeadFactory(stale=True, contacted=True, assigned_to=rita)
        nothing_planned = LeadFactory(contacted=True, without_next_step=True, assigned_to=rita)
        LeadFactory(contacted=True, assigned_to=rita)  # in hand: due tomorrow, active
        LeadFactory(overdue=True)  # someone else's
        LeadFactory(overdue=True, won=True, assigned_to=rita)  # closed

        work = my_work(user=rita)

        assert (work.overdue, work.due_today, work.new, work.stale, work.without_next_step) == (
            [overdue],
            [today],
            [new],
            [stale],
            [nothing_planned],
        )
        assert not work.is_empty

    def test_tomorrow_morning_yesterdays_follow_up_is_overdue(self, clock):
        rita = RecruiterFactory()
        lead = LeadFactory(
            contacted=True,
            assigned_to=rita,
            next_step_due_at=timezone.now() + timedelta(hours=5),
        )
        assert my_work(user=rita).due_today == [lead]

        clock.shift(timedelta(days=1))

        assert my_work(user=rita).overdue == [lead]

    def test_a_quiet_day_is_empty(self, clock):
        rita = RecruiterFactory()
        LeadFactory(contacted=True, assigned_to=rita)

        assert my_work(user=rita).is_empty

    def test_a_lost_lead_needs_no_work(self, clock):
        rita = RecruiterFactory()
        lead = LeadFactory(overdue=True, assigned_to=rita, contacted=True)
        lead.move_to(Stage.LOST, by=rita, lost_category=LostReason.NO_RESPONSE)

        assert my_work(user=rita).is_empty


def test_my_work_shows_two_hundred_and_says_there_are_more(clock):
    from leads.tests.factories import bulk_leads

    rita = RecruiterFactory()
    bulk_leads(201, assigned_to=rita, overdue=True)

    work = my_work(user=rita)

    assert (len(work.overdue), work.more) == (200, True)
    assert my_work(user=RecruiterFactory()).more is False


def test_my_work_lists_the_most_overdue_first(clock):
    rita = RecruiterFactory()
    later = LeadFactory(assigned_to=rita, next_step_due_at=timezone.now() - timedelta(hours=1))
    earlier = LeadFactory(assigned_to=rita, next_step_due_at=timezone.now() - timedelta(days=2))

    assert my_work(user=rita).overdue == [earlier, later]
