"""Emailing a lead from the portal, and staff accounts."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from leads.models import EmailTemplate
from leads.tests.admin.pages import change_url, text
from leads.tests.factories import LeadFactory, RecruiterFactory

pytestmark = pytest.mark.django_db


class TestEmailALead:
    def test_a_template_starts_the_email_and_sending_logs_it(
        self, rita_client, rita, mailoutbox, django_capture_on_commit_callbacks
    ):
        lead = LeadFactory(name="Jane Doe", email="jane@acme.example")
        url = reverse("admin:leads_lead_email", args=[lead.pk])
        template = EmailTemplate.objects.get(name="Follow-up")

        draft = rita_client.get(url, {"template": template.pk})
        assert "Hello Jane," in draft.content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            response = rita_client.post(url, {"subject": "Following up", "body": "Hello Jane"})

        assert response["Location"] == change_url(lead)
        assert (mailoutbox[0].to, mailoutbox[0].reply_to) == (["jane@acme.example"], [rita.email])
        timeline = text(rita_client.get(change_url(lead)))
        assert "Emailed: Following up Rita Moreno" in timeline
        assert "sent Nov 2, 10:00" in timeline

    def test_an_empty_email_is_refused_with_what_was_typed(self, rita_client):
        lead = LeadFactory()
        url = reverse("admin:leads_lead_email", args=[lead.pk])

        response = rita_client.post(url, {"subject": "  ", "body": "Keep this text"})

        assert response.status_code == 200
        assert "Write a subject." in response.content.decode()
        assert "Keep this text" in response.content.decode()
        assert not lead.activities.exists()

    def test_a_placeholder_left_in_the_email_is_refused_before_it_reaches_the_client(
        self, rita_client, mailoutbox
    ):
        lead = LeadFactory()
        url = reverse("admin:leads_lead_email", args=[lead.pk])

        response = rita_client.post(
            url, {"subject": "Your hires", "body": "Dear {{ first_name }}, about {{role}}"}
        )

        assert response.status_code == 200
        assert "Replace {{ first_name }}, {{role}} with what it stands for before sending" in text(
            response
        )
        assert "Dear {{ first_name }}" in response.content.decode()  # kept as typed
        assert mailoutbox == []

    def test_templates_with_unknown_placeholders_cannot_be_saved(self, rita_client):
        response = rita_client.post(
            reverse("admin:leads_emailtemplate_add"),
            {"name": "Bad", "subject": "Hi", "body": "Dear {{ password }}", "position": "5"},
        )

        assert "Unknown placeholder {{ password }}" in text(response)
        assert not EmailTemplate.objects.filter(name="Bad").exists()


class TestPeople:
    def test_joining_a_staff_group_makes_a_user_staff(self, admin_client, django_user_model):
        user = django_user_model.objects.create_user("newbie", password="a long passphrase here")
        url = reverse("admin:auth_user_change", args=[user.pk])
        page = admin_client.get(url)
        data = {
            key: value
            for key, value in page.context["adminform"].form.initial.items()
            if value is not None and key not in ("password", "groups", "user_permissions")
        }
        data.update(
            {
                "groups": [Group.objects.get(name="Recruiters").pk],
                "is_active": "on",
                "date_joined_0": "2026-11-02",
                "date_joined_1": "10:00:00",
            }
        )
        data.pop("last_login", None)

        response = admin_client.post(url, data, follow=True)

        user.refresh_from_db()
        assert user.is_staff
        page = text(response)
        assert "Newbie is in Recruiters, so they were made staff" in page
        assert "Newbie has no email address" in page


def test_back_then_send_again_sends_one_email(
    rita_client, mailoutbox, django_capture_on_commit_callbacks
):
    lead = LeadFactory(contacted=True)
    url = reverse("admin:leads_lead_email", args=[lead.pk])
    key = re.search(r'name="key" value="([^"]+)"', rita_client.get(url).content.decode())[1]
    form = {"subject": "Following up", "body": "Hello", "key": key}

    with django_capture_on_commit_callbacks(execute=True):
        rita_client.post(url, form)
        again = rita_client.post(url, form, follow=True)

    assert len(mailoutbox) == 1
    assert "That email was sent already" in text(again)
    assert lead.activities.filter(kind="email").count() == 1


def test_someone_leaving_the_recruiters_with_open_leads_is_flagged(admin_client):
    rob = RecruiterFactory(username="rob", first_name="Rob", last_name="Okafor")
    LeadFactory.create_batch(2, assigned_to=rob)
    url = reverse("admin:auth_user_change", args=[rob.pk])
    page = admin_client.get(url)
    data = {
        key: value
        for key, value in page.context["adminform"].form.initial.items()
        if value is not None
        and value is not False
        and key not in ("password", "groups", "user_permissions", "last_login", "date_joined")
    }
    data.update({"date_joined_0": "2026-11-02", "date_joined_1": "10:00:00"})  # no groups now

    response = admin_client.post(url, data, follow=True)

    page = text(response)
    assert "Rob Okafor still holds 2 open lead(s) but can no longer work them" in page
    assert "Rob Okafor is in no staff group but is still staff" in page


def save_user(client, user, *, groups=(), **flags):
    """Save the user's admin page as a superuser would, with these groups and flags."""
    url = reverse("admin:auth_user_change", args=[user.pk])
    initial = client.get(url).context["adminform"].form.initial
    data = {
        key: value
        for key, value in initial.items()
        if key in ("username", "first_name", "last_name", "email") and value
    }
    data.update({"date_joined_0": "2026-11-02", "date_joined_1": "10:00:00"})
    data["groups"] = [Group.objects.get(name=name).pk for name in groups]
    for flag in ("is_active", "is_staff", "is_superuser"):
        if flags.get(flag, getattr(user, flag)):
            data[flag] = "on"
    response = client.post(url, data, follow=True)
    return [str(message) for message in response.context["messages"]]


