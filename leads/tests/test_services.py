from datetime import timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, models, transaction
from django.tasks import default_task_backend
from django.utils import timezone

from leads import services, tasks
from leads.forms import FormToken
from leads.models import Inquiry, Lead, RecruiterProfile, SpamReason, Stage, StageChange
from leads.tests.conftest import form_data
from roles.models import RoleFamily

pytestmark = pytest.mark.django_db

BROKEN_MAILER = {"default": {"BACKEND": "leads.tests.backends.UnreachableEmailBackend"}}


def submit(*, email="jane@acme.example", roles=("nlp-engineer",), context=None, spam=""):
    data = {**form_data(email=email), "roles": list(roles), "hires": 2}
    token = FormToken.issue(context or {})
    return services.lead_submit(data=data, token=token, spam_reason=spam)


class TestRouting:
    def test_round_robin_among_active_recruiters(self, roles, make_recruiter):
        ann, bob, cat = make_recruiter("ann"), make_recruiter("bob"), make_recruiter("cat")
        make_recruiter("dan", is_active=False)

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

    def test_no_recruiter_leaves_the_lead_unassigned_but_stored(self, roles):
        lead = submit().lead

        assert lead.assigned_to is None
        assert Lead.objects.count() == 1


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

    def test_a_closed_lead_does_not_absorb_a_new_request(self, roles):
        first = submit()
        first.lead.move_to(Stage.LOST, by=None, reason="Hired in-house")

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
        assert (spam.is_spam, spam.assigned_to) == (True, None)
        assert callbacks == []
        assert mailoutbox == []


class TestPipeline:
    def test_move_to_records_who_when_and_the_first_response(self, roles, recruiter):
        lead = submit().lead

        lead.move_to(Stage.CONTACTED, by=recruiter)
        responded = lead.first_response_at
        lead.move_to(Stage.QUALIFIED, by=recruiter)

        history = list(lead.stage_changes.values_list("from_stage", "to_stage", "changed_by"))
        assert history == [
            (Stage.NEW, Stage.CONTACTED, recruiter.pk),
            (Stage.CONTACTED, Stage.QUALIFIED, recruiter.pk),
        ]
        assert lead.first_response_at == responded
        assert lead.first_response_time > timedelta(0)

    def test_lost_needs_a_reason(self, roles):
        lead = submit().lead

        with pytest.raises(ValidationError):
            lead.move_to(Stage.LOST, by=None, reason="  ")
        assert StageChange.objects.count() == 0

    def test_the_database_refuses_a_lost_lead_without_a_reason(self, roles):
        lead = submit().lead

        with pytest.raises(IntegrityError), transaction.atomic():
            Lead.objects.filter(pk=lead.pk).update(stage=Stage.LOST, lost_reason="")

    def test_stale_leads_are_open_ones_without_recent_activity(self, roles, settings):
        settings.LEADS_STALE_AFTER_DAYS = 3
        quiet, busy, closed = (
            submit().lead,
            submit(email="b@x.example").lead,
            submit(email="c@y.example").lead,
        )
        closed.move_to(Stage.WON, by=None)
        old = timezone.now() - timedelta(days=4)
        Lead.objects.filter(pk__in=[quiet.pk, closed.pk]).update(last_activity_at=old)

        assert list(Lead.objects.stale()) == [quiet]
        quiet.refresh_from_db()
        assert quiet.is_stale
        assert not busy.is_stale

    def test_a_note_counts_as_activity(self, roles, recruiter):
        lead = submit().lead
        Lead.objects.filter(pk=lead.pk).update(last_activity_at=timezone.now() - timedelta(days=9))

        services.lead_add_note(lead=lead, author=recruiter, text="Called, left a message")

        lead.refresh_from_db()
        assert lead.last_activity_at > timezone.now() - timedelta(minutes=1)

    def test_str_never_shows_personal_data(self, roles):
        lead = submit().lead

        assert str(lead) == f"Lead #{lead.pk}"
        assert str(lead.inquiries.get()) == f"Inquiry #{lead.inquiries.get().pk}"


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

    def test_the_employer_gets_a_confirmation_without_tracking(self, roles, mailoutbox):
        lead = submit().lead

        tasks.confirm_inquiries.call(lead.pk)
        tasks.confirm_inquiries.call(lead.pk)

        assert len(mailoutbox) == 1
        message = mailoutbox[0]
        assert message.to == ["jane@acme.example"]
        assert "Natural Language Processing Engineer" in message.body
        assert "within one business day" in message.body
        html = message.alternatives[0].content
        assert "<img" not in html
        assert "Hello Jane Doe" in html

    def test_markup_in_a_name_is_escaped_in_the_html_email(self, roles, recruiter, mailoutbox):
        data = {**form_data(name="<script>alert(1)</script>"), "roles": [], "hires": 1}
        lead = services.lead_submit(data=data, token=FormToken.issue({})).lead

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

        lead = submit().lead
        for attempt in (1, 2):
            with (
                django_capture_on_commit_callbacks(execute=True),
                pytest.raises(tasks.NotificationFailed),
            ):
                tasks.notify_lead.call(lead.pk)
            retry = DBTaskResult.objects.order_by("-enqueued_at").first()
            delay = retry.run_after - timezone.now()
            assert timedelta(minutes=2**attempt - 1) < delay <= timedelta(minutes=2**attempt)
            assert retry.args_kwargs["args"] == [lead.pk]

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


PERSON = {
    "name": "Zebulon Quaxley",
    "email": "zebulon.quaxley@quaxcorp.example",
    "phone": "+1 555 0199 321",
    "company": "Quaxcorp Industries",
    "job_title": "Chief Quaxing Officer",
    "location": "Quaxville, ND",
    "message": "Call Zebulon on his private line",
}


