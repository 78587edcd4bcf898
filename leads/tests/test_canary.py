"""A canary person taken through every path that touches personal data, on the
production task queue and with a mail server that quotes addresses in its
refusals; after erasure no table, task row or log line may still name them."""

import logging
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from leads.models import Lead, LostReason, Stage
from leads.services.pipeline import LeadChanges, lead_apply, lead_send_email
from leads.tests.admin.pages import CHANGELIST, action
from leads.tests.conftest import form_data
from leads.tests.factories import RecruiterFactory
from leads.tests.test_privacy import traces

CANARY = {
    "name": "Ottoline Wrexhamshire",
    "email": "ottoline.canary@wrexcorp.example",
    "phone": "+1 555 0142 777",
    "company": "Wrexcorp Holdings",
    "job_title": "Head of Wrexing",
    "location": "Wrexville, OR",
    "message": "Ask for Ottoline, her direct line is +1 555 0142 777",
}
# What must be gone: each value typed, and the telling parts of them.
TRACES = [*CANARY.values(), "Ottoline", "Wrexhamshire", "wrexcorp", "0142"]


def run_the_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO(), stderr=StringIO())


@pytest.mark.flushes
@pytest.mark.django_db(transaction=True)
def test_after_erasure_the_canary_is_nowhere(client, roles, settings, caplog, smtp_server):
    caplog.set_level(logging.DEBUG)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.LEADS_NOTIFY_EMAIL = "leads@agency.example"
    from django_tasks_db.models import DBTaskResult

    recruiter = RecruiterFactory(username="rita")
    # Every send fails for now, the mail server quoting the address it refuses.
    for address in (CANARY["email"], recruiter.email, settings.LEADS_NOTIFY_EMAIL):
        smtp_server.refuse(address, 451)
    # The employer asks; the notification and confirmation fail on the worker.
    assert client.post("/contact/", form_data(**CANARY)).status_code == 302
    run_the_worker()
    # The recruiter works the lead: finds it by email, notes, a next step, an email, a loss.
    client.force_login(recruiter)
    assert CANARY["name"] in client.get(CHANGELIST, {"q": CANARY["email"]}).content.decode()
    lead = Lead.objects.get()
    lead_apply(
        lead=lead,
        by=recruiter,
        changes=LeadChanges(
            note="Ottoline prefers mornings",
            next_step="Call Ottoline back",
            next_step_due_at=timezone.now() + timedelta(days=1),
        ),
    )
    lead_send_email(lead=lead, by=recruiter, subject="Ottoline, your hires", body="Dear Ottoline")
    run_the_worker()
    lead.move_to(
        Stage.LOST, by=recruiter, lost_category=LostReason.OTHER, reason="Ottoline went elsewhere"
    )
    export = action(client, "export_personal_data", [lead])
    assert CANARY["email"] in export.content.decode()
    assert DBTaskResult.objects.filter(status="FAILED").count() == 3
    assert len(traces("Ottoline")) >= 5  # the scan finds what is there

    action(client, "erase_personal_data", [lead], apply="1")
    call_command("send_pending_notifications", stdout=StringIO(), stderr=StringIO())

    for value in TRACES:
        assert traces(value) == [], value
        assert value.lower() not in caplog.text.lower(), value
