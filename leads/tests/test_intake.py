"""The contact form's submission after validation: stored, routed, then announced."""

from datetime import datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.tasks import default_task_backend
from django.utils import timezone

from leads import tasks
from leads.forms import FormToken
from leads.models import ActivityKind, Inquiry, Lead, RecruiterProfile, SpamReason, Stage
from leads.services import intake
from leads.tests.conftest import form_data
from roles.models import RoleFamily

pytestmark = pytest.mark.django_db

BROKEN_MAILER = {"default": {"BACKEND": "leads.tests.backends.UnreachableEmailBackend"}}


def submit(*, email="jane@acme.example", roles=("nlp-engineer",), context=None, spam=""):
    data = {**form_data(email=email), "roles": list(roles), "hires": 2}
    token = FormToken.issue(context or {})
    return intake.lead_submit(data=data, token=token, spam_reason=spam)


class TestRouting:
    def test_round_robin_among_recruiters_who_can_sign_in(self, roles, make_recruiter):
        ann, bob, cat = make_recruiter("ann"), make_recruiter("bob"), make_recruiter("cat")
        make_recruiter("dan", is_active=False)
        make_recruiter("eve", is_staff=False)  # in the group, but cannot sign in

        owners = [submit(email=f"e{i}@acme.example").lead.assigned_to for i in range(4)]

        assert owners == [ann, bob, cat, ann]

    def test_a_recruiter_covering_the_family_comes_first(self, roles, make_recruiter):
        make_recruiter("ann")
        specialist = make_recruiter("bob")
        profile = RecruiterProfile.objects.create(user=specialist)
        profile.families.add(RoleFamily.objects.get(slug="machine-learning"))

        owners = {submit(email=f"e{i}@acme.example").lead.assigned_to for i in range(3)}

        assert owners == {specialist}

    def test_recruiters_not_taking_leads_are_skipped(self, roles, make_recruiter):
        away = make_recruiter("ann")
        RecruiterProfile.objects.create(user=away, accepts_leads=False)
        here = make_recruiter("bob")

        assert submit().lead.assigned_to == here

    def test_no_recruiter_leaves_the_lead_unassigned_but_stored(self, roles, caplog):
        lead = submit().lead

        assert lead.assigned_to is None
        assert Lead.objects.count() == 1
        assert f"Lead #{lead.pk} has no recruiter to route to" in caplog.text

    def test_routing_is_in_the_timeline(self, roles, recruiter):
        lead = submit().lead

        routed = lead.activities.get()
        assert (routed.kind, routed.assignee, routed.actor) == (
            ActivityKind.ASSIGNED,
            recruiter,
            None,
        )