@pytest.mark.parametrize(
    ("fields", "groups", "flags", "said"),
    [
        (
            {"email": "ann@agency.example"},
            ["Recruiters"],
            {},
            ["Ann Lee is in Recruiters, so they were made staff: they can now sign in here."],
        ),
        (
            {"email": ""},
            ["Recruiters", "Editors"],
            {"is_staff": True},
            ["Ann Lee has no email address: they will get no notifications or daily digest."],
        ),
        (
            {"email": "ann@agency.example"},
            ["Editors"],
            {"is_staff": True, "is_active": False},
            ["Ann Lee is inactive: they cannot sign in and get no leads."],
        ),
        (
            {"email": "ann@agency.example"},
            [],
            {"is_staff": True},
            [
                "Ann Lee is in no staff group but is still staff: they can sign in to an empty "
                "admin. Untick “Staff status” if they should not."
            ],
        ),
        ({"email": "ann@agency.example"}, [], {"is_staff": True, "is_superuser": True}, []),
        ({"email": "ann@agency.example"}, [], {}, []),
    ],
)
def test_saving_a_user_says_what_they_can_and_cannot_do(
    admin_client, django_user_model, fields, groups, flags, said
):
    ann = django_user_model.objects.create_user(
        "ann", first_name="Ann", last_name="Lee", password="a long passphrase here", **fields
    )

    messages = save_user(admin_client, ann, groups=groups, **flags)

    assert [m for m in messages if "was changed successfully" not in m] == said
    ann.refresh_from_db()
    assert ann.is_staff == bool(groups or flags.get("is_staff"))


def test_the_leads_of_someone_who_can_no_longer_work_them_are_linked_for_reassigning(
    admin_client,
):
    rob = RecruiterFactory(username="rob", first_name="Rob", last_name="Okafor")
    LeadFactory.create_batch(2, assigned_to=rob)
    LeadFactory(won=True, assigned_to=rob)  # closed: nothing to reassign

    messages = save_user(admin_client, rob, groups=["Editors"])

    held = [m for m in messages if "still holds" in m]
    assert held == [
        "Rob Okafor still holds 2 open lead(s) but can no longer work them: "
        '<a href="/admin/leads/lead/?assigned_to__id__exact='
        f'{rob.pk}&amp;stage__in=new,contacted,qualified,proposal">reassign them</a>.'
    ]
    assert "still holds" not in " ".join(save_user(admin_client, rob, groups=["Recruiters"]))
