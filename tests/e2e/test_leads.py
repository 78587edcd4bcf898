import re

import pytest
from playwright.sync_api import expect

from leads import services
from leads.forms import FormToken
from leads.models import Lead, Stage

pytestmark = pytest.mark.django_db(transaction=True)


def fill_contact_form(page):
    page.get_by_label("Your name").fill("Jane Doe")
    page.get_by_label("Work email").fill("jane@acme.example")
    page.get_by_label("Company").fill("Acme Robotics")
    page.get_by_label("Your job title").fill("VP Engineering")
    page.get_by_label("Number of hires").fill("2")
    page.get_by_label("Location or market").fill("San Jose, CA")
    page.get_by_label("Remote policy").select_option("hybrid")
    page.get_by_label("When do you need them?").select_option("3_months")
    page.get_by_label("I agree to be contacted").check()


def test_employer_goes_from_the_nlp_role_page_to_thank_you(
    site, page, library, settings, browser_errors, assert_accessible
):
    # People take longer than the 3-second time trap; the browser does not.
    settings.LEADS_FORM_MIN_SECONDS = 0
    site.go("/roles/nlp-engineer/?utm_source=newsletter&utm_campaign=nlp-week")

    page.get_by_role("complementary").get_by_role(
        "link", name="Speak with a recruiting expert about this role"
    ).click()

    expect(page).to_have_url(f"{site.url}/contact/?role=nlp-engineer")
    expect(
        page.get_by_text("You were looking at Natural Language Processing Engineer")
    ).to_be_visible()
    expect(page.get_by_label("Natural Language Processing Engineer")).to_be_checked()
    assert_accessible(page)

    fill_contact_form(page)
    page.get_by_role("button", name="Send to a recruiting expert").click()

    expect(page).to_have_url(f"{site.url}/contact/thanks/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: your request has arrived")
    assert_accessible(page)
    assert browser_errors == []
    lead = Lead.objects.get()
    inquiry = lead.inquiries.get()
    assert (lead.is_spam, lead.email) == (False, "jane@acme.example")
    assert inquiry.context_role.slug == "nlp-engineer"
    assert inquiry.source_page == "/roles/nlp-engineer/"
    assert (inquiry.utm_source, inquiry.utm_campaign) == ("newsletter", "nlp-week")


def test_a_mistake_is_explained_beside_the_field_and_nothing_is_lost(
    site, page, library, assert_accessible
):
    site.go("/contact/")
    fill_contact_form(page)
    page.get_by_label("Work email").fill("jane-at-acme")

    page.get_by_role("button", name="Send to a recruiting expert").click()

    expect(
        page.get_by_text("Enter a valid email address, like jane@company.com.").first
    ).to_be_visible()
    expect(page.get_by_label("Company")).to_have_value("Acme Robotics")
    expect(page.get_by_label("Work email")).to_have_value("jane-at-acme")
    assert_accessible(page)
    assert not Lead.objects.exists()


def test_privacy_notice_is_accessible(site, page, assert_accessible, browser_errors):
    site.go("/privacy/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy notice")
    assert_accessible(page)
    assert browser_errors == []


def test_recruiter_finds_assigns_notes_and_qualifies_a_lead(
    site, page, library, recruiter_login, browser_errors
):
    user, password = recruiter_login
    data = {
        "name": "Jane Doe",
        "email": "jane@acme.example",
        "phone": "",
        "company": "Acme Robotics",
        "job_title": "VP Engineering",
        "roles": ["nlp-engineer"],
        "hires": 2,
        "location": "San Jose, CA",
        "remote_policy": "hybrid",
        "timeline": "3_months",
        "message": "",
    }
    context = {"role": "nlp-engineer", "utm_source": "linkedin", "utm_campaign": "spring"}
    lead = services.lead_submit(data=data, token=FormToken.issue(context)).lead
    lead.assign_to(None)

    site.go("/admin/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("rowheader", name="Leads").get_by_role("link").click()

    row = page.get_by_role("row").filter(has_text="Acme Robotics")
    expect(row).to_contain_text("Natural Language Processing Engineer")
    row.get_by_role("checkbox").check()
    page.get_by_label("Action:").select_option("assign_to_me")
    page.get_by_role("button", name="Run").click()
    expect(page.get_by_text("1 lead(s) assigned to you.")).to_be_visible()

    page.get_by_role("link", name=f"Lead #{lead.pk}").click()
    expect(page.get_by_text("source=linkedin, campaign=spring")).to_be_visible()
    page.locator("#id_notes-0-text").fill("Called Jane: budget approved for two hires")
    page.get_by_label("Move to stage").select_option("qualified")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.get_by_text(re.compile(r"was changed successfully"))).to_be_visible()
    lead.refresh_from_db()
    assert (lead.assigned_to, lead.stage) == (user, Stage.QUALIFIED)
    assert lead.notes.get().text == "Called Jane: budget approved for two hires"
    assert lead.stage_changes.get().changed_by == user
    assert browser_errors == []
