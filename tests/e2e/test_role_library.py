import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_visitor_filters_opens_a_role_and_asks_a_recruiter(site, page, library, browser_errors):
    site.go("/roles/")
    filters = page.get_by_role("form", name="Filter role templates")

    filters.get_by_text("Frameworks and libraries").click()
    filters.get_by_label(re.compile(r"^PyTorch")).check()
    filters.get_by_label(re.compile(r"^TensorFlow \d")).check()
    filters.get_by_label(re.compile(r"^Mid level")).check()
    filters.get_by_role("button", name="Show roles").click()

    # Empty fields are left out of the shareable link.
    expect(page).to_have_url(
        f"{site.url}/roles/?seniority=mid&match=all&skill=pytorch&skill=tensorflow"
    )
    expect(page.get_by_role("heading", name="2 role templates")).to_be_visible()
    results = page.get_by_role("region", name="2 role templates")
    expect(results.get_by_role("link", name="Remove filter PyTorch")).to_be_visible()

    results.get_by_role("link", name="Computer Vision Engineer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Computer Vision Engineer")
    expect(
        page.get_by_role("listitem").filter(
            has_text="Annotate and manage large-scale visual datasets"
        )
    ).to_be_visible()

    page.get_by_role("complementary").get_by_role(
        "link", name="Speak with a recruiting expert about this role"
    ).click()
    expect(page).to_have_url(f"{site.url}/contact/?role=computer-vision-engineer")
    assert browser_errors == []


def test_removing_a_chip_widens_the_results(site, page, library):
    site.go("/roles/?skill=pytorch&skill=docker")
    expect(page.get_by_role("heading", name="1 role template")).to_be_visible()

    page.get_by_role("link", name="Remove filter Docker").click()

    expect(page).to_have_url(f"{site.url}/roles/?skill=pytorch")
    expect(page.get_by_role("heading", name="3 role templates")).to_be_visible()


def test_filters_fold_away_on_a_phone_and_open_by_keyboard(site, page, library):
    page.set_viewport_size({"width": 320, "height": 700})
    site.go("/roles/")
    search = page.get_by_label("Search", exact=True)
    expect(search).to_be_hidden()

    page.get_by_text("Filters", exact=True).focus()
    page.keyboard.press("Enter")

    expect(search).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0


def test_after_filtering_on_a_phone_the_results_are_in_view(site, page, library):
    page.set_viewport_size({"width": 390, "height": 844})
    site.go("/roles/")
    page.get_by_text("Filters", exact=True).click()
    page.get_by_label(re.compile(r"^Senior")).check()
    page.get_by_role("button", name="Show roles").click()

    heading = page.get_by_role("heading", name=re.compile(r"^\d+ role templates?$"))
    expect(heading).to_be_in_viewport()
    expect(page.get_by_label("Search", exact=True)).to_be_hidden()
    expect(page.get_by_text("Filters (1 active)")).to_be_visible()
    assert page.locator("details.filters").evaluate("d => d.open") is False


def test_filters_are_open_on_a_wide_screen_and_say_so(site, page, library):
    page.set_viewport_size({"width": 1280, "height": 900})
    site.go("/roles/?seniority=senior")

    expect(page.get_by_label("Search", exact=True)).to_be_visible()
    # A screen reader hears "expanded", as the panel is shown.
    assert page.locator("details.filters").evaluate("d => d.open") is True


@pytest.mark.parametrize(
    "path",
    [
        "/roles/",
        "/roles/?skill=pytorch&skill=docker&match=any&seniority=mid",
        "/roles/?skill=onnx&seniority=senior",
        "/roles/machine-learning-engineer/",
        "/roles/deep-learning-engineer/",
        "/skills/",
        "/skills/pytorch/",
        "/",
    ],
)
def test_library_pages_have_no_accessibility_violations(
    site, page, library, assert_accessible, browser_errors, path
):
    site.go(path)

    assert_accessible(page)
    assert browser_errors == []


def test_role_page_json_ld_is_not_blocked_or_executed(site, page, library, browser_errors):
    site.go("/roles/edge-ai-engineer/")

    data = page.evaluate(
        "JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)"
    )
    assert data["@type"] == "Occupation"
    assert browser_errors == []


def test_a_role_page_prints_as_its_job_description_only(site, page, library):
    site.go("/roles/mlops-engineer/")
    page.emulate_media(media="print")

    for chrome in [".site-header", ".site-footer", ".cta-band", "aside", "#salary"]:
        expect(page.locator(chrome).first).to_be_hidden()
    expect(page.get_by_role("heading", name="MLOps Engineer", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Responsibilities")).to_be_visible()
    article = page.locator("article.role-template").bounding_box()
    assert article["width"] > 0.9 * page.viewport_size["width"] - 48  # the whole width

    pdf = page.pdf()  # what "Save as PDF" gives
    assert pdf.startswith(b"%PDF")
