"""The job description builder as an employer uses it, end to end in Chromium: from a
role page to a posting priced for Seattle, copied, downloaded, saved, reopened and sent
to a recruiter, who reads it on the lead's page."""

import io
import re

import docx
import pypdf
import pytest
from playwright.sync_api import expect

from leads.models import Inquiry
from roles.models import OccupationWage, PostingDraft

REMOVED = "Design, develop, and deploy machine learning models for real-world applications"
ADDED = "Mentor two junior engineers on model evaluation"
SEATTLE = "42660"

pytestmark = pytest.mark.django_db(transaction=True)


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_an_employer_builds_a_posting_and_hands_it_to_a_recruiter(
    site,
    page,
    wages,
    recruiter_login,
    sign_in,
    settings,
    browser_errors,
    assert_accessible,
):
    settings.LEADS_FORM_MIN_SECONDS = 0
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    site.go("/roles/machine-learning-engineer/")
    page.get_by_role("link", name="Customise this job description").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Customise the Machine Learning Engineer job description"
    )
    assert_accessible(page)

    # Remove a bullet, add one, choose Seattle and senior.
    responsibilities = page.get_by_label("Responsibilities")
    lines = responsibilities.input_value().splitlines()
    assert lines[0] == REMOVED
    responsibilities.fill("\n".join([*lines[1:], ADDED]))
    page.get_by_label("Seniority").select_option("senior")
    page.get_by_label("Filter: Market").fill("seattle")
    page.get_by_label("Market", exact=True).select_option(SEATTLE)
    page.get_by_label("Company name").fill("Acme Robotics")
    page.get_by_role("button", name="Update the preview").first.click()

    seattle = OccupationWage.objects.get(soc_code="15-2051", area__code=SEATTLE)
    preview = page.get_by_role("article", name="Your job description")
    expect(preview).to_contain_text(f"Pay: ${seattle.median:,} to ${seattle.p75:,} a year")
    expect(preview).to_contain_text("Senior · Full-time · Seattle-Tacoma-Bellevue, WA")
    expect(preview).to_contain_text("BLS OEWS May 2025")
    expect(preview.get_by_text(ADDED)).to_be_visible()
    expect(preview.get_by_text(REMOVED)).to_have_count(0)
    expect(page.get_by_text("where a pay range is required")).to_be_visible()
    assert_accessible(page)

    # Away and Back: the preview comes back as it was, not "Confirm Form Resubmission".
    page.get_by_role("link", name="Machine Learning Engineer").first.click()
    page.go_back()
    expect(page.get_by_label("Company name")).to_have_value("Acme Robotics")
    expect(preview.get_by_text(ADDED)).to_be_visible()

    # A change not previewed yet is said, so nobody copies an old version unawares.
    stale = page.get_by_text("You have changed the form since this preview")
    expect(stale).to_be_hidden()
    page.get_by_label("Benefits").fill("Health insurance")
    expect(stale).to_be_visible()
    page.get_by_role("button", name="Update the preview").first.click()
    expect(stale).to_be_hidden()
    expect(preview.get_by_text("Health insurance")).to_be_visible()

    # Copy as Markdown: one click with the script.
    page.get_by_text("Copy as Markdown").click()
    page.get_by_role("button", name="Copy Markdown").click()
    expect(page.locator("#copy-status")).to_have_text("Markdown copied to the clipboard.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("# Machine Learning Engineer\n")
    assert f"- {ADDED}" in copied
    assert REMOVED not in copied

    # Both files, reopened.
    with page.expect_download() as download:
        page.get_by_role("button", name="Download .docx").click()
    document = docx.Document(download.value.path())
    words = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert ADDED in words
    assert REMOVED not in words
    with page.expect_download() as download:
        page.get_by_role("button", name="Download PDF").click()
    text = pdf_text(download.value.path().read_bytes())
    assert ADDED in text
    assert REMOVED not in text

    # Save, and come back by the link.
    page.get_by_role("button", name="Save and get a link").click()
    link = page.get_by_label("Link to this job description").input_value()
    assert re.fullmatch(rf"{site.url}/roles/machine-learning-engineer/customise/[\w-]{{24}}/", link)
    assert_accessible(page)
    page.goto("about:blank")
    page.goto(link)
    expect(page.get_by_label("Company name")).to_have_value("Acme Robotics")
    expect(page.get_by_label("Market", exact=True)).to_have_value(SEATTLE)
    expect(page.get_by_label("Responsibilities")).to_have_value(re.compile(ADDED))

    # Hand it to a recruiter.
    page.get_by_role("button", name="Send to a recruiting expert").click()
    expect(
        page.get_by_text("Your job description Machine Learning Engineer is attached")
    ).to_be_visible()
    expect(page.get_by_label("Machine Learning Engineer")).to_be_checked()
    expect(page.get_by_label("Location or market")).to_have_value("Seattle-Tacoma-Bellevue, WA")
    page.get_by_label("Your name").fill("Jane Doe")
    page.get_by_label("Work email").fill("jane@acme.example")
    page.get_by_label("Company").fill("Acme Robotics")
    page.get_by_label("Your job title").fill("VP Engineering")
    page.get_by_label("I agree to be contacted").check()
    page.get_by_role("button", name="Send to a recruiting expert").click()
    expect(page).to_have_url(re.compile(r"/contact/thanks/"))

    inquiry = Inquiry.objects.get()
    assert inquiry.posting_draft == PostingDraft.objects.get()
    assert ADDED in inquiry.job_description

    # The recruiter sees it on the lead's page.
    page.context.clear_cookies()
    user, password = recruiter_login
    sign_in(user, password)
    page.goto(f"{site.url}/admin/leads/lead/{inquiry.lead_id}/change/")
    attachment = page.locator(".timeline-attachment")
    attachment.get_by_text("Job description the employer built").click()
    expect(attachment).to_contain_text(ADDED)
    expect(
        attachment.get_by_role("link", name="Open it in the job description builder")
    ).to_have_attribute("href", link.removeprefix(site.url))
    assert_accessible(page)
    assert browser_errors == []


def test_without_javascript_the_text_is_there_to_select_and_copy(
    site, browser, wages, assert_accessible, live_server
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/roles/machine-learning-engineer/customise/")

    page.get_by_text("Copy as plain text").click()
    box = page.get_by_label("Plain text: select it all and copy, or download it")
    expect(box).to_have_value(re.compile(r"^Machine Learning Engineer\n"))
    expect(page.get_by_role("button", name="Copy plain text")).to_be_hidden()
    page.get_by_role("button", name="Update the preview").first.click()
    expect(page.get_by_role("article", name="Your job description")).to_be_visible()
    context.close()


def test_a_role_page_preview_prints_as_the_posting_only(site, page, wages):
    site.go("/roles/machine-learning-engineer/customise/?area=42660")
    page.emulate_media(media="print")

    expect(page.get_by_role("article", name="Your job description")).to_be_visible()
    for hidden in ("Responsibilities", "Company name"):
        expect(page.get_by_label(hidden)).to_be_hidden()
    expect(page.get_by_role("heading", name="Take it away")).to_be_hidden()
    expect(page.locator(".site-header")).to_be_hidden()
