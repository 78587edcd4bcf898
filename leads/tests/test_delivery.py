"""Sending the emails about a lead: claimed before the mail server is called, sent
outside any transaction, retried, and an address refused for good flagged on the lead.

The refusals come from a real SMTP server (`smtp_server`), which refuses an
address for a while (4xx) or for good (5xx), quoting it as real servers do."""

import smtplib
import traceback
from datetime import timedelta
from email import message_from_bytes
from io import StringIO

import pytest
import time_machine
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from leads import tasks
from leads.models import Activity, ActivityKind, Inquiry, Lead
from leads.services.pipeline import lead_send_email
from leads.tests.factories import LeadFactory
from roles.models import Area, AreaType

pytestmark = pytest.mark.django_db

ADDRESS = "canary.person@refusing.example"


class RecordingBackend(BaseEmailBackend):
    """Notes, for each message, whether a database transaction was open as it was sent."""

    sent: list[tuple[list[str], bool]] = []

    def send_messages(self, email_messages):
        for message in email_messages:
            RecordingBackend.sent.append((message.to, connection.in_atomic_block))
        return len(email_messages)


@pytest.fixture
def recording(settings):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.RecordingBackend"}}
    RecordingBackend.sent = []
    return RecordingBackend.sent


def a_lead(**fields) -> Lead:
    lead = LeadFactory(email=ADDRESS, **fields)
    lead.inquiries.update(notified_at=None, confirmation_sent_at=None)
    return lead


def a_written_email(lead: Lead, recruiter) -> Activity:
    lead_send_email(lead=lead, by=recruiter, subject="Your search", body="Hello")
    return lead.activities.get(kind=ActivityKind.EMAIL)


@pytest.mark.flushes
@pytest.mark.django_db(transaction=True)
def test_no_transaction_is_open_while_the_mail_server_answers(recording, recruiter, settings):
    settings.LEADS_NOTIFY_EMAIL = "leads@agency.example"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # queued only
    lead = a_lead(assigned_to=recruiter)
    email = a_written_email(lead, recruiter)

    tasks.notify_lead.call(lead.pk)
    tasks.confirm_inquiries.call(lead.pk)
    tasks.send_lead_email.call(email.pk)

    assert recording == [
        ([recruiter.email, "leads@agency.example"], False),
        ([ADDRESS], False),
        ([ADDRESS], False),
    ]


@pytest.mark.parametrize(
    ("claimed_field", "task_name"),
    [("notification_claimed_at", "notify_lead"), ("confirmation_claimed_at", "confirm_inquiries")],
)
def test_a_live_claim_is_left_alone_and_a_lapsed_one_is_taken_over(
    recording, recruiter, claimed_field, task_name
):
    lead = a_lead(assigned_to=recruiter)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        lead.inquiries.update(**{claimed_field: timezone.now()})  # another worker, sending

        assert getattr(tasks, task_name).call(lead.pk) == 0

        clock.shift(tasks.CLAIM_LEASE + timedelta(seconds=1))  # that worker died mid-send
        assert getattr(tasks, task_name).call(lead.pk) == 1
    assert len(recording) == 1
    inquiry = lead.inquiries.get()
    assert getattr(inquiry, claimed_field) is None


def test_a_recruiters_email_being_sent_is_not_sent_again(recording, recruiter):
    email = a_written_email(a_lead(), recruiter)
    Activity.objects.filter(pk=email.pk).update(send_claimed_at=timezone.now())

    assert tasks.send_lead_email.call(email.pk) == 0
    assert recording == []


def test_the_emails_about_a_lead_cross_a_real_mail_server(smtp_server, recruiter, settings):
    settings.LEADS_NOTIFY_EMAIL = "leads@agency.example"
    lead = a_lead(assigned_to=recruiter)

    tasks.notify_lead.call(lead.pk)
    tasks.confirm_inquiries.call(lead.pk)

    notice, confirmation = (
        message_from_bytes(envelope.original_content) for envelope in smtp_server.received
    )
    assert [envelope.rcpt_tos for envelope in smtp_server.received] == [
        [recruiter.email, "leads@agency.example"],
        [ADDRESS],
    ]
    assert notice["Reply-To"] == ADDRESS  # the recruiter answers the employer directly
    assert confirmation["Reply-To"] == recruiter.email
    assert confirmation["From"] == settings.DEFAULT_FROM_EMAIL


