"""The daily digest: My work by email, once a day, only when there is something to say."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from leads import tasks
from leads.models import RecruiterProfile
from leads.tests.factories import LeadFactory, RecruiterFactory

pytestmark = pytest.mark.django_db

BROKEN_MAILER = {"default": {"BACKEND": "leads.tests.backends.UnreachableEmailBackend"}}


@pytest.fixture
def morning():
    with time_machine.travel("2026-11-04 07:30 -05:00", tick=False) as traveller:
        yield traveller


def send_digests() -> str:
    out = StringIO()
    call_command("send_digests", stdout=out)
    return out.getvalue()


def test_each_recruiter_gets_their_own_work(morning, mailoutbox):
    rita = RecruiterFactory(first_name="Rita")
    bob = RecruiterFactory(first_name="Bob")
    LeadFactory(overdue=True, assigned_to=rita, name="Jane Doe", company="Acme Robotics")
    LeadFactory(assigned_to=rita, name="New Person", company="Newco")
    LeadFactory(overdue=True, assigned_to=bob, name="Bobs Lead", company="Bobco")

    assert "Digests queued for 2 recruiter(s)." in send_digests()

    by_person = {message.to[0]: message for message in mailoutbox}
    ritas = by_person[rita.email]
    assert ritas.subject == "Your leads today: 1 overdue, 0 due today, 1 new | ML Talent Partners"
    assert "Hello Rita," in ritas.body
    overdue = LeadFactory._meta.model.objects.get(name="Jane Doe")
    assert (
        "OVERDUE (1)\n- Jane Doe, Acme Robotics: Call to qualify (was due Nov 3, 07:30)\n"
        f"  http://127.0.0.1:8000/admin/leads/lead/{overdue.pk}/change/"
    ) in ritas.body
    assert "NEW LEADS (1)\n- New Person, Newco" in ritas.body
    assert "Bobs Lead" not in ritas.body
    assert "/admin/leads/lead/my-work/" in ritas.body
    assert f'/admin/leads/lead/{overdue.pk}/change/">Jane Doe, Acme Robotics</a>' in (
        ritas.alternatives[0].content
    )
    assert "Bobs Lead" in by_person[bob.email].body


def test_no_digest_when_there_is_nothing_to_say(morning, mailoutbox):
    rita = RecruiterFactory()
    LeadFactory(contacted=True, assigned_to=rita)  # next step due tomorrow: in hand

    send_digests()

    assert mailoutbox == []


def test_one_digest_a_day_and_another_the_next_morning(morning, mailoutbox):
    rita = RecruiterFactory()
    LeadFactory(overdue=True, assigned_to=rita)

    send_digests()
    send_digests()
    assert len(mailoutbox) == 1

    morning.shift(timedelta(days=1))
    send_digests()
    assert len(mailoutbox) == 2
    assert RecruiterProfile.objects.get(user=rita).digest_sent_on.isoformat() == "2026-11-05"


def test_a_failed_digest_is_tried_again_later_that_day(morning, settings, mailoutbox):
    rita = RecruiterFactory()
    LeadFactory(overdue=True, assigned_to=rita)
    settings.MAILERS = BROKEN_MAILER

    with pytest.raises(tasks.NotificationFailed):
        tasks.send_digest.call(rita.pk)

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert tasks.send_digest.call(rita.pk) == 1
    assert len(mailoutbox) == 1


def test_no_digest_for_someone_who_cannot_sign_in_or_has_no_email(morning, mailoutbox):
    gone = RecruiterFactory(is_active=False)
    silent = RecruiterFactory(email="")
    for user in (gone, silent):
        LeadFactory(overdue=True, assigned_to=user)

    assert tasks.send_digest.call(gone.pk) == 0
    assert tasks.send_digest.call(silent.pk) == 0
    assert mailoutbox == []
