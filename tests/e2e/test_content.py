"""An editor writes an insights article in the admin, previews it and publishes it;
a visitor finds it on /insights/ and on the page of the role it discusses."""

import pytest
from playwright.sync_api import expect

from content.tests.factories import content_editors_group

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "What to ask an NLP engineer in a first interview"
SUMMARY = "Questions that show how a candidate builds, tests and ships language models."
BODY = """Hiring for natural language processing starts with the work itself.

# Questions on the work

- How do you **evaluate** a fine-tuned model before it ships?
- Which tokenisation choices have you had to revisit?

Read the [NLP Engineer template](/roles/nlp-engineer/) for the full list of skills, or the
[BLS occupation data](https://www.bls.gov/oes/) for wages.

<script>document.title = "hacked"</script>
"""
ROLE = "Natural Language Processing Engineer"
VIEWPORTS = [(1366, 768), (390, 844)]


def assert_fits(page, width=320):
    page.set_viewport_size({"width": width, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_an_editor_publishes_an_article_that_visitors_read(
    site, page, library, editor_login, sign_in, browser_errors, assert_accessible
):
    user, password = editor_login
    content_editors_group()
    page.set_default_timeout(8000)
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(user, password)

    # Nothing on the site yet: the lists say so, and point to the contact form.
    site.go("/insights/")
    expect(page.get_by_text("No articles yet.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Services").click()
    expect(page.get_by_role("heading", name="No service pages here yet")).to_be_visible()
    expect(
        page.get_by_role("link", name="Tell a recruiting expert what you need")
    ).to_have_attribute("href", "/contact/")
    assert_accessible(page)
    assert_fits(page)
    page.set_viewport_size({"width": 1366, "height": 768})

    # The editor writes it as a draft.
    site.go("/admin/")
    page.get_by_role("link", name="Articles").click()
    page.get_by_role("link", name="Add article").click()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Title").blur()  # the admin fills the slug in on change
    expect(page.get_by_label("Slug")).to_have_value(
        "what-to-ask-an-nlp-engineer-in-a-first-interview"
    )
    page.get_by_label("Summary").fill(SUMMARY)
    page.get_by_label("Body").fill(BODY)
    page.get_by_role("checkbox", name=ROLE).check()
    expect(page.get_by_label("Status")).to_have_value("draft")
    assert_accessible(page)
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.get_by_text("was added successfully")).to_be_visible()

    # The preview shows it as it will be published; the public address is still a 404.
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Preview").click()
    preview = opened.value
    preview.wait_for_load_state()
    expect(preview.get_by_role("note")).to_contain_text("not on the public site")
    expect(preview.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(preview.get_by_role("heading", name="Questions on the work")).to_be_visible()
    assert_accessible(preview)
    preview.close()
    site.go("/insights/what-to-ask-an-nlp-engineer-in-a-first-interview/", expect_status=404)
    browser_errors.clear()  # that 404 was the point
    page.go_back()

    # Published.
    page.get_by_label("Status").select_option("published")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    expect(page.get_by_role("link", name="View on site")).to_be_visible()

    # A visitor finds it in the list and reads it.
    page.context.clear_cookies()
    site.go("/insights/")
    for width, height in VIEWPORTS:
        page.set_viewport_size({"width": width, "height": height})
        assert_accessible(page)
    assert_fits(page)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.get_by_role("main").get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page).to_have_title(f"{TITLE} | ML Talent Partners")
    assert page.title() != "hacked"
    external = page.get_by_role("link", name="BLS occupation data")
    expect(external).to_have_attribute("rel", "noopener nofollow")
    for width, height in VIEWPORTS:
        page.set_viewport_size({"width": width, "height": height})
        assert_accessible(page)
    assert_fits(page)
    page.set_viewport_size({"width": 1366, "height": 768})

    # From the article to the role it discusses, and back from the role's page.
    page.get_by_role("complementary").get_by_role("link", name=ROLE).click()
    expect(page).to_have_url(f"{site.url}/roles/nlp-engineer/")
    insights = page.get_by_role("complementary").get_by_role("link", name=TITLE)
    expect(insights).to_be_visible()
    assert_accessible(page)
    insights.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)

    assert browser_errors == []
