"""A recruiter shows their profile; an employer finds them on a role page, asks to
speak with them, and the request lands on that recruiter's desk."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from leads.models import Lead
from tests.e2e.test_leads import fill_contact_form

pytestmark = pytest.mark.django_db(transaction=True)


def portrait_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (900, 700), (60, 120, 200)).save(out, "PNG")
    return out.getvalue()


def test_a_recruiter_publishes_a_profile_and_gets_the_request_made_to_them(
    site, page, library, recruiter_login, sign_in, settings, assert_accessible, browser_errors
):
    settings.LEADS_FORM_MIN_SECONDS = 0
    rita, password = recruiter_login
    sign_in(rita, password)

    page.get_by_role("link", name="My public profile").click()
    expect(page.get_by_role("heading", name="My public profile")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Name on the site").fill("Rita Moreno")
    page.get_by_label("Headline").fill("Senior recruiter, NLP and LLM engineers")
    page.get_by_label("Short bio").fill("Ten years placing machine-learning engineers.")
    page.get_by_label("Machine learning").check()
    page.get_by_label("Photo").set_input_files(
        files=[{"name": "rita.png", "mimeType": "image/png", "buffer": portrait_bytes()}]
    )
    page.get_by_label("Show my profile on the public site").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved: your profile is on the site.")).to_be_visible()
    expect(page.get_by_role("img", name="Your current photo")).to_be_visible()

    # An employer, on the NLP engineer's page.
    page.context.clear_cookies()
    site.go("/roles/nlp-engineer/")
    recruiters = page.get_by_role("region", name="Recruiters for machine learning roles")
    expect(recruiters.get_by_text("Senior recruiter, NLP and LLM engineers")).to_be_visible()
    photo = recruiters.locator("img.recruiter-photo")
    expect(photo).to_be_visible()
    assert photo.evaluate("img => img.naturalWidth") == 480
    recruiters.get_by_role("link", name="Speak with Rita Moreno").click()

    expect(page.get_by_text("Your request goes to Rita Moreno")).to_be_visible()
    assert_accessible(page)
    fill_contact_form(page)
    page.get_by_role("button", name="Send to a recruiting expert").click()
    expect(page).to_have_url(f"{site.url}/contact/thanks/?recruiter=rita-moreno")
    expect(page.get_by_text("Rita Moreno will reply within one business day.")).to_be_visible()

    lead = Lead.objects.get()
    assert lead.assigned_to == rita
    site.go("/about/")
    expect(page.get_by_role("heading", name="Rita Moreno")).to_be_visible()
    assert_accessible(page)
    assert browser_errors == []
