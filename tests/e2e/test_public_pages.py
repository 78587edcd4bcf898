"""Every public page, as visitors see it on a 320 px phone, a 390 px phone and a
1366 px laptop: nothing scrolls sideways, axe finds nothing, and the agency's phone
is a tap away. One test per screen size walks every page (seeding costs more than
a page)."""

import re

import pytest
from playwright.sync_api import expect

from portal.tests.public_site import PUBLIC_PAGES, populate_public_site

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def full_site(transactional_db):
    """Something in every block: a recruiter, an article, a service, a testimonial."""
    populate_public_site()


@pytest.fixture
def agency(settings):
    settings.AGENCY_PHONE = "+1 (206) 555-0100"
    settings.AGENCY_ADDRESS = "100 Example Street, Suite 200|Seattle, WA 98101"
    settings.AGENCY_PRIVACY_EMAIL = "privacy@mltalent.example"


def test_no_public_page_scrolls_sideways_at_320_pixels(site, page, full_site, agency):
    page.set_viewport_size({"width": 320, "height": 640})
    wide = {}
    for path in PUBLIC_PAGES:
        site.go(path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            wide[path] = overflow
    assert wide == {}


@pytest.mark.parametrize("width", [390, 1366])
def test_every_public_page_passes_axe(site, page, full_site, agency, assert_accessible, width):
    page.set_viewport_size({"width": width, "height": 900})
    for path in PUBLIC_PAGES:
        site.go(path)
        assert_accessible(page)


def test_the_phone_is_one_tap_away_on_a_phone(site, page, library, agency):
    page.set_viewport_size({"width": 390, "height": 844})
    site.go("/roles/machine-learning-engineer/")

    call = page.get_by_role("banner").get_by_role("link", name="+1 (206) 555-0100")
    expect(call).to_be_visible()
    expect(call).to_have_attribute("href", "tel:+12065550100")


HEADER_ROWS = """() => {
  const bar = document.querySelector('.site-header-bar');
  const middles = [...bar.children].filter(e => e.offsetParent)
    .map(e => e.getBoundingClientRect().top + e.getBoundingClientRect().height / 2)
    .sort((a, b) => a - b);
  return middles.filter((m, i) => i === 0 || m - middles[i - 1] > 4).length;
}"""


@pytest.mark.parametrize(("width", "rows"), [(1366, 1), (1200, 1), (1000, 1), (390, 2)])
def test_the_header_takes_one_row_on_a_laptop_and_two_on_a_phone(
    site, page, library, agency, width, rows
):
    # On a phone: the brand and "Call" on the first row, the six sections on the second.
    page.set_viewport_size({"width": width, "height": 800})
    site.go("/")

    assert page.evaluate(HEADER_ROWS) == rows
    brand = page.locator(".site-brand").bounding_box()
    phone = page.locator(".header-phone").bounding_box()
    assert abs((brand["y"] + brand["height"] / 2) - (phone["y"] + phone["height"] / 2)) < 4


def test_roles_is_marked_current_on_a_role_page(site, page, library):
    site.go("/roles/nlp-engineer/")

    main_nav = page.get_by_role("navigation", name="Main")
    expect(main_nav.get_by_role("link", name="Roles")).to_have_attribute("aria-current", "true")
    expect(main_nav.get_by_role("link", name="Skills")).not_to_have_attribute(
        "aria-current", re.compile(".*")
    )


def test_the_call_to_action_stays_clear_of_what_follows_it(site, page, full_site):
    page.set_viewport_size({"width": 1366, "height": 700})
    site.go("/roles/machine-learning-engineer/")
    below = [page.locator(".related-roles"), page.locator(".recruiters-for-role")]

    for y in range(0, page.evaluate("document.body.scrollHeight"), 150):
        page.evaluate(f"window.scrollTo(0, {y})")
        card = page.locator(".cta-card").bounding_box()
        for box in (locator.bounding_box() for locator in below):
            overlap = min(card["y"] + card["height"], box["y"] + box["height"]) - max(
                card["y"], box["y"]
            )
            assert overlap <= 0, f"at scroll {y}"


def test_a_failed_submit_puts_focus_on_the_error_summary(site, page, library):
    site.go("/contact/")
    page.get_by_label("Your name").fill("Jane Doe")
    page.get_by_role("button", name="Send to a recruiting expert").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Please correct")
    expect(summary).to_be_focused()
    expect(page.get_by_label("Your name")).to_have_value("Jane Doe")


def test_form_controls_and_focus_rings_are_visible(site, page, library):
    site.go("/contact/")

    # Borders of 3:1 or more against white (#767676 is 4.5:1).
    expect(page.get_by_label("Your name")).to_have_css("border-top-color", "rgb(118, 118, 118)")
    expect(page.get_by_label("Remote policy (optional)")).to_have_css(
        "border-top-color", "rgb(118, 118, 118)"
    )
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the brand
    page.keyboard.press("Tab")  # Roles
    roles = page.get_by_role("navigation", name="Main").get_by_role("link", name="Roles")
    expect(roles).to_be_focused()
    expect(roles).to_have_css("outline-color", "rgb(55, 48, 163)")
    expect(roles).to_have_css("outline-width", "3px")
