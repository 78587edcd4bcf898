"""Staff sign-in in two steps: the password, then an authenticator app's code or a
recovery code. Set up at the first sign-in; wrong codes slow the next attempt."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from leads.tests.factories import RecruiterFactory
from portal.checks import check_staff_second_factor
from portal.testing import current_code, sign_in

pytestmark = pytest.mark.django_db

PASSWORD = "a long and unusual passphrase"
LOGIN = reverse("admin:login")
VERIFY = reverse("admin:two_factor_verify")
SETUP = reverse("admin:two_factor_setup")
LEADS = reverse("admin:leads_lead_changelist")


@pytest.fixture
def rita(db):
    return RecruiterFactory(username="rita")


@pytest.fixture
def phone(rita):
    return TOTPDevice.objects.create(user=rita, name="Phone", confirmed=True)


def password_only(client, username="rita", **extra):
    return client.post(LOGIN, {"username": username, "password": PASSWORD}, **extra)


def codes_on(page) -> list[str]:
    return re.findall(r"<li><code>(\w+)</code></li>", page.content.decode())


class TestThePasswordAlone:
    def test_leads_to_the_second_step_and_opens_nothing(self, client, phone):
        response = password_only(client)

        assert response["Location"] == VERIFY
        assert client.get(LEADS)["Location"] == f"{LOGIN}?next={LEADS}"
        assert (
            client.get(f"{LOGIN}?next={LEADS}")["Location"]
            == f"{VERIFY}?next=%2Fadmin%2Fleads%2Flead%2F"
        )

    def test_cannot_set_up_a_new_app_over_an_existing_one(self, client, phone):
        password_only(client)

        assert client.get(SETUP)["Location"] == VERIFY
        assert client.get(reverse("admin:two_factor_qr_code")).status_code == 403
        assert TOTPDevice.objects.filter(user=phone.user).count() == 1


class TestHalfWayThrough:
    def test_a_staff_member_can_sign_out(self, client, phone):
        password_only(client)
        assert "Sign out" in client.get(VERIFY).content.decode()

        client.post(reverse("admin:logout"))

        assert "_auth_user_id" not in client.session
        assert client.get(LOGIN).status_code == 200  # the password step, for anyone

    def test_a_typo_at_set_up_says_to_wait_rather_than_refusing_the_right_code(self, client, rita):
        password_only(client)
        client.get(SETUP)
        pending = TOTPDevice.objects.get(user=rita)
        with time_machine.travel(timezone.now(), tick=False):
            client.post(SETUP, {"code": "123456"})

            response = client.post(SETUP, {"code": current_code(pending)})

        assert "Too many wrong codes: wait 1 second and try again." in response.content.decode()


class TestTheSecondStep:
    def test_the_apps_code_opens_the_admin_where_the_recruiter_was_going(self, client, phone):
        response = sign_in(client, "rita", PASSWORD, next_page=LEADS)

        assert response["Location"] == LEADS
        assert client.get(LEADS).status_code == 200

    def test_a_wrong_code_says_so_and_keeps_the_step(self, client, phone):
        password_only(client)

        response = client.post(VERIFY, {"code": "000000"})

        assert response.status_code == 200
        assert "That code is not right" in response.content.decode()
        assert client.get(LEADS).status_code == 302

    def test_a_code_is_good_once(self, client, phone):
        with time_machine.travel(timezone.now(), tick=False):
            code = current_code(phone)
            password_only(client)
            client.post(VERIFY, {"code": code})
            client.post(reverse("admin:logout"))
            password_only(client)

            response = client.post(VERIFY, {"code": code})

        assert "has been used" in response.content.decode()

    def test_wrong_codes_lock_the_step_for_longer_each_time(self, client, phone):
        with time_machine.travel("2026-11-28 10:00 +00:00", tick=False) as clock:
            password_only(client)
            for _ in range(4):
                clock.shift(timedelta(seconds=10))
                client.post(VERIFY, {"code": "000000"})

            locked = client.post(VERIFY, {"code": current_code(phone)})  # right, but too soon
            clock.shift(timedelta(seconds=9))
            again = client.post(VERIFY, {"code": current_code(phone)})

        assert locked.status_code == 429
        assert "Too many wrong codes: wait 8 seconds and try again." in locked.content.decode()
        assert again.status_code == 302

    def test_somewhere_else_is_never_where_it_leads(self, client, phone):
        response = sign_in(client, "rita", PASSWORD, next_page="https://evil.example/")

        assert response["Location"] == reverse("admin:leads_lead_my_work")


class TestFirstSignIn:
    def test_sets_up_the_app_and_hands_out_recovery_codes_once(self, client, rita):
        password_only(client)
        assert client.get(VERIFY)["Location"] == SETUP

        page = client.get(SETUP)
        qr_code = client.get(reverse("admin:two_factor_qr_code"))
        pending = TOTPDevice.objects.get(user=rita, confirmed=False)
        with time_machine.travel(timezone.now(), tick=False) as clock:
            wrong = client.post(SETUP, {"code": "123456"})
            clock.shift(timedelta(seconds=2))  # a mistyped code slows the next by a second
            done = client.post(SETUP, {"code": current_code(pending)})

        assert re.search(
            r'<code class="two-factor-key">(<span>\w{4}</span> )+<span>\w{1,4}</span>', page.text
        )
        assert 'href="otpauth://totp/ML%20Talent%20Partners%3Arita?secret=' in page.text
        assert qr_code["Content-Type"] == "image/svg+xml"
        assert qr_code.content.startswith(b"<svg")
        assert "That code is not right" in wrong.content.decode()
        assert len(set(codes_on(done))) == 10
        assert TOTPDevice.objects.get(user=rita).confirmed
        assert client.get(LEADS).status_code == 200
        assert client.get(SETUP).status_code == 200  # signed in fully: may replace the app

    def test_a_recovery_code_signs_in_once_and_says_how_many_are_left(self, client, rita):
        password_only(client)
        client.get(SETUP)
        done = client.post(SETUP, {"code": current_code(TOTPDevice.objects.get(user=rita))})
        recovery = codes_on(done)[0]
        client.post(reverse("admin:logout"))

        password_only(client)
        first = client.post(VERIFY, {"code": recovery}, follow=True)
        client.post(reverse("admin:logout"))
        password_only(client)
        second = client.post(VERIFY, {"code": recovery})

        assert "You signed in with a recovery code; 9 left." in first.content.decode()
        assert "That code is not right" in second.content.decode()

    def test_new_recovery_codes_void_the_old(self, client, phone):
        sign_in(client, "rita", PASSWORD)
        old = codes_on(client.post(reverse("admin:two_factor_recovery_codes")))

        new = codes_on(client.post(reverse("admin:two_factor_recovery_codes")))

        assert set(StaticToken.objects.values_list("token", flat=True)) == set(new)
        assert not set(old) & set(new)


class TestTheDeployCheck:
    def test_names_the_staff_without_a_second_factor(self, phone):
        RecruiterFactory(username="zoe")

        warnings = check_staff_second_factor(None, databases=["default"])

        assert [warning.id for warning in warnings] == ["portal.W009"]
        assert "zoe" in warnings[0].msg
        assert "rita" not in warnings[0].msg

    def test_passes_once_everyone_has_one(self, phone):
        assert check_staff_second_factor(None, databases=["default"]) == []

    def test_fails_the_deploy_command(self, rita, settings):
        with pytest.raises(SystemCheckError, match=r"portal\.W009"):
            call_command(
                "check",
                "--deploy",
                "--database",
                "default",
                "--fail-level",
                "WARNING",
                "--tag",
                "database",
            )


def a_passkey(user):
    from django_otp_webauthn.models import WebAuthnCredential

    return WebAuthnCredential.objects.create(
        user=user, name="Laptop", credential_id=b"\x01" * 16, public_key=b"\x02" * 32
    )


class TestTheTwoStepPage:
    def test_needs_the_second_step_first(self, client, phone):
        password_only(client)

        response = client.get(reverse("admin:two_factor_manage"))

        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)

    def test_lists_the_app_passkeys_and_recovery_codes_left(self, client, rita):
        password_only(client)
        client.get(SETUP)
        client.post(SETUP, {"code": current_code(TOTPDevice.objects.get(user=rita))})
        a_passkey(rita)

        page = client.get(reverse("admin:two_factor_manage")).content.decode()
        index = client.get(reverse("admin:index")).content.decode()

        assert "Set up a new phone" in page
        assert "Laptop, added" in page
        assert "10 unused." in page
        assert 'id="passkey-register-button"' in page
        assert f'href="{reverse("admin:two_factor_manage")}">Two-step sign-in</a>' in index

    def test_the_second_step_offers_a_passkey_to_who_has_one(self, client, phone):
        password_only(client)
        without = client.get(VERIFY).content.decode()
        a_passkey(phone.user)

        with_one = client.get(VERIFY).content.decode()

        assert 'id="passkey-verification-button"' not in without
        assert 'id="passkey-verification-button"' in with_one
        assert 'value="/admin/leads/lead/my-work/"' in with_one  # where the passkey leads

    def test_a_passkey_alone_is_a_second_factor_for_the_deploy_check(self, rita):
        a_passkey(rita)

        assert check_staff_second_factor(None, databases=["default"]) == []


class TestALostPhone:
    def test_the_users_action_resets_every_second_factor(self, admin_client, rita):
        TOTPDevice.objects.create(user=rita, name="Phone", confirmed=True)
        a_passkey(rita)
        from portal.two_factor import new_recovery_codes

        new_recovery_codes(rita)

        response = admin_client.post(
            reverse("admin:auth_user_changelist"),
            {"action": "reset_two_step_sign_in", "_selected_action": [rita.pk]},
            follow=True,
        )

        assert "Two-step sign-in reset for" in response.content.decode()
        assert not TOTPDevice.objects.filter(user=rita).exists()
        assert not StaticToken.objects.filter(device__user=rita).exists()
        assert not rita.webauthncredential_set.exists()

    def test_nobody_reads_a_colleagues_app_key_in_the_admin(self, admin_client, phone):
        assert admin_client.get("/admin/otp_totp/totpdevice/").status_code == 404
        assert "OTP_TOTP" not in admin_client.get(reverse("admin:index")).content.decode()
