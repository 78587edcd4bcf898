"""Recruiters' changes from any screen: one service, the lead's own methods, said in words."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from leads import tasks
from leads.models import (
    ActivityKind,
    EmailTemplate,
    Lead,
    LostReason,
    RecruiterProfile,
    SpamReason,
    Stage,
)
from leads.services.pipeline import (
    LeadChanges,
    email_values,
    lead_apply,
    lead_email_draft,
    lead_mark_spam,
    lead_release,
    lead_send_email,
)
from leads.tests.factories import LeadFactory, RecruiterFactory
from roles.models import Area, AreaType, Role
from roles.tests.factories import RoleFamilyFactory

pytestmark = pytest.mark.django_db

BROKEN_MAILER = {"default": {"BACKEND": "leads.tests.backends.UnreachableEmailBackend"}}


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel("2026-11-02 10:00 -05:00", tick=False) as traveller:
        yield traveller


@pytest.fixture
def rita(db):
    return RecruiterFactory(username="rita", first_name="Rita", last_name="Moreno")


class TestApply:
    def test_everything_one_screen_asks_for_in_order_and_in_words(self, rita):
        lead = LeadFactory()
        due = timezone.now() + timedelta(days=2)

        said = lead_apply(
            lead=lead,
            by=rita,
            changes=LeadChanges(
                details={"phone": "+1 206 555 0111"},
                assignee=rita,
                next_step_done=True,
                next_step="Send the shortlist",
                next_step_due_at=due,
                stage=Stage.QUALIFIED,
                note="Budget confirmed",
            ),
        )

        assert said == [
            "Changed phone",
            "Assigned to Rita Moreno",
            "Done: the next step due Nov 3, 10:00",
            "Next step due Nov 4, 10:00",
            "Moved from New to Qualified",
            "Added a note",
        ]
        assert list(lead.activities.values_list("kind", flat=True)) == [
            "details",
            "assigned",
            "next_step_done",
            "next_step_set",
            "stage",
            "note",
        ]
        lead.refresh_from_db()
        assert (lead.stage, lead.assigned_to, lead.next_step) == (
            "qualified",
            rita,
            "Send the shortlist",
        )

    def test_a_next_step_done_is_the_recruiters(self, rita):
        lead = LeadFactory()

        lead_apply(lead=lead, by=rita, changes=LeadChanges(next_step_done=True))

        assert lead.activities.get().actor == rita

    def test_nothing_asked_is_nothing_done(self, rita):
        lead = LeadFactory()

        assert lead_apply(lead=lead, by=rita, changes=LeadChanges()) == []
        assert not lead.activities.exists()

    def test_a_loss_is_said_with_its_category_but_not_its_details(self, rita):
        lead = LeadFactory(proposal=True)

        said = lead_apply(
            lead=lead,
            by=rita,
            changes=LeadChanges(
                stage=Stage.LOST,
                lost_category=LostReason.COMPETITOR,
                reason="Went with Jane's cousin",
            ),
        )

        assert said == ["Moved from Proposal to Lost (Went with another agency)"]
        assert lead.activities.get(kind=ActivityKind.STAGE).lost_category == LostReason.COMPETITOR


class TestSpam:
    def test_marking_and_releasing_are_recorded_and_release_routes_and_notifies(
        self, rita, mailoutbox, django_capture_on_commit_callbacks
    ):
        lead = LeadFactory(spam=True)

        with django_capture_on_commit_callbacks(execute=True):
            assert lead_release(lead=lead, by=rita)

        lead.refresh_from_db()
        assert (lead.is_spam, lead.assigned_to, lead.next_step) == (
            False,
            rita,
            "Reply to the inquiry",
        )
        assert [m.to for m in mailoutbox] == [[rita.email]]
        assert lead_mark_spam(lead=lead, by=rita)
        assert not lead_mark_spam(lead=lead, by=rita)
        lead.refresh_from_db()
        assert (lead.is_spam, lead.spam_reason) == (True, SpamReason.STAFF)
        assert list(lead.activities.values_list("kind", flat=True)) == [
            "not_spam",
            "next_step_set",
            "assigned",
            "spam",
        ]

    def test_each_step_is_recorded_as_the_recruiters(
        self, rita, django_capture_on_commit_callbacks
    ):
        lead = LeadFactory(spam=True, assigned_to=rita)

        with django_capture_on_commit_callbacks(execute=True):
            lead_release(lead=lead, by=rita)
        lead_mark_spam(lead=lead, by=rita)

        assert {activity.actor for activity in lead.activities.all()} == {rita}
        assert Lead.objects.get(pk=lead.pk).is_spam

    def test_a_released_lead_goes_to_its_familys_recruiter(
        self, rita, django_capture_on_commit_callbacks
    ):
        vision = RoleFamilyFactory(name="Vision", slug="vision")
        specialist = RecruiterFactory()
        RecruiterProfile.objects.create(user=specialist).families.add(vision)
        lead = LeadFactory(spam=True, assigned_to=None, family=vision)

        with django_capture_on_commit_callbacks(execute=True):
            lead_release(lead=lead, by=rita)

        assert Lead.objects.get(pk=lead.pk).assigned_to == specialist

    def test_a_released_closed_lead_gets_no_next_step(self, rita):
        lead = LeadFactory(spam=True, won=True, assigned_to=rita)

        lead_release(lead=lead, by=rita)

        assert Lead.objects.get(pk=lead.pk).next_step == ""

    def test_releasing_a_genuine_lead_does_nothing(self, rita):
        assert not lead_release(lead=LeadFactory(), by=rita)


class TestEmailingALead:
    def test_a_template_is_filled_in_for_this_lead_and_recruiter(self, rita, roles):
        from roles.models import Role

        lead = LeadFactory(
            name="Jane Doe",
            company="Acme Robotics",
            hires=3,
            inquiries__roles=[Role.objects.published().get(slug="nlp-engineer")],
        )
        template = EmailTemplate.objects.get(name="First reply")

        subject, body = lead_email_draft(lead=lead, by=rita, template=template)

        assert subject == "Your Natural Language Processing Engineer hiring with ML Talent Partners"
        assert body.startswith("Hello Jane,")
        assert "for Acme Robotics" in body
        assert "Rita Moreno" in body
        assert "{{" not in subject + body
        assert email_values(lead, rita)["market"] == "your market"

    def test_sending_logs_queues_and_counts_as_the_first_response(
        self, rita, mailoutbox, django_capture_on_commit_callbacks
    ):
        lead = LeadFactory(email="jane@acme.example")

        with django_capture_on_commit_callbacks(execute=True):
            said = lead_send_email(
                lead=lead, by=rita, subject="Our  call", body="Hello Jane,\n\nThursday?"
            )

        assert said == ["Emailed the lead", "Moved from New to Contacted"]
        message = mailoutbox[0]
        assert (message.to, message.reply_to, message.subject) == (
            ["jane@acme.example"],
            [rita.email],
            "Our call",
        )
        assert message.from_email == "ML Talent Partners <no-reply@localhost>"
        email = lead.activities.get(kind=ActivityKind.EMAIL)
        assert (email.sent_at, email.recipient, email.text) == (
            timezone.now(),
            "jane@acme.example",
            "Hello Jane,\n\nThursday?",
        )
        lead.refresh_from_db()
        assert (lead.stage, lead.first_response_at) == (Stage.CONTACTED, timezone.now())
        # The move and the first reply done are the recruiter's, like the email.
        assert {activity.actor for activity in lead.activities.all()} == {rita}
        assert lead.activities.filter(kind=ActivityKind.NEXT_STEP_DONE).exists()

    def test_a_second_send_of_the_same_email_is_impossible(
        self, rita, mailoutbox, django_capture_on_commit_callbacks
    ):
        lead = LeadFactory(contacted=True)
        with django_capture_on_commit_callbacks(execute=True):
            lead_send_email(lead=lead, by=rita, subject="Hi", body="Text")
        email = lead.activities.get(kind=ActivityKind.EMAIL)

        assert tasks.send_lead_email.call(email.pk) == 0
        assert len(mailoutbox) == 1

    def test_with_the_mail_server_down_it_waits_and_the_sweeper_sends_it(
        self, rita, settings, mailoutbox, django_capture_on_commit_callbacks
    ):
        settings.MAILERS = BROKEN_MAILER
        lead = LeadFactory(contacted=True)
        with django_capture_on_commit_callbacks(execute=True):
            lead_send_email(lead=lead, by=rita, subject="Hi", body="Text")
        email = lead.activities.get(kind=ActivityKind.EMAIL)
        assert (email.sent_at, email.send_attempts) == (None, 1)

        settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
        out = StringIO()
        call_command("send_pending_notifications", stdout=out)

        assert "sent 1 email(s) to leads" in out.getvalue()
        assert [m.subject for m in mailoutbox] == ["Hi"]

    def test_an_email_to_a_lead_erased_before_it_went_is_never_sent(
        self, rita, mailoutbox, django_capture_on_commit_callbacks
    ):
        from leads.services.privacy import lead_erase

        lead = LeadFactory(contacted=True)
        with django_capture_on_commit_callbacks(execute=False) as pending:
            lead_send_email(lead=lead, by=rita, subject="Hi", body="Text")
        lead_erase(lead=Lead.objects.get(pk=lead.pk))

        for callback in pending:
            callback()

        assert mailoutbox == []


def test_what_each_placeholder_stands_for(rita, roles):
    lead = LeadFactory(
        name="Jane Q Doe",
        company="Acme",
        hires=1,
        market=Area.objects.create(code="42660", title="Seattle, WA", type=AreaType.METRO),
        inquiries__roles=Role.objects.filter(slug__in=["nlp-engineer", "mlops-engineer"]),
    )

    assert email_values(lead, rita) == {
        "first_name": "Jane",
        "name": "Jane Q Doe",
        "company": "Acme",
        "roles": "MLOps Engineer, Natural Language Processing Engineer",
        "hires": "1 hire",
        "market": "Seattle, WA",
        "recruiter": "Rita Moreno",
        "recruiter_email": "rita@agency.example",
        "site_name": "ML Talent Partners",
    }
    lead.hires = 2
    assert email_values(lead, rita)["hires"] == "2 hires"
