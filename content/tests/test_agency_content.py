"""Testimonials and placement figures: nothing until an editor enters a real one and
shows it; then on the home and about pages, each figure with its source and date."""

import datetime
import io
import re
from html import unescape

import pytest
from django.core.management import call_command
from django.urls import reverse

from content.models import PlacementFigure, Testimonial
from content.tests.factories import content_editors_group
from roles.models import Area
from roles.seeding import seed_library
from roles.tests.wages.files import FIXTURES

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def entered(db):
    """One of each shown, one of each entered but not shown."""
    PlacementFigure.objects.create(
        figure="142",
        label="ML engineers placed",
        source="The agency's placement records",
        as_of=datetime.date(2026, 6, 30),
        is_published=True,
    )
    PlacementFigure.objects.create(
        figure="999", label="Draft figure", source="x", as_of=datetime.date(2026, 1, 1)
    )
    Testimonial.objects.create(
        quote="They found our first MLOps engineer in three weeks.",
        person_name="Dana Lee",
        person_title="CTO",
        company="Acme Robotics",
        permission="Dana Lee, by email on 2 Nov 2026",
        is_published=True,
    )
    Testimonial.objects.create(quote="Not yet", person_name="Hidden", permission="pending")


def test_nothing_is_shown_until_an_editor_enters_one(client):
    for path in ["/", reverse("about")]:
        html = client.get(path).content.decode()
        assert "What clients say" not in html
        assert "placement-figures" not in html
        assert "Our placements" not in html


@pytest.mark.parametrize("path", ["/", "/about/"])
def test_shown_ones_appear_with_their_source_and_date(client, entered, path):
    page = text(client.get(path))

    assert "142 ML engineers placed The agency's placement records, as of June 2026" in page
    assert "They found our first MLOps engineer in three weeks." in page
    assert "Dana Lee CTO, Acme Robotics" in page
    assert "Draft figure" not in page
    assert "Hidden" not in page
    assert "by email" not in page  # the permission is for the record only


def test_the_home_hero_counts_what_the_portal_holds(client):
    seed_library()
    call_command("import_oews", *sorted(FIXTURES.glob("*.csv")), stdout=io.StringIO())

    page = text(client.get("/"))

    markets = Area.objects.count()
    assert f"At a glance Role templates 6 US markets with BLS wages {markets} Wage data" in page
    assert "Wage data BLS OEWS, May 2025" in page


def test_editors_keep_them_in_the_admin(client, django_user_model):
    editor = django_user_model.objects.create_user("ed", password="x", is_staff=True)
    editor.groups.add(content_editors_group())
    client.force_login(editor)

    response = client.post(
        reverse("admin:content_placementfigure_add"),
        {
            "figure": "18 days",
            "label": "median time to a first shortlist",
            "source": "Agency records, 2025",
            "as_of": "2026-01-01",
            "is_published": "on",
            "position": "0",
        },
    )

    assert response.status_code == 302
    assert client.get(reverse("admin:content_testimonial_add")).status_code == 200
    assert "18 days median time to a first shortlist" in text(client.get("/"))