class TestIntake:
    def test_a_second_request_from_an_open_lead_joins_it(
        self, roles, recruiter, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            first = submit()
        with django_capture_on_commit_callbacks(execute=True):
            second = submit(roles=["mlops-engineer"])

        assert first.lead == second.lead
        assert Lead.objects.count() == 1
        assert second.lead.inquiries.count() == 2
        told = [m for m in mailoutbox if recruiter.email in m.to]
        assert [m.subject for m in told] == [
            f"New lead #{first.lead.pk}: Natural Language Processing Engineer",
            f"Further inquiry on lead #{first.lead.pk}: MLOps Engineer",
        ]

    def test_a_further_request_never_shrinks_the_deal(self, roles):
        data = {**form_data(), "roles": ["nlp-engineer"], "hires": 3}
        intake.lead_submit(data=data, token=FormToken.issue({}))
        lead = intake.lead_submit(data={**data, "hires": 1}, token=FormToken.issue({})).lead
        assert lead.hires == 3

        lead = intake.lead_submit(data={**data, "hires": 5}, token=FormToken.issue({})).lead
        assert lead.hires == 5

    def test_a_closed_lead_does_not_absorb_a_new_request(self, roles):
        first = submit()
        first.lead.move_to(Stage.LOST, by=None, lost_category="hired_directly")

        assert submit().lead != first.lead

    def test_email_matching_ignores_case(self, roles):
        assert submit(email="Jane@ACME.example").lead == submit().lead

    def test_leads_from_the_same_company_domain_are_related(self, roles):
        jane = submit().lead
        john = submit(email="john@acme.example").lead
        other = submit(email="jo@gmail.com").lead
        same_provider = submit(email="al@gmail.com").lead

        assert list(jane.related_by_domain()) == [john]
        assert list(other.related_by_domain()) == []
        assert same_provider.email_domain == "gmail.com"

    def test_spam_is_stored_apart_and_tells_nobody(
        self, roles, recruiter, mailoutbox, django_capture_on_commit_callbacks
    ):
        real = submit().lead
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            spam = submit(spam=SpamReason.HONEYPOT).lead

        assert spam != real
        assert (spam.is_spam, spam.assigned_to, spam.next_step) == (True, None, "")
        assert callbacks == []
        assert mailoutbox == []

    def test_the_lead_knows_its_family_market_source_and_hires(self, roles, san_jose):
        lead = submit(
            context={"role": "nlp-engineer", "area": "41940", "utm_source": "LinkedIn"}
        ).lead

        assert lead.family.slug == "machine-learning"
        assert lead.market.title == "San Jose-Sunnyvale-Santa Clara, CA"
        assert (lead.source, lead.hires) == ("linkedin", 2)

    @pytest.mark.parametrize(
        ("context", "source"),
        [
            ({"utm_source": " Newsletter "}, "newsletter"),
            ({"referrer": "https://www.google.com/search"}, "google.com"),
            ({"referrer": "http://[::1"}, "direct"),
            ({"page": "/roles/nlp-engineer/"}, "role page"),
            ({"page": "/salaries/"}, "salary explorer"),
            ({"page": "/"}, "home page"),
            ({}, "direct"),
        ],
    )
    def test_where_a_lead_came_from_in_a_word_or_two(self, context, source):
        assert intake.lead_source(context) == source

    @pytest.mark.parametrize(
        ("arrived", "due"),
        [
            ("2026-11-02T15:00-05:00", "2026-11-03T15:00-05:00"),  # Monday: Tuesday
            ("2026-11-06T15:00-05:00", "2026-11-09T15:00-05:00"),  # Friday: Monday
            ("2026-11-07T09:00-05:00", "2026-11-09T09:00-05:00"),  # Saturday: Monday
        ],
    )
    def test_the_first_reply_is_due_one_business_day_later(self, roles, arrived, due):
        with time_machine.travel(datetime.fromisoformat(arrived), tick=False):
            lead = submit().lead

        assert lead.next_step == "Reply to the inquiry"
        assert lead.next_step_due_at == datetime.fromisoformat(due)


class TestNotifications:
    def test_notification_runs_only_after_commit(
        self, roles, recruiter, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            submit()
        assert mailoutbox == []  # nothing before the commit

        for callback in callbacks:
            callback()

        assert {tuple(m.to) for m in mailoutbox} == {(recruiter.email,), ("jane@acme.example",)}

    def test_nothing_is_sent_when_the_transaction_rolls_back(
        self, roles, recruiter, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            try:
                with transaction.atomic():
                    submit()
                    raise RuntimeError("something later failed")
            except RuntimeError:
                pass

        assert callbacks == []
        assert mailoutbox == []
        assert not Lead.objects.exists()

    def test_tasks_carry_only_the_lead_id(
        self, roles, recruiter, settings, django_capture_on_commit_callbacks
    ):
        settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
        with django_capture_on_commit_callbacks(execute=True):
            lead = submit().lead

        results = default_task_backend.results
        assert [(r.task.name, r.args, r.kwargs) for r in results] == [
            ("notify_lead", [lead.pk], {}),
            ("confirm_inquiries", [lead.pk], {}),
        ]

    def test_a_market_without_wage_data_is_left_out_of_the_notice(
        self, roles, recruiter, mailoutbox
    ):
        lead = submit(context={"role": "nlp-engineer", "area": "99999"}).lead

        tasks.notify_lead.call(lead.pk)

        assert "Was looking at: Natural Language Processing Engineer\n" in mailoutbox[0].body

    def test_the_notification_goes_to_the_assignee_and_the_inbox(
        self, roles, recruiter, settings, mailoutbox
    ):
        settings.LEADS_NOTIFY_EMAIL = "leads@agency.example"
        lead = submit(context={"role": "nlp-engineer", "utm_source": "linkedin"}).lead

        tasks.notify_lead.call(lead.pk)

        message = mailoutbox[0]
        assert message.to == [recruiter.email, "leads@agency.example"]
        assert message.reply_to == ["jane@acme.example"]
        assert "Was looking at: Natural Language Processing Engineer" in message.body
        assert f"/admin/leads/lead/{lead.pk}/change/" in message.body
        html = message.alternatives[0].content
        assert "<strong>Jane Doe</strong>" in html

    def test_sending_twice_is_impossible(self, roles, recruiter, mailoutbox):
        lead = submit().lead

        assert tasks.notify_lead.call(lead.pk) == 1
        assert tasks.notify_lead.call(lead.pk) == 0
        assert len(mailoutbox) == 1
        assert lead.inquiries.get().notified_at is not None

    def test_the_employer_gets_a_confirmation_without_tracking(self, roles, recruiter, mailoutbox):
        lead = submit().lead

        tasks.confirm_inquiries.call(lead.pk)
        tasks.confirm_inquiries.call(lead.pk)

        assert len(mailoutbox) == 1
        message = mailoutbox[0]
        assert message.to == ["jane@acme.example"]
        assert message.reply_to == [recruiter.email]  # a reply reaches their recruiter
        assert "about Natural Language Processing Engineer for 2 hires." in message.body
        assert "within one business day" in message.body
        html = message.alternatives[0].content
        assert "<img" not in html

    def test_the_confirmation_relays_nothing_the_visitor_typed(self, roles, mailoutbox):
        # Else anyone could send their text to any address through our mail server.
        data = {**form_data(name="Buy pills at spam.example", location="Visit spam.example")}
        lead = intake.lead_submit(
            data={**data, "roles": [], "hires": 1}, token=FormToken.issue({})
        ).lead

        tasks.confirm_inquiries.call(lead.pk)

        message = mailoutbox[0]
        assert "spam.example" not in message.body + message.alternatives[0].content
        assert message.reply_to == []  # nobody to reply to yet: no recruiter, no inbox

    def test_markup_in_a_name_is_escaped_in_the_html_email(self, roles, recruiter, mailoutbox):
        data = {**form_data(name="<script>alert(1)</script>"), "roles": [], "hires": 1}
        lead = intake.lead_submit(data=data, token=FormToken.issue({})).lead

        tasks.notify_lead.call(lead.pk)

        html = mailoutbox[0].alternatives[0].content
        assert "<script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


class TestMailServerDown:
    def test_the_lead_is_saved_and_the_employer_thanked(
        self, client, roles, recruiter, settings, django_capture_on_commit_callbacks
    ):
        settings.MAILERS = BROKEN_MAILER
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/contact/", form_data())

        assert response["Location"] == "/contact/thanks/"
        inquiry = Inquiry.objects.get()
        assert inquiry.notified_at is None
        assert inquiry.notification_attempts == 1

    def test_retries_back_off_exponentially(
        self, roles, recruiter, settings, django_capture_on_commit_callbacks
    ):
        settings.MAILERS = BROKEN_MAILER
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
        from django_tasks_db.models import DBTaskResult

        settings.LEADS_NOTIFY_MAX_ATTEMPTS = 4
        lead = submit().lead
        for attempt in (1, 2, 3):
            with (
                django_capture_on_commit_callbacks(execute=True),
                pytest.raises(tasks.NotificationFailed),
            ):
                tasks.notify_lead.call(lead.pk)
            retry = DBTaskResult.objects.order_by("-enqueued_at").first()
            delay = retry.run_after - timezone.now()
            assert timedelta(minutes=2**attempt - 1) < delay <= timedelta(minutes=2**attempt)
            assert retry.args_kwargs["args"] == [lead.pk]
        retries = DBTaskResult.objects.count()
        with (
            django_capture_on_commit_callbacks(execute=True),
            pytest.raises(tasks.NotificationFailed),
        ):
            tasks.notify_lead.call(lead.pk)  # the fourth attempt: no fifth, the sweeper's now
        assert DBTaskResult.objects.count() == retries

    def test_the_sweeper_counts_what_it_sent_and_what_still_fails(
        self, roles, recruiter, settings, mailoutbox
    ):
        settings.MAILERS = BROKEN_MAILER
        first, second = submit().lead, submit(email="b@b.example").lead
        for lead in (first, second):
            with pytest.raises(tasks.NotificationFailed):
                tasks.notify_lead.call(lead.pk)
        settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
        out = StringIO()

        call_command("send_pending_notifications", stdout=out)

        assert out.getvalue() == (
            "Notified 2 inquiries, confirmed 2, sent 0 email(s) to leads; 0 still failing; "
            "0 lead(s) flagged with an address the mail server refused.\n"
        )

    def test_the_sweeper_says_how_many_still_fail(self, roles, recruiter, settings):
        settings.MAILERS = BROKEN_MAILER
        submit(), submit(email="b@b.example")
        out = StringIO()

        with pytest.raises(SystemExit):
            call_command("send_pending_notifications", stdout=out)

        assert "; 4 still failing;" in out.getvalue()  # two notices, two confirmations

    def test_the_sweeper_sends_what_is_pending_once_mail_is_back(
        self, roles, recruiter, settings, mailoutbox
    ):
        settings.MAILERS = BROKEN_MAILER
        lead = submit().lead
        with pytest.raises(tasks.NotificationFailed):
            tasks.notify_lead.call(lead.pk)

        settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
        call_command("send_pending_notifications", stdout=StringIO())
        call_command("send_pending_notifications", stdout=StringIO())

        assert [m.to for m in mailoutbox] == [[recruiter.email], ["jane@acme.example"]]

    def test_the_sweeper_exits_non_zero_while_mail_is_down(self, roles, recruiter, settings):
        settings.MAILERS = BROKEN_MAILER
        submit()

        with pytest.raises(SystemExit) as exit_:
            call_command("send_pending_notifications", stdout=StringIO())
        assert exit_.value.code == 1


@pytest.mark.flushes
@pytest.mark.django_db(transaction=True)
class TestTheRealWorker:
    """Production's path: the database task queue, drained by `manage.py db_worker`
    (which manages its own connections, so this runs outside a test transaction)."""

    def test_the_worker_sends_what_the_submission_enqueued(
        self, roles, recruiter, settings, mailoutbox, django_capture_on_commit_callbacks
    ):
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
        from django_tasks_db.models import DBTaskResult

        with django_capture_on_commit_callbacks(execute=True):
            lead = submit().lead
        assert mailoutbox == []  # queued, not sent by the request
        assert DBTaskResult.objects.count() == 2

        call_command(
            "db_worker", "--batch", "--no-startup-delay", stdout=StringIO(), stderr=StringIO()
        )

        assert sorted(tuple(m.to) for m in mailoutbox) == [
            ("jane@acme.example",),
            (recruiter.email,),
        ]
        assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
        assert lead.inquiries.get().notified_at is not None


class TestWhatIsStored:
    def test_an_inquiry_keeps_what_was_typed_and_where_the_visitor_came_from(self, roles):
        context = {
            "page": "/roles/nlp-engineer/",
            "area": "41940",
            "referrer": "https://news.example/article",
            "utm_source": "newsletter",
        }
        with time_machine.travel("2026-11-02 10:00 -05:00", tick=False):
            inquiry = intake.lead_submit(
                data={**form_data(), "roles": ["nlp-engineer"], "hires": 2},
                token=FormToken.issue(context),
            )
            now = timezone.now()

        assert inquiry.submitted_at == inquiry.consent_at == now
        assert inquiry.message == "We need two NLP engineers for our support bot."
        assert (inquiry.source_page, inquiry.context_area, inquiry.referrer) == (
            "/roles/nlp-engineer/",
            "41940",
            "https://news.example/article",
        )
        assert (inquiry.utm_source, inquiry.utm_campaign) == ("newsletter", "")

    def test_nothing_known_of_the_visit_is_stored_as_empty(self, roles):
        inquiry = submit(context={})

        assert [
            inquiry.source_page,
            inquiry.context_area,
            inquiry.context_seniority,
            inquiry.referrer,
            inquiry.utm_source,
            inquiry.utm_medium,
            inquiry.utm_campaign,
        ] == [""] * 7

    def test_a_submission_that_loses_the_race_joins_the_lead_that_won(
        self, roles, recruiter, monkeypatch
    ):
        # The other submission's lead commits between this one's lookup and its insert.
        won = submit(email="same@acme.example").lead
        monkeypatch.setattr(
            intake.Lead.objects, "open_for_email", missed_once(intake.Lead.objects.open_for_email)
        )

        inquiry = submit(email="Same@Acme.example")

        assert inquiry.lead == won
        assert Lead.objects.count() == 1
        assert won.inquiries.count() == 2


def missed_once(lookup):
    """The lookup as it ran before the other submission committed: finding nothing."""
    calls = []

    def lookup_once_missing(email):
        calls.append(email)
        found = lookup(email)
        return found.none() if len(calls) == 1 else found

    return lookup_once_missing