class TestRefusedForGood:
    @pytest.fixture(autouse=True)
    def refusing(self, smtp_server):
        smtp_server.refuse(ADDRESS, 550)

    def test_the_confirmation_flags_the_address_on_the_lead(self):
        lead = a_lead()

        assert tasks.confirm_inquiries.call(lead.pk) == 0

        lead.refresh_from_db()
        assert lead.email_refused_at is not None
        assert lead.activities.filter(kind=ActivityKind.EMAIL_REFUSED).count() == 1
        assert lead.inquiries.get().confirmation_attempts == 1
        assert not Lead.objects.needing_confirmation().exists()

    def test_the_flag_keeps_the_lead_as_stale_as_it_was(self):
        lead = a_lead(stale=True)
        before = lead.last_activity_at

        tasks.confirm_inquiries.call(lead.pk)

        lead.refresh_from_db()
        assert lead.last_activity_at == before

    def test_a_recruiters_email_flags_it_too_and_is_not_retried(self, recruiter):
        email = a_written_email(a_lead(), recruiter)

        assert tasks.send_lead_email.call(email.pk) == 0

        assert Lead.objects.get().email_refused_at is not None
        assert not Activity.objects.emails_to_send().exists()

    def test_the_sweeper_names_none_as_failing_and_exits_zero(self, recruiter, settings):
        a_lead()
        Inquiry.objects.update(notified_at=timezone.now())
        out, err = StringIO(), StringIO()

        call_command("send_pending_notifications", stdout=out, stderr=err)  # no SystemExit

        assert out.getvalue() == (
            "Notified 0 inquiries, confirmed 0, sent 0 email(s) to leads; 0 still failing; "
            "1 lead(s) flagged with an address the mail server refused.\n"
        )
        assert err.getvalue() == ""

    def test_a_corrected_address_is_sent_to_again(self, recruiter, smtp_server):
        lead = a_lead()
        tasks.confirm_inquiries.call(lead.pk)

        lead.change_details({"email": "right@refusing.example"}, by=recruiter)

        assert Lead.objects.get().email_refused_at is None
        assert tasks.confirm_inquiries.call(lead.pk) == 1
        assert [envelope.rcpt_tos for envelope in smtp_server.received] == [
            ["right@refusing.example"]
        ]


class TestRefusedForNow:
    @pytest.fixture(autouse=True)
    def refusing(self, smtp_server, recruiter):
        smtp_server.refuse(ADDRESS, 451)
        smtp_server.refuse(recruiter.email, 451)  # the notification's recipients too

    def test_the_confirmation_is_retried_with_backoff(self, settings):
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
        from django_tasks_db.models import DBTaskResult

        lead = a_lead()

        with pytest.raises(tasks.NotificationFailed):
            tasks.confirm_inquiries.call(lead.pk)

        inquiry = lead.inquiries.get()
        assert (inquiry.confirmation_attempts, inquiry.confirmation_claimed_at) == (1, None)
        assert Lead.objects.get().email_refused_at is None
        retry = DBTaskResult.objects.get()
        assert retry.args_kwargs["args"] == [lead.pk]
        assert retry.run_after > timezone.now()

    def test_the_sweeper_names_the_lead_and_why_and_exits_one(self, recruiter):
        lead = a_lead(assigned_to=recruiter)
        err = StringIO()

        with pytest.raises(SystemExit) as exit_:
            call_command("send_pending_notifications", stdout=StringIO(), stderr=err)

        assert exit_.value.code == 1
        assert err.getvalue() == (
            f"Lead #{lead.pk}: notification not sent (SMTPRecipientsRefused 451), "
            "retry scheduled\n"
            f"Lead #{lead.pk}: confirmation not sent (SMTPRecipientsRefused 451), "
            "retry scheduled\n"
        )

    @pytest.mark.parametrize("task_name", ["notify_lead", "confirm_inquiries", "send_lead_email"])
    def test_what_the_server_said_of_the_address_stays_out_of_logs_and_the_queue(
        self, recruiter, caplog, task_name
    ):
        lead = a_lead(assigned_to=recruiter)
        pk = a_written_email(lead, recruiter).pk if task_name == "send_lead_email" else lead.pk

        with pytest.raises(tasks.NotificationFailed) as failure:
            getattr(tasks, task_name).call(pk)

        assert "SMTPRecipientsRefused 451" in caplog.text
        assert ADDRESS not in caplog.text
        assert ADDRESS not in str(failure.value)
        # What a task queue keeps of a failure: its traceback, chain included.
        assert ADDRESS not in "".join(traceback.format_exception(failure.value))


