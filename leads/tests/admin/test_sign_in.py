"""Signing in: where recruiters land, resetting a password, what the index lists."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from leads.tests.admin.pages import BOARD, MY_WORK, text
from leads.tests.factories import UserFactory
from portal.testing import sign_in

pytestmark = pytest.mark.django_db


def test_recruiters_have_just_what_they_need_and_delete_nothing():
    group = Group.objects.get(name="Recruiters")

    codenames = set(group.permissions.values_list("codename", flat=True))
    assert codenames == {
        "view_lead",
        "change_lead",
        "erase_lead",
        "export_lead",
        "view_inquiry",
        "view_emailtemplate",
        "add_emailtemplate",
        "change_emailtemplate",
        "view_recruiterprofile",
        "change_own_profile",  # their own public profile, and the markets it names
        "view_area",
        "view_role",
    }
    assert not {c for c in codenames if c.startswith("delete_")}


PASSWORD = "a long and unusual passphrase"


class TestSignIn:
    """Both steps, password then the app's code; where each kind of staff lands."""

    @pytest.fixture(autouse=True)
    def phones(self, db):
        def give(user):
            TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
            return user

        return give

    def test_a_recruiter_lands_on_my_work(self, client, rita, phones):
        phones(rita)

        response = sign_in(client, "rita", PASSWORD, next_page="/admin/")

        assert response["Location"] == MY_WORK

    def test_a_page_asked_for_is_where_a_recruiter_lands(self, client, rita, phones):
        phones(rita)

        response = sign_in(client, "rita", PASSWORD, next_page=BOARD)

        assert response["Location"] == BOARD

    def test_an_editor_lands_on_the_index(self, client, phones):
        eddie = phones(UserFactory(username="eddie", is_staff=True))
        eddie.groups.add(Group.objects.get(name="Editors"))

        response = sign_in(client, "eddie", PASSWORD, next_page="/admin/")

        assert response["Location"] == "/admin/"

    def test_the_sign_in_page_offers_a_password_reset_by_email(self, client, mailoutbox, rita):
        page = client.get(reverse("admin:login")).content.decode()
        assert f'href="{reverse("admin_password_reset")}"' in page

        client.post(reverse("admin_password_reset"), {"email": rita.email})
        assert mailoutbox[0].subject == "Password reset on ML Talent Partners"
        assert "The ML Talent Partners team" in mailoutbox[0].body
        link = re.search(r"http://testserver(/admin/reset/\S+/)", mailoutbox[0].body)[1]
        form = client.get(link, follow=True)
        client.post(
            form.redirect_chain[-1][0],
            {
                "new_password1": "another long passphrase",
                "new_password2": "another long passphrase",
            },
        )

        rita.refresh_from_db()
        assert rita.check_password("another long passphrase")

    def test_the_staff_pages_list_the_pipeline_first(self, rita_client):
        page = text(rita_client.get(reverse("admin:index")))

        assert re.search(r"My work.*Board.*Pipeline dashboard.*Email templates.*Leads", page)
