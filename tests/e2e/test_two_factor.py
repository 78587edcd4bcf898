"""Staff sign-in in the browser: the first sign-in sets the authenticator app up,
later ones ask for its code, and wrong codes or passwords lock the step."""

import base64
import re

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from leads.tests.factories import recruiters_group
from portal.testing import current_code

PASSWORD = "a long and unusual passphrase"


def password_step(page, site, username="rita", password=PASSWORD):
    site.go("/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def code_for_key(shown: str) -> str:
    """What an authenticator app shows for the key typed in from the page."""
    totp = TOTP(base64.b32decode(shown.replace(" ", "")))
    return f"{totp.token():06d}"


def test_the_first_sign_in_sets_up_the_app(
    site, page, django_user_model, transactional_db, assert_accessible, browser_errors
):
    user = django_user_model.objects.create_user("nia", password=PASSWORD, is_staff=True)
    user.groups.add(recruiters_group())

    password_step(page, site, "nia")

    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-step sign-in")
    expect(page.get_by_role("img", name="QR code holding your key")).to_be_visible()
    assert_accessible(page)
    key = page.locator(".two-factor-key").inner_text()
    page.get_by_label("Code").fill(code_for_key(key))
    page.get_by_role("button", name="Turn on two-step sign-in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Save your recovery codes")
    expect(page.locator(".two-factor-codes li")).to_have_count(10)
    assert_accessible(page)
    page.get_by_role("link", name="I have saved them: continue").click()
    expect(page).to_have_url(re.compile(r"/admin/leads/lead/my-work/$"))
    assert browser_errors == []


def test_a_later_sign_in_asks_for_the_apps_code(
    site, page, recruiter_login, assert_accessible, browser_errors
):
    user, password = recruiter_login

    password_step(page, site, user.username, password)

    expect(page.get_by_role("heading", level=1)).to_have_text("Two-step sign-in")
    assert_accessible(page)
    page.get_by_label("Code").fill(current_code(TOTPDevice.objects.get(user=user)))
    page.get_by_role("button", name="Verify").click()
    expect(page).to_have_url(re.compile(r"/admin/leads/lead/my-work/$"))
    assert browser_errors == []


def test_wrong_codes_lock_the_step(site, page, recruiter_login, assert_accessible):
    user, password = recruiter_login
    password_step(page, site, user.username, password)

    for _ in range(3):
        page.get_by_label("Code").fill("000000")
        page.get_by_role("button", name="Verify").click()

    expect(
        page.get_by_text(re.compile(r"Too many wrong codes: wait \d+ seconds? and try again"))
    ).to_be_visible()
    expect(page.get_by_label("Code")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)


def test_wrong_passwords_lock_the_sign_in(site, page, recruiter_login, assert_accessible):
    user, _ = recruiter_login

    for _ in range(5):
        password_step(page, site, user.username, "not the password")

    expect(page.get_by_role("heading", level=1)).to_have_text("Too many sign-in attempts")
    assert_accessible(page)


def test_a_passkey_added_on_the_two_step_page_signs_in_later(
    site, page, recruiter_login, settings, assert_accessible, browser_errors
):
    """Chromium's virtual authenticator stands for the device's fingerprint reader."""
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [site.url]
    authenticator = page.context.new_cdp_session(page)
    authenticator.send("WebAuthn.enable")
    authenticator.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    user, password = recruiter_login
    password_step(page, site, user.username, password)
    page.get_by_label("Code").fill(current_code(TOTPDevice.objects.get(user=user)))
    page.get_by_role("button", name="Verify").click()

    page.get_by_role("link", name="Two-step sign-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-step sign-in")
    assert_accessible(page)
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_role("status")).to_have_text("Registration successful!")
    page.reload()
    expect(page.locator(".two-factor-passkeys li")).to_have_count(1)

    page.get_by_role("button", name="Log out").click()
    password_step(page, site, user.username, password)
    expect(page.get_by_role("button", name="Use a passkey")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Use a passkey").click()

    expect(page).to_have_url(re.compile(r"/admin/leads/lead/my-work/$"))
    assert browser_errors == []
