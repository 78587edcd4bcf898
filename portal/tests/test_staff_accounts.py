import time
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal import checks
from portal.middleware import SessionTimeoutMiddleware
from portal.net import client_ip
from portal.testing import sign_in as two_steps

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def staff(django_user_model):
    user = django_user_model.objects.create_user(
        username="recruiter", password=PASSWORD, is_staff=True
    )
    TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    return user


def sign_in(client, password, **extra):
    """Both steps, the second when the password was right: the last answer."""
    return two_steps(client, "recruiter", password, **extra)


def test_five_failures_lock_the_username_and_address_out_with_429(client, staff):
    for _ in range(4):
        assert sign_in(client, "wrong password").status_code == 200
    assert sign_in(client, "wrong password").status_code == 429

    response = sign_in(client, PASSWORD)

    assert response.status_code == 429
    assert b"Too many sign-in attempts" in response.content
    assert b"from your network is paused for 15 minutes" in response.content
    assert response["Retry-After"] == "900"
    assert "_auth_user_id" not in client.session


@pytest.fixture
def hashes(monkeypatch):
    """Counts the password checks: each costs a deliberately slow hash."""
    from django.contrib.auth.backends import ModelBackend

    checked = []
    authenticate = ModelBackend.authenticate

    def counted(self, request, username=None, password=None, **kwargs):
        checked.append(username)
        return authenticate(self, request, username=username, password=password, **kwargs)

    monkeypatch.setattr(ModelBackend, "authenticate", counted)
    return checked


def guess(client, number: int, address: str = "192.0.2.1"):
    return client.post(
        reverse("admin:login"),
        {"username": f"guess{number}", "password": "x"},
        REMOTE_ADDR=address,
    )


def test_random_usernames_from_one_address_are_paused_before_any_hash(client, hashes, settings):
    for number in range(settings.SIGN_IN_RATE_LIMIT):
        assert guess(client, number).status_code == 200

    response = guess(client, 99)

    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "Too many sign-in attempts from your network" in response.content.decode()
    assert "Your password was not checked" in response.content.decode()
    assert len(hashes) == settings.SIGN_IN_RATE_LIMIT  # the 11th was never hashed
    assert guess(client, 100, address="192.0.2.2").status_code == 200  # others go on


def test_many_addresses_together_are_paused_by_the_overall_budget(client, hashes, settings):
    for number in range(settings.SIGN_IN_GLOBAL_RATE_LIMIT):
        assert guess(client, number, address=f"198.51.100.{number}").status_code == 200

    response = guess(client, 99, address="203.0.113.50")

    assert response.status_code == 429
    assert "on the portal right now" in response.content.decode()
    assert len(hashes) == settings.SIGN_IN_GLOBAL_RATE_LIMIT


def test_a_browser_that_signed_in_before_is_not_paused_by_a_flood(client, staff, settings):
    assert sign_in(client, PASSWORD).status_code == 302  # both steps, a week ago
    client.get(reverse("admin:index"))  # a verified page marks this browser
    assert client.cookies[settings.STAFF_DEVICE_COOKIE]["httponly"]
    client.post(reverse("admin:logout"))
    stranger = Client()
    for number in range(settings.SIGN_IN_GLOBAL_RATE_LIMIT):
        guess(stranger, number, address=f"198.51.100.{number}")

    paused = guess(Client(), 99, address="203.0.113.50")
    known = client.post(
        reverse("admin:login"),
        {"username": "recruiter", "password": PASSWORD},
        REMOTE_ADDR="203.0.113.51",
    )

    assert paused.status_code == 429
    assert known.status_code == 302  # on to the second step


def test_a_made_up_device_cookie_does_not_help(settings):
    client = Client()
    client.cookies[settings.STAFF_DEVICE_COOKIE] = "1:forged:signature"
    for number in range(settings.SIGN_IN_GLOBAL_RATE_LIMIT):
        guess(Client(), number, address=f"198.51.100.{number}")

    assert guess(client, 99, address="203.0.113.52").status_code == 429


def test_sign_in_works_again_after_the_window(client, staff, hashes, settings):
    with time_machine.travel("2026-11-28 10:00 +00:00", tick=False) as clock:
        for number in range(settings.SIGN_IN_RATE_LIMIT + 1):
            guess(client, number)
        clock.shift(settings.SIGN_IN_RATE_LIMIT_WINDOW_SECONDS + 1)

        response = sign_in(client, PASSWORD)

    assert response.status_code == 302


