"""An editor keeps the skills clean: two skills that are one become one."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from portal.testing import current_code
from roles.models import Role, Skill

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, site, user, password):
    site.go("/admin/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.get_by_label("Code").fill(current_code(TOTPDevice.objects.get(user=user)))
    page.get_by_role("button", name="Verify").click()


def test_an_editor_merges_two_skills(
    site, page, library, editor_login, assert_accessible, browser_errors
):
    sign_in(page, site, *editor_login)
    expect(page).to_have_url(f"{site.url}/admin/")

    site.go("/admin/roles/skill/?q=tensorflow")
    expect(page.get_by_role("link", name="1 template asks for TensorFlow Lite")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("checkbox", name=re.compile(r"TensorFlow$")).check()
    page.get_by_role("checkbox", name=re.compile(r"TensorFlow Lite$")).check()
    actions = page.get_by_role("combobox", name="Action")
    actions.select_option(label="Merge selected skills into one")
    page.get_by_role("button", name="Run").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Merge skills into one")
    kept = page.get_by_role("group", name="The skill to keep")
    expect(kept.get_by_label("TensorFlow (tensorflow), in 3 templates")).to_be_checked()
    affected = page.get_by_role("table", name="Templates that ask for these skills (4)")
    expect(affected.get_by_role("row").filter(has_text="Edge AI Engineer")).to_contain_text(
        "TensorFlow Lite"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Merge into the skill kept").click()

    expect(page.get_by_text("TensorFlow Lite merged into TensorFlow")).to_be_visible()
    expect(page.get_by_role("link", name="TensorFlow Lite", exact=True)).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("link", name="TensorFlow", exact=True).first.click()
    usage = page.locator(".skill-usage")
    expect(usage.get_by_role("link")).to_have_count(4)
    expect(usage.get_by_role("link", name="Edge AI Engineer")).to_be_visible()
    expect(page.get_by_text("/skills/tensorflow-lite/")).to_be_visible()
    assert_accessible(page)

    site.go("/skills/tensorflow-lite/")
    expect(page).to_have_url(f"{site.url}/skills/tensorflow/")
    expect(page.get_by_role("link", name="Edge AI Engineer")).to_be_visible()
    assert browser_errors == []
    assert not Skill.objects.filter(slug="tensorflow-lite").exists()
    assert Role.objects.filter(slug="edge-ai-engineer", skills__slug="tensorflow").count() == 2