def _text_columns():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.CharField | models.TextField) and field.concrete:
                yield model, field.name


def _traces(value: str) -> list[str]:
    return [
        f"{model._meta.label}.{name}"
        for model, name in _text_columns()
        if model.objects.filter(**{f"{name}__icontains": value}).exists()
    ]


class TestErasure:
    def test_erasing_leaves_no_trace_in_any_text_column(self, roles, recruiter, admin_client):
        data = {
            **form_data(**PERSON),
            "roles": ["nlp-engineer"],
            "hires": 3,
        }
        lead = services.lead_submit(data=data, token=FormToken.issue({})).lead
        services.lead_add_note(lead=lead, author=recruiter, text="Zebulon prefers mornings")
        LogEntry.objects.log_actions(
            user_id=recruiter.pk, queryset=[lead], action_flag=CHANGE, change_message="Zebulon"
        )
        assert _traces("Zebulon")  # the scan finds what is there

        services.lead_erase(lead=lead)

        for value in PERSON.values():
            assert _traces(value) == [], value
        assert _traces("quaxcorp") == []
        lead.refresh_from_db()
        assert lead.erased_at is not None
        assert Lead.objects.count() == 1  # still counted
        inquiry = lead.inquiries.get()
        assert (inquiry.hires, list(inquiry.roles.values_list("slug", flat=True))) == (
            3,
            ["nlp-engineer"],
        )
        assert not LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Lead), object_id=str(lead.pk)
        ).exists()

    def test_personal_data_export_holds_everything_about_the_person(self, roles):
        first = submit(email=PERSON["email"]).lead
        first.move_to(Stage.LOST, by=None, reason="Budget")
        submit(email=PERSON["email"])

        export = services.lead_personal_data(email=PERSON["email"].upper())

        assert export.count('"email": "zebulon.quaxley@quaxcorp.example"') == 2
        assert "Natural Language Processing Engineer" in export
        assert "We need two NLP engineers" in export

    def test_purge_erases_old_closed_leads_and_keeps_recent_ones(self, roles):
        old, recent, open_old = (
            submit().lead,
            submit(email="r@x.example").lead,
            submit(email="o@y.example").lead,
        )
        for lead in (old, recent):
            lead.move_to(Stage.WON, by=None)
        Lead.objects.filter(pk__in=[old.pk, open_old.pk]).update(
            created_at=timezone.now() - timedelta(days=400)
        )

        call_command("purge_leads", "--older-than", "365", stdout=StringIO())

        erased = set(Lead.objects.filter(erased_at__isnull=False).values_list("pk", flat=True))
        assert erased == {old.pk}
        assert Lead.objects.count() == 3

    def test_purge_spam_deletes_old_quarantined_submissions(self, roles):
        old_spam = submit(spam=SpamReason.HONEYPOT).lead
        new_spam = submit(spam=SpamReason.TOO_FAST).lead
        Lead.objects.filter(pk=old_spam.pk).update(created_at=timezone.now() - timedelta(days=40))

        call_command("purge_leads", "--older-than", "30", "--spam", stdout=StringIO())

        assert list(Lead.objects.values_list("pk", flat=True)) == [new_spam.pk]


def test_csv_cells_cannot_run_as_formulas():
    for dangerous in ["=1+2", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"]:
        assert services.csv_cell(dangerous) == f"'{dangerous}"
    assert services.csv_cell("Acme") == "Acme"
    assert services.csv_cell(None) == ""


def test_csv_export_neutralises_formulas(roles):
    services.lead_submit(
        data={
            **form_data(name='=HYPERLINK("http://evil.example","x")', company="@Acme"),
            "roles": [],
            "hires": 1,
        },
        token=FormToken.issue({}),
    )

    text = services.leads_csv(Lead.objects.all())

    assert "'=HYPERLINK" in text
    assert ",'@Acme," in text


class TestDashboardFigures:
    def test_figures_from_known_leads(self, roles):
        now = timezone.now()
        leads = [submit(email=f"p{i}@c{i}.example").lead for i in range(5)]
        spam = submit(spam=SpamReason.HONEYPOT).lead
        for lead, hours in zip(leads[:3], (1, 3, 8), strict=True):
            Lead.objects.filter(pk=lead.pk).update(created_at=now - timedelta(hours=hours + 1))
            lead.refresh_from_db()
            lead.move_to(Stage.CONTACTED, by=None)
            Lead.objects.filter(pk=lead.pk).update(first_response_at=now - timedelta(hours=1))
        leads[0].move_to(Stage.WON, by=None)
        leads[1].move_to(Stage.LOST, by=None, reason="Too expensive")
        leads[2].move_to(Stage.WON, by=None)
        Lead.objects.filter(pk=leads[4].pk).update(created_at=now - timedelta(days=20))

        figures = services.pipeline_figures(now=now)

        assert dict(figures["stages"]) == {
            "New": 2,
            "Contacted": 0,
            "Qualified": 0,
            "Proposal": 0,
            "Won": 2,
            "Lost": 1,
        }
        assert figures["total"] == 5
        assert figures["new_this_week"] == 4
        assert figures["median_first_response"] == timedelta(hours=3)
        assert figures["conversion"] == pytest.approx(2 / 3)
        assert sum(week["count"] for week in figures["weeks"]) == 5
        assert figures["weeks"][-1]["count"] >= 4
        assert len(figures["chart"]["bars"]) == 12
        assert spam.is_spam


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
