"""The production task queue heals itself: a worker that outlives the database, tasks
a killed worker left RUNNING run again, and monitoring hears of a stuck queue."""

import logging
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import OperationalError
from django.tasks import TaskResultStatus
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, DBTaskResultQuerySet

from leads import tasks
from leads.tests.factories import LeadFactory
from portal.management.commands import run_worker
from portal.queue import QUEUE_LATE_AFTER, TASK_LEASE, reclaim_abandoned_tasks

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def queue(settings):
    settings.TASKS = DATABASE_QUEUE


def unconfirmed_lead():
    lead = LeadFactory(email="queue@acme.example")
    lead.inquiries.update(confirmation_sent_at=None)
    return lead


def left_running(result_id, *, ago: timedelta) -> None:
    """What a worker killed mid-task leaves behind."""
    DBTaskResult.objects.filter(pk=result_id).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now() - ago
    )


def test_tasks_running_past_the_lease_go_back_in_line_and_others_stay(queue):
    lead = unconfirmed_lead()
    dead = tasks.confirm_inquiries.enqueue(lead.pk)
    busy = tasks.notify_lead.enqueue(lead.pk)
    left_running(dead.id, ago=TASK_LEASE + timedelta(minutes=1))
    left_running(busy.id, ago=timedelta(minutes=1))  # a live worker on it

    assert reclaim_abandoned_tasks() == 1

    assert DBTaskResult.objects.get(pk=dead.id).status == TaskResultStatus.READY
    assert DBTaskResult.objects.get(pk=busy.id).status == TaskResultStatus.RUNNING


def test_the_sweeper_reclaims_them_too(queue):
    dead = tasks.confirm_inquiries.enqueue(unconfirmed_lead().pk)
    left_running(dead.id, ago=TASK_LEASE * 2)
    err = StringIO()

    call_command("send_pending_notifications", stdout=StringIO(), stderr=err)

    assert "Reclaimed 1 task(s) a dead worker left running." in err.getvalue()
    assert DBTaskResult.objects.get(pk=dead.id).status == TaskResultStatus.READY


@pytest.mark.flushes
@pytest.mark.django_db(transaction=True)
class TestTheWorker:
    def test_a_task_a_killed_worker_left_running_is_run_by_the_next(self, queue, mailoutbox):
        lead = unconfirmed_lead()
        dead = tasks.confirm_inquiries.enqueue(lead.pk)
        left_running(dead.id, ago=TASK_LEASE + timedelta(seconds=1))

        call_command("run_worker", "--batch", "--no-startup-delay", stdout=StringIO())

        assert DBTaskResult.objects.get(pk=dead.id).status == TaskResultStatus.SUCCESSFUL
        assert [message.to for message in mailoutbox] == [["queue@acme.example"]]

    def test_it_waits_out_a_database_outage_and_goes_on(
        self, queue, mailoutbox, monkeypatch, caplog
    ):
        lead = unconfirmed_lead()
        tasks.confirm_inquiries.enqueue(lead.pk)
        outage = iter([OperationalError("server closed the connection unexpectedly")] * 3)
        get_locked = DBTaskResultQuerySet.get_locked

        def flaky_get_locked(self):
            failure = next(outage, None)
            if failure:
                raise failure
            return get_locked(self)

        waits = []
        monkeypatch.setattr(DBTaskResultQuerySet, "get_locked", flaky_get_locked)
        monkeypatch.setattr(run_worker.time, "sleep", waits.append)

        with caplog.at_level(logging.WARNING):
            call_command("run_worker", "--batch", "--no-startup-delay", stdout=StringIO())

        assert waits == [1, 1, 1]  # the database answered each restart: no growing wait
        assert "Database unavailable (OperationalError): the worker starts again" in caplog.text
        assert [message.to for message in mailoutbox] == [["queue@acme.example"]]

    def test_while_the_database_stays_down_it_waits_longer_each_time(self, queue, monkeypatch):
        def down():
            raise OperationalError("connection refused")

        waits = []

        def sleep(seconds):
            waits.append(seconds)
            if len(waits) == 8:
                raise KeyboardInterrupt  # the operator stops it

        monkeypatch.setattr(run_worker, "reclaim_abandoned_tasks", down)
        monkeypatch.setattr(run_worker.time, "sleep", sleep)

        with pytest.raises(KeyboardInterrupt):
            call_command("run_worker", "--batch", "--no-startup-delay", stdout=StringIO())

        assert waits == [1, 2, 4, 8, 16, 32, 60, 60]


class TestDeepReadiness:
    def test_a_task_waiting_too_long_fails_the_deep_check_only(self, client, queue):
        with time_machine.travel(timezone.now() - QUEUE_LATE_AFTER - timedelta(minutes=1)):
            tasks.confirm_inquiries.enqueue(unconfirmed_lead().pk)  # and no worker took it

        deep = client.get(reverse("readyz"), {"deep": "1"})
        shallow = client.get(reverse("readyz"))

        assert deep.status_code == 503
        assert deep.json()["checks"] == {"database": "ok", "cache": "ok", "queue": "failing"}
        assert shallow.status_code == 200  # the load balancer keeps sending visitors

    def test_a_task_abandoned_mid_run_fails_it(self, client, queue):
        dead = tasks.confirm_inquiries.enqueue(unconfirmed_lead().pk)
        left_running(dead.id, ago=TASK_LEASE + timedelta(minutes=1))

        assert client.get(reverse("readyz"), {"deep": "1"}).json()["checks"]["queue"] == "failing"

    def test_a_queue_that_moves_passes(self, client, queue):
        tasks.confirm_inquiries.enqueue(unconfirmed_lead().pk)  # just now
        later = tasks.notify_lead.using(run_after=timezone.now() - timedelta(minutes=1))
        later.enqueue(1)  # a retry, due a minute ago

        response = client.get(reverse("readyz"), {"deep": "1"})

        assert response.status_code == 200
        assert response.json()["checks"]["queue"] == "ok"
