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


PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1366px"])
@pytest.mark.parametrize(
    "path",
    [
        "/salaries/",
        "/salaries/?role=nlp-engineer&area=41940&area=06&area=36",
        "/salaries/?sort=-employment&page=3",
        "/salaries/?area=06&area=36&area=42660&replaced=41940",
        "/roles/edge-ai-engineer/?area=02",
        "/roles/mlops-engineer/?area=34980",
    ],
)
def test_salary_pages_have_no_accessibility_violations(
    site, page, wages, assert_accessible, browser_errors, path, viewport
):
    page.set_viewport_size(viewport)
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


# Every piece of text in the chart: names, legend, axis labels.
CHART_TEXT_HEIGHTS = """() => [...document.querySelectorAll(
    '.range-chart figcaption, .range-legend li, .range-legend p, .range-label, .range-axis text'
  )].filter(el => el.textContent.trim()).map(el => [el.textContent.trim(),
    el.getBoundingClientRect().height, parseFloat(getComputedStyle(el).fontSize)])"""


@pytest.mark.parametrize(
    "path",
    [
        "/salaries/?role=mlops-engineer&area=34980&area=06&area=41940",
        "/roles/mlops-engineer/?area=34980",
    ],
)
def test_the_chart_reads_on_a_phone_with_a_legend_and_whole_names(site, page, wages, path):
    page.set_viewport_size(PHONE)
    site.go(path)
    chart = page.locator(".range-chart")

    for key in ["10th to 90th percentile", "25th to 75th percentile", "median"]:
        expect(chart.locator(".range-legend")).to_contain_text(key)
    nashville = chart.locator(
        ".range-label", has_text="Nashville-Davidson--Murfreesboro--Franklin, TN"
    )
    expect(nashville).to_be_visible()
    texts = page.evaluate(CHART_TEXT_HEIGHTS)
    assert len(texts) >= 8
    # The text as rendered: scaled-down SVG text measured 5 to 7 px here before.
    small = [(words, height) for words, height, _ in texts if height < 11]
    assert small == []
    assert min(size for _, _, size in texts) >= 12
    box = nashville.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE["width"]


def test_choosing_metros_adds_them_and_a_fourth_replaces_the_oldest(site, page, wages):
    site.go("/salaries/?role=mlops-engineer")
    headers = page.locator(".wage-table thead th")
    rows = page.locator(".metro-table tbody th a")

    chosen = []
    for count in range(1, 4):
        name = rows.first.inner_text()
        rows.first.click()
        chosen.append(name)
        expect(headers).to_have_text(["Figure", "United States", *chosen])
        expect(page.locator(".metro-table tbody th", has_text=name)).to_contain_text(
            "In the comparison"
        )
        assert page.get_by_label(f"Market {count}", exact=True).input_value()

    expect(page.locator("#metro-add-note")).to_contain_text(
        f"The comparison is full: the metro you choose takes the place of the oldest, {chosen[0]}."
    )
    fourth = rows.first.inner_text()
    rows.first.click()

    expect(headers).to_have_text(["Figure", "United States", chosen[1], chosen[2], fourth])
    expect(page.get_by_role("status")).to_have_text(
        f"A comparison holds three markets, so {fourth} took the place of {chosen[0]}, "
        "the oldest of them."
    )
    assert page.url.endswith("#comparison")


# Text that reaches past the right edge of the screen, inside an element.
TEXT_PAST = """(scope) => {
  const walker = document.createTreeWalker(document.querySelector(scope), NodeFilter.SHOW_TEXT);
  const past = [];
  for (let node; (node = walker.nextNode()); ) {
    const range = document.createRange();
    range.selectNodeContents(node);
    const box = range.getBoundingClientRect();
    const scroller = node.parentElement.closest(".table-responsive");
    if (box.width && box.right > innerWidth + 0.5 && !scroller) past.push(node.textContent.trim());
  }
  return past;
}"""


@pytest.mark.parametrize(
    "path",
    [
        "/salaries/?role=mlops-engineer&area=34980&area=47900&area=37980",
        "/salaries/?sort=title&page=2",
    ],
)
def test_the_explorer_never_scrolls_sideways_at_320px(site, page, wages, path):
    page.set_viewport_size({"width": 320, "height": 700})
    site.go(path)

    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert page.evaluate(TEXT_PAST, "main") == []


@pytest.mark.parametrize(
    "path", ["/roles/mlops-engineer/?area=34980", "/roles/machine-learning-engineer/?area=41940"]
)
def test_a_role_pages_salary_panel_fits_320px(site, page, wages, path):
    page.set_viewport_size({"width": 320, "height": 700})
    site.go(path)
    panel = page.locator("#salary")

    # (The page as a whole is not checked: a certification of the role's own text,
    # "(Coursera/Stanford/Deeplearning.ai)", is one word wider than a 320 px screen.)
    past = panel.evaluate(
        "el => [...el.querySelectorAll('*')].filter(e => e.getBoundingClientRect().right > 320)"
        ".map(e => e.outerHTML.slice(0, 80))"
    )
    assert past == []
    assert page.evaluate(TEXT_PAST, "#salary") == []


def test_the_comparison_stacks_into_cards_on_a_phone(site, page, wages):
    page.set_viewport_size(PHONE)
    site.go("/salaries/?role=nlp-engineer&area=41940&area=06&area=36")

    expect(page.locator(".wage-table")).to_be_hidden()
    cards = page.locator(".wage-card")
    expect(cards.locator("h4")).to_have_text(
        ["United States", "San Jose-Sunnyvale-Santa Clara, CA", "California", "New York"]
    )
    medians = cards.locator("div", has=page.locator("dt", has_text="Median")).locator("dd")
    expect(medians).to_have_text(["$140,300", "$218,420", "$159,100", "$181,990"])
    for index in range(4):
        box = medians.nth(index).bounding_box()
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= PHONE["width"]


def test_the_table_shows_the_comparison_on_wider_screens(site, page, wages):
    page.set_viewport_size(DESKTOP)
    site.go("/salaries/?role=nlp-engineer&area=41940")

    expect(page.locator(".wage-cards")).to_be_hidden()
    expect(page.locator(".wage-table").get_by_role("row", name="Median")).to_contain_text(
        "$218,420"
    )


LAYOUT_SHIFT = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(total), 300);
})"""


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1366px"])
def test_the_filter_boxes_move_nothing_when_they_appear(site, page, wages, viewport):
    page.set_viewport_size(viewport)
    site.go("/salaries/?area=41940")
    expect(page.get_by_label("Filter: Market 3")).to_be_visible()

    # 0.045 at 390 px before the boxes' places were kept.
    assert page.evaluate(LAYOUT_SHIFT) < 0.001


def test_on_a_phone_every_metros_figures_are_in_view_without_scrolling(site, page, wages):
    page.set_viewport_size(PHONE)
    site.go("/salaries/")
    rows = page.locator(".metro-table tbody tr")
    expect(rows.first).to_be_visible()

    # Each metro is a card: its median sits inside the screen, labelled, not in a column
    # scrolled out of sight.
    for cell in rows.locator("td").all():
        box = cell.bounding_box()
        assert 0 <= box["x"] <= box["x"] + box["width"] <= PHONE["width"], cell.inner_text()
    median = rows.first.locator("td[data-label=Median]")
    assert median.evaluate("el => getComputedStyle(el, '::before').content") == '"Median"'
    scroller = page.locator(".metro-scroll")
    assert scroller.evaluate("el => el.scrollWidth <= el.clientWidth")