class TestHowAFailureIsNamed:
    @pytest.mark.parametrize(
        ("error", "named"),
        [
            (ConnectionRefusedError("refused"), "ConnectionRefusedError"),
            (smtplib.SMTPDataError(554, b"5.7.1 <x@y.example> spam"), "SMTPDataError 554"),
            (
                smtplib.SMTPRecipientsRefused(
                    {"a@x.example": (550, b""), "b@x.example": (450, b"")}
                ),
                "SMTPRecipientsRefused 450/550",
            ),
        ],
    )
    def test_by_kind_and_codes_only(self, error, named):
        assert tasks.failure_kind(error) == named

    @pytest.mark.parametrize(
        ("codes", "for_good"),
        [
            ([550], True),
            ([500], True),
            ([599], True),
            ([499], False),
            ([451], False),
            ([550, 451], False),
            ([], False),
        ],
    )
    def test_only_a_5xx_for_every_recipient_is_for_good(self, codes, for_good):
        refusals = {f"r{index}@x.example": (code, b"") for index, code in enumerate(codes)}

        assert tasks.refused_for_good(smtplib.SMTPRecipientsRefused(refusals)) is for_good

    def test_a_failure_is_logged_in_one_line_naming_the_lead(self, smtp_server, caplog):
        lead = a_lead()
        smtp_server.refuse(ADDRESS, 451)

        with pytest.raises(tasks.NotificationFailed):
            tasks.confirm_inquiries.call(lead.pk)

        assert caplog.messages == [
            f"Lead #{lead.pk}: confirmation failed (attempt 1): SMTPRecipientsRefused 451"
        ]


def test_the_notice_names_the_market_and_has_an_html_part(recruiter, mailoutbox):
    Area.objects.create(code="42660", title="Seattle-Tacoma-Bellevue, WA", type=AreaType.METRO)
    lead = a_lead(assigned_to=recruiter)
    lead.inquiries.update(context_area="42660")

    tasks.notify_lead.call(lead.pk)

    assert "Was looking at: Seattle-Tacoma-Bellevue, WA\n" in mailoutbox[0].body
    html, kind = mailoutbox[0].alternatives[0]
    assert kind == "text/html"
    assert "Seattle-Tacoma-Bellevue, WA" in html


def test_the_notice_says_a_job_description_is_attached_without_its_text(recruiter, mailoutbox):
    lead = a_lead(assigned_to=recruiter)
    lead.inquiries.update(job_description="NLP Lead at Acme\n- Ship the support bot")

    tasks.notify_lead.call(lead.pk)

    body = mailoutbox[0].body
    html, _ = mailoutbox[0].alternatives[0]
    assert "Job description: attached, built in our job description builder" in body
    assert '<th scope="row">Job description</th>' in html
    assert "Ship the support bot" not in body + html


def test_emails_say_what_was_left_unanswered_in_words(recruiter, mailoutbox):
    lead = a_lead(assigned_to=recruiter)
    lead.inquiries.update(remote_policy="", timeline="")

    tasks.notify_lead.call(lead.pk)
    tasks.confirm_inquiries.call(lead.pk)

    notice, confirmation = mailoutbox
    assert "\nTimeline: Not sure yet\n" in notice.body
    assert "()" not in notice.body
    assert "Not sure yet" in notice.alternatives[0][0]
    assert "your timeline and how we can help" in confirmation.body
    assert "your timeline and how we can help" in confirmation.alternatives[0][0]
    for text in [notice.body, confirmation.body]:
        assert "<Role" not in text
        assert "QuerySet" not in text


def test_the_notice_gives_the_campaign_without_empty_parts(recruiter, mailoutbox):
    lead = a_lead(assigned_to=recruiter)
    lead.inquiries.update(utm_source="newsletter", utm_medium="", utm_campaign="spring")

    tasks.notify_lead.call(lead.pk)

    notice = mailoutbox[0]
    assert "\nCampaign: newsletter / spring\n" in notice.body
    assert "<td>newsletter / spring</td>" in notice.alternatives[0][0]
