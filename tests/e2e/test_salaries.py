import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_visitor_picks_a_market_on_a_role_page(
    site, page, wages, browser_errors, assert_accessible
):
    site.go("/roles/machine-learning-engineer/")
    salary = page.locator("#salary")
    expect(salary).to_contain_text("$122,375")
    expect(salary.get_by_role("row", name="Median")).to_contain_text("$120,230")

    salary.get_by_label("Compare with a market", exact=True).select_option(
        label="San Jose-Sunnyvale-Santa Clara, CA"
    )
    salary.get_by_role("button", name="Show this market").click()

    expect(page).to_have_url(f"{site.url}/roles/machine-learning-engineer/?area=41940#salary")
    expect(salary.get_by_role("row", name="Median")).to_contain_text("$185,080")
    expect(salary.get_by_role("row", name="90th percentile")).to_contain_text("$282,840")
    expect(salary).to_contain_text("54% above the national median")
    expect(salary).to_contain_text("Source: U.S. Bureau of Labor Statistics")
    expect(
        salary.get_by_role("img", name="Annual wage ranges, 10th to 90th percentile")
    ).to_be_visible()
    assert_accessible(page)
    assert browser_errors == []


@pytest.mark.parametrize(
    "path",
    [
        "/salaries/",
        "/salaries/?role=nlp-engineer&area=41940&area=06&area=36",
        "/salaries/?sort=-employment&page=3",
        "/roles/edge-ai-engineer/?area=02",
    ],
)
def test_salary_pages_have_no_accessibility_violations(
    site, page, wages, assert_accessible, browser_errors, path
):
    site.go(path)

    assert_accessible(page)
    assert browser_errors == []


def test_explorer_compares_markets_and_sorts_metros(site, page, wages):
    site.go("/salaries/")

    page.get_by_label("Role").select_option(label="MLOps Engineer")
    page.get_by_label("Market 1", exact=True).select_option(label="Seattle-Tacoma-Bellevue, WA")
    page.get_by_label("Market 2", exact=True).select_option(label="Texas")
    page.get_by_role("button", name="Compare").click()

    comparison = page.get_by_role("table").first
    expect(comparison.get_by_role("columnheader")).to_have_text(
        ["Figure", "United States", "Seattle-Tacoma-Bellevue, WA", "Texas"]
    )
    page.get_by_role("link", name="Largest employment").click()
    first_metro = page.locator(".metro-table tbody tr").first
    # In the BLS file Los Angeles employs the most: 20,060, against New York's 16,230.
    expect(first_metro).to_contain_text("Los Angeles-Long Beach-Anaheim, CA")


def test_typing_narrows_the_market_list(site, page, wages, browser_errors):
    site.go("/roles/machine-learning-engineer/")
    salary = page.locator("#salary")

    salary.get_by_label("Filter: Compare with a market").fill("jose")

    visible = salary.locator("#market option:not([hidden])")
    expect(visible).to_have_text(
        ["Choose a metro area or state", "San Jose-Sunnyvale-Santa Clara, CA"]
    )
    assert browser_errors == []
