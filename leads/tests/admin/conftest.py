"""The recruiters' workbench in the admin: a pinned clock, a recruiter signed in."""

import pytest
import time_machine

from leads.tests.factories import RecruiterFactory
from roles.models import Area, AreaType


@pytest.fixture(autouse=True)
def clock():
    """Monday 2 November 2026, 10:00 in New York, until a test moves it."""
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
