"""One open lead per person (per email, in any case), held by the database, and every
screen that could make a second one saying why it will not."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from leads.admin.forms import LeadAdminForm
from leads.models import ActivityKind, Inquiry, Lead, LostReason, Stage
from leads.services.pipeline import LeadChanges, lead_apply, lead_release
from leads.tests.admin.pages import BOARD, action, change_url, text
from leads.tests.admin.test_lead_form import page_data
from leads.tests.factories import LeadFactory

pytestmark = pytest.mark.django_db

EMAIL = "Ada@Example.com"


@pytest.fixture
def open_lead():
    return LeadFactory(email=EMAIL, contacted=True, hires=2)


def test_the_database_refuses_a_second_open_lead_whatever_the_case(open_lead):
    with pytest.raises(IntegrityError), transaction.atomic():
        LeadFactory(email=EMAIL.upper())


@pytest.mark.parametrize(
    "traits",
    [
        {"won": True},
        {"lost": True},
        {"spam": True},
        {"erased_at": datetime(2026, 1, 1, tzinfo=UTC)},
    ],
    ids=["won", "lost", "spam", "erased"],
)
def test_closed_quarantined_and_erased_leads_do_not_count(open_lead, traits):
    LeadFactory(email=EMAIL.lower(), **traits)

    assert Lead.objects.open_for_email(EMAIL.lower()).get() == open_lead


def test_reopening_beside_the_open_lead_is_refused_in_words(open_lead):
    old = LeadFactory(email=EMAIL.lower(), lost=True)

    with pytest.raises(ValidationError) as refused:
        lead_apply(lead=old, by=None, changes=LeadChanges(stage=Stage.QUALIFIED))

    assert refused.value.message_dict == {
        "stage": [f"{EMAIL} has another open lead, #{open_lead.pk}: carry on there."]
    }
    old.refresh_from_db()
    assert old.stage == Stage.LOST
    assert not old.activities.filter(kind=ActivityKind.STAGE).exists()


def test_a_closed_lead_moves_between_closed_stages_and_an_open_one_between_open(open_lead):
    old = LeadFactory(email=EMAIL, lost=True)

    lead_apply(lead=old, by=None, changes=LeadChanges(stage=Stage.WON))
    lead_apply(lead=open_lead, by=None, changes=LeadChanges(stage=Stage.PROPOSAL))

    assert (Lead.objects.get(pk=old.pk).stage, open_lead.stage) == (Stage.WON, Stage.PROPOSAL)


def test_the_lead_page_says_which_lead_is_open_beside_the_field(open_lead):
    old = LeadFactory(email=EMAIL, lost=True)
    other = LeadFactory(email="someone@else.example")

    reopened = LeadAdminForm({**page_data(old), "move_to": Stage.NEW}, instance=old)
    renamed = LeadAdminForm({**page_data(other), "email": EMAIL.lower()}, instance=other)

    assert not reopened.is_valid()
    assert reopened.errors["move_to"] == [
        f"{EMAIL} has another open lead, #{open_lead.pk}: carry on there."
    ]
    assert not renamed.is_valid()
    assert renamed.errors["email"] == [
        f"{EMAIL} has another open lead, #{open_lead.pk}: carry on there."
    ]


def test_a_closed_lead_may_take_the_email_of_an_open_one(open_lead):
    old = LeadFactory(email="old@address.example", won=True)

    form = LeadAdminForm({**page_data(old), "email": EMAIL}, instance=old)

    assert form.is_valid(), form.errors


def test_the_action_moves_the_others_and_names_the_one_it_could_not(admin_client, open_lead):
    client = admin_client
    old = LeadFactory(email=EMAIL, lost=True)
    fine = LeadFactory(lost=True)

    response = action(client, "move_to_stage", [old, fine], stage=Stage.NEW, apply="1")
    page = text(client.get(response.url))

    assert response.status_code == 302
    assert f"has another open lead, #{open_lead.pk}: carry on there." in page
    assert "1 lead(s) moved to New." in page
    assert Lead.objects.get(pk=fine.pk).stage == Stage.NEW
    assert Lead.objects.get(pk=old.pk).stage == Stage.LOST


def test_a_board_move_that_would_reopen_says_why(admin_client, open_lead):
    old = LeadFactory(email=EMAIL, lost=True, lost_category=LostReason.TIMING)
    move = reverse("admin:leads_lead_board_move", args=[old.pk])

    response = admin_client.post(move, {"stage": Stage.NEW}, follow=True)

    assert response.redirect_chain[-1][0].startswith(BOARD)
    assert f"has another open lead, #{open_lead.pk}: carry on there." in text(response)
    assert Lead.objects.get(pk=old.pk).stage == Stage.LOST


def test_releasing_a_quarantined_submission_joins_the_persons_open_lead(open_lead):
    quarantined = LeadFactory(email=EMAIL.lower(), spam=True, hires=5, inquiries=2)
    quarantined.add_note("Looks genuine after all", by=None)
    number = quarantined.pk

    assert lead_release(lead=quarantined, by=None)

    assert not Lead.objects.filter(pk=number).exists()
    open_lead.refresh_from_db()
    assert open_lead.hires == 5
    assert open_lead.inquiries.count() == 3
    merged = open_lead.activities.get(kind=ActivityKind.MERGED)
    assert merged.text == f"Lead #{number} (same email) joined this one with 2 inquiries."
    # Its own timeline came along.
    assert open_lead.activities.filter(text="Looks genuine after all").exists()
    assert Inquiry.objects.filter(lead=open_lead).count() == 3


def test_the_merge_shows_in_the_timeline(admin_client, admin_user, open_lead):
    lead_release(lead=LeadFactory(email=EMAIL, spam=True), by=admin_user)

    page = text(admin_client.get(change_url(open_lead)))

    assert "Merged with a duplicate" in page
    assert "(same email) joined this one with 1 inquiry." in page


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
def test_the_lookup_by_email_uses_the_index_that_keeps_it_one(open_lead):
    bulk = [LeadFactory.build(email=f"p{i}@c{i}.example") for i in range(2000)]
    Lead.objects.bulk_create(bulk)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE leads_lead")

    plan = Lead.objects.open_for_email(EMAIL.lower()).explain()

    assert "lead_one_open_lead_per_email" in plan


@pytest.mark.django_db(transaction=True)
@pytest.mark.flushes
def test_the_migration_folds_duplicates_into_the_oldest():
    executor = MigrationExecutor(connection)
    executor.migrate([("leads", "0006_email_sent_once")])
    apps = executor.loader.project_state([("leads", "0006_email_sent_once")]).apps
    OldLead = apps.get_model("leads", "Lead")
    OldInquiry = apps.get_model("leads", "Inquiry")
    fields = {"name": "Ada", "company": "Acme", "job_title": "CTO", "email_domain": "x"}
    first = OldLead.objects.create(email=EMAIL, hires=1, **fields)
    second = OldLead.objects.create(email=EMAIL.lower(), hires=4, stage="qualified", **fields)
    lost = OldLead.objects.create(
        email=EMAIL, stage="lost", lost_category="budget", hires=9, **fields
    )
    for lead in (first, second, second):
        OldInquiry.objects.create(
            lead=lead,
            submission_key=f"k{OldInquiry.objects.count()}",
            hires=1,
            consent_at=first.created_at,
        )
    second.created_at = first.created_at.replace(year=first.created_at.year + 1)
    second.save()

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    kept = Lead.objects.get(pk=first.pk)
    assert not Lead.objects.filter(pk=second.pk).exists()
    assert Lead.objects.filter(pk=lost.pk).exists()
    assert (kept.hires, kept.inquiries.count()) == (4, 3)
    assert kept.activities.get(kind=ActivityKind.MERGED).text == (
        f"Lead #{second.pk} (same email) joined this one with 2 inquiries."
    )
