import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

BRAND_RGB = "rgb(55, 48, 163)"
PAGES = ["/", "/roles/", "/salaries/", "/contact/"]


def test_home_renders_with_its_stylesheets(site, page, browser_errors):
    site.go("/")

    expect(page).to_have_title(re.compile("Hire machine-learning and AI engineers"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Hire machine-learning and AI engineers"
    )
    search = page.get_by_role("button", name="Search")
    # Bootstrap and the theme both applied: the brand colour on the primary button.
    expect(search).to_have_css("background-color", BRAND_RGB)
    expect(page.locator("body")).to_have_css("margin", "0px")
    assert browser_errors == []


def test_search_box_leads_into_the_role_library(site, page):
    site.go("/")

    page.get_by_label("Search role templates").fill("pytorch")
    page.get_by_role("button", name="Search").click()

    expect(page).to_have_url(f"{site.url}/roles/?q=pytorch")


@pytest.mark.parametrize(
    ("link", "path", "heading"),
    [
        ("Roles", "/roles/", "Role library"),
        ("Salaries", "/salaries/", "Salaries by local market"),
        ("Contact", "/contact/", "Speak with a recruiting expert"),
    ],
)
def test_navigation_reaches_each_section(site, page, browser_errors, link, path, heading):
    site.go("/")

    page.get_by_role("navigation", name="Main").get_by_role("link", name=link).click()

    expect(page).to_have_url(f"{site.url}{path}")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name=link)
    ).to_have_attribute("aria-current", "page")
    assert browser_errors == []


def test_call_to_action_reaches_the_contact_page(site, page):
    site.go("/")

    page.get_by_role("main").get_by_role(
        "link", name="Speak with a recruiting expert"
    ).first.click()

    expect(page).to_have_url(f"{site.url}/contact/")


def test_skip_link_is_the_first_stop_for_keyboard_users(site, page):
    site.go("/")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_unknown_page_shows_the_404(site, page):
    site.go("/no-such-page/", expect_status=404)

    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_role("button", name="Search")).to_have_css("background-color", BRAND_RGB)


@pytest.mark.parametrize("path", PAGES)
def test_pages_fit_a_320_pixel_screen(site, page, path):
    page.set_viewport_size({"width": 320, "height": 640})
    site.go(path)

    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0


@pytest.mark.parametrize("path", PAGES)
def test_pages_have_no_accessibility_violations(
    site, page, assert_accessible, browser_errors, path
):
    site.go(path)

    assert_accessible(page)
    assert browser_errors == []


def test_404_page_has_no_accessibility_violations(site, page, assert_accessible):
    site.go("/no-such-page/", expect_status=404)

    assert_accessible(page)


def test_accessibility_helper_fails_on_a_violation(site, page, assert_accessible):
    site.go("/")
    page.evaluate("document.querySelector('main').append(document.createElement('img'))")

    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page)


def test_staff_sign_in_page_works_under_the_csp(site, page, browser_errors, assert_accessible):
    site.go("/admin/")

    expect(page).to_have_url(re.compile(r"/admin/login/\?next=/admin/$"))
    expect(page.get_by_label("Username")).to_be_visible()
    assert_accessible(page)
    assert browser_errors == []