def test_a_forged_forwarded_for_header_does_not_escape_the_lockout(client, staff):
    for attempt in range(5):
        sign_in(client, "wrong password", HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}")

    response = sign_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9")

    assert response.status_code == 429


def test_the_lockout_is_per_address(client, staff):
    for _ in range(5):
        sign_in(client, "wrong password")

    response = sign_in(client, PASSWORD, REMOTE_ADDR="192.0.2.44")

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_client_ip_is_the_socket_address_unless_behind_our_proxy(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.7"
    )

    settings.BEHIND_PROXY = False
    assert client_ip(request) == "10.0.0.1"
    settings.BEHIND_PROXY = True
    assert client_ip(request) == "192.0.2.7"  # the hop our proxy appended, not the client's


def test_sign_in_starts_a_new_session(client, staff):
    client.get(reverse("admin:login"))
    client.session.save()
    before = client.session.session_key

    sign_in(client, PASSWORD)

    assert client.session.session_key != before
    assert client.session["_auth_user_id"] == str(staff.pk)


def test_sign_out_destroys_the_server_side_session(client, staff):
    sign_in(client, PASSWORD)
    key = client.session.session_key

    client.post(reverse("admin:logout"))

    assert not SessionStore().exists(key)


def test_a_session_ends_eight_hours_after_sign_in_however_active(client, staff, settings):
    sign_in(client, PASSWORD)
    assert client.get(reverse("admin:index")).status_code == 200
    session = client.session
    started = session[SessionTimeoutMiddleware.SESSION_KEY]
    session[SessionTimeoutMiddleware.SESSION_KEY] = started - settings.SESSION_ABSOLUTE_TIMEOUT - 1
    session.save()

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert "_auth_user_id" not in client.session


def test_a_session_within_its_lifetime_stays_signed_in(client, staff):
    sign_in(client, PASSWORD)
    client.get(reverse("admin:index"))
    assert client.session[SessionTimeoutMiddleware.SESSION_KEY] <= int(time.time())

    assert client.get(reverse("admin:index")).status_code == 200


def test_an_hour_idle_signs_a_recruiter_out_as_the_clock_moves(client, staff):
    with time_machine.travel("2026-11-02 09:00 -05:00", tick=False) as clock:
        sign_in(client, PASSWORD)
        clock.shift(timedelta(minutes=50))
        assert client.get(reverse("admin:index")).status_code == 200  # active: renewed

        clock.shift(timedelta(minutes=61))
        response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_a_working_day_of_activity_ends_at_eight_hours(client, staff):
    with time_machine.travel("2026-11-02 09:00 -05:00", tick=False) as clock:
        sign_in(client, PASSWORD)
        for _ in range(15):  # a request every half hour: never idle
            clock.shift(timedelta(minutes=30))
            assert client.get(reverse("admin:index")).status_code == 200

        clock.shift(timedelta(minutes=31))  # 8 h 1 min after signing in
        response = client.get(reverse("admin:index"))

    assert response["Location"].startswith(reverse("admin:login"))


def test_idle_sessions_expire_within_the_hour(settings):
    assert settings.SESSION_COOKIE_AGE <= 60 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


@pytest.mark.parametrize("password", ["short1!", "password1234", "123456789012"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_uncommon_password_is_accepted():
    assert validate_password(PASSWORD) is None


def test_throttling_check_flags_a_missing_middleware(settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != checks.AXES_MIDDLEWARE]

    assert [w.id for w in checks.check_login_throttling(None)] == ["portal.W007"]


def test_throttling_check_passes_as_configured():
    assert checks.check_login_throttling(None) == []


def test_password_resets_are_limited_per_address(client, staff, mailoutbox, settings):
    settings.PASSWORD_RESET_RATE_LIMIT = 2
    staff.email = "staff@agency.example"
    staff.save()

    answers = [
        client.post(reverse("admin_password_reset"), {"email": staff.email}) for _ in range(3)
    ]

    assert [answer.status_code for answer in answers] == [302, 302, 429]
    assert answers[2]["Retry-After"] == "3600"
    assert "Too many reset requests" in answers[2].content.decode()
    assert len(mailoutbox) == 2
