import re

import pytest
from playwright.sync_api import expect

from leads.forms import FormToken
from leads.models import Lead, Stage
from leads.services import intake
from leads.tests.factories import email_templates

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


def test_a_recruiters_day(
    site, page, library, recruiter_login, sign_in, browser_errors, assert_accessible, settings
):
    """Sign in, My work, the board, move a card, email the lead, set a follow-up, see it
    in the timeline, and the dashboard's figures change."""
    settings.LEADS_FEE_PER_HIRE = 25_000
    email_templates()
    user, password = recruiter_login
    user.first_name, user.last_name = "Rita", "Moreno"
    user.save()
    data = {
        "name": "Jane Doe",
        "email": "jane@acme.example",
        "phone": "+1 (415) 555-0100",
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
    lead = intake.lead_submit(data=data, token=FormToken.issue(context)).lead
    assert lead.assigned_to == user  # routed to the only recruiter

    sign_in(user, password)

    expect(page).to_have_url(f"{site.url}/admin/leads/lead/my-work/")
    expect(page.get_by_role("table", name="New leads assigned to you (1)")).to_contain_text(
        "Jane Doe, Acme Robotics"
    )
    assert_accessible(page)

    page.get_by_role("link", name="Board").first.click()
    new_column = page.get_by_role("region", name="New (1)")
    expect(new_column).to_contain_text("Natural Language Processing Engineer")
    assert_accessible(page)
    new_column.get_by_label("Move Jane Doe, Acme Robotics to").select_option("contacted")
    new_column.get_by_role("button", name="Move").click()
    expect(page.get_by_text("Jane Doe, Acme Robotics: moved to Contacted.")).to_be_visible()
    expect(page.get_by_role("region", name="Contacted (1)")).to_contain_text("Jane Doe")

    page.get_by_role("link", name="Jane Doe, Acme Robotics").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jane Doe, Acme Robotics")
    expect(page.get_by_role("link", name="+1 (415) 555-0100")).to_have_attribute(
        "href", "tel:+1 (415) 555-0100"
    )
    assert_accessible(page)

    page.get_by_role("link", name="Email this lead").click()
    page.get_by_label("Start from").select_option(label="First reply")
    page.get_by_role("button", name="Use this template").click()
    expect(page.get_by_label("Body")).to_have_value(re.compile(r"^Hello Jane,"))
    assert_accessible(page)
    page.get_by_role("button", name="Send the email").click()
    expect(page.get_by_text("Email to Jane Doe queued: it is in the timeline.")).to_be_visible()

    follow_up = page.get_by_role("group", name="Follow-up")
    follow_up.get_by_label("Next step:", exact=True).fill("Send the shortlist")
    follow_up.get_by_label("Date:").fill("2030-01-15")
    follow_up.get_by_label("Time:").fill("09:30")
    page.get_by_label("Add a note:").fill("Budget approved for two hires")
    page.get_by_role("button", name="Save and continue editing").first.click()

    expect(page.get_by_text(re.compile("was changed successfully"))).to_be_visible()
    timeline = page.get_by_role("region", name="Timeline")
    expect(timeline).to_contain_text("Next step, due Jan 15, 09:30")
    expect(timeline).to_contain_text("Send the shortlist")
    expect(timeline).to_contain_text("Budget approved for two hires")
    expect(timeline).to_contain_text("Emailed: Your Natural Language Processing Engineer hiring")
    expect(timeline).to_contain_text("Moved from New to Contacted")

    page.get_by_role("link", name="Dashboard").first.click()
    expect(page.locator("#median-first-response")).not_to_have_text("no responses yet")
    expect(
        page.get_by_role(
            "table", name="Campaign source, referring site, or the page of ours they started on"
        )
    ).to_contain_text("linkedin")
    assert_accessible(page)

    site.go("/admin/leads/lead/")
    expect(page.get_by_role("row").filter(has_text="Acme Robotics")).to_contain_text(
        "Send the shortlist"
    )
    assert_accessible(page)
    assert browser_errors == []
    lead.refresh_from_db()
    assert (lead.stage, lead.next_step) == (Stage.CONTACTED, "Send the shortlist")
