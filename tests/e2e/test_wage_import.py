import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from roles.models import Area, OccupationWage
from roles.wages.importer import import_oews

pytestmark = pytest.mark.django_db(transaction=True)

# Four rows of the shipped May 2025 files, unchanged: the nation, California and San
# Jose from the metro file, Alaska's nonmetropolitan area from the other.
SAMPLE = Path(__file__).parent / "data" / "oews_sample.csv"


@pytest.fixture
def metro_wages(library):
    """The metro file loaded, with San Jose's median as an older file had it."""
    import_oews(Path("fixtures/oews/oews_metro_wages.csv"))
    OccupationWage.objects.filter(area__code="41940", soc_code="15-2051").update(median=180000)


def test_an_editor_reviews_then_commits_a_bls_file(
    site,
    page,
    metro_wages,
    editor_login,
    sign_in,
    settings,
    tmp_path,
    browser_errors,
    assert_accessible,
):
    settings.WAGE_UPLOAD_DIR = tmp_path / "wage-uploads"
    sign_in(*editor_login)

    page.get_by_role("link", name="Import BLS wage file").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Import BLS wage file")
    expect(page.get_by_role("link", name="BLS's OEWS tables page")).to_have_attribute(
        "href", "https://www.bls.gov/oes/tables.htm"
    )
    occupations = page.get_by_role("table", name="Occupations the site shows wages for")
    expect(occupations.get_by_role("row", name=re.compile("^15-2051"))).to_contain_text(
        "Machine Learning Engineer"
    )
    expect(page.get_by_label("Top-code bound")).to_have_value("239200")
    assert_accessible(page)

    page.get_by_label("BLS file").set_input_files(SAMPLE)
    page.get_by_role("button", name="Upload and check").click()

    expect(page).to_have_url(re.compile(r"/admin/roles/occupationwage/import/[0-9a-f]{32}/$"))
    expect(page.get_by_text("Nothing is saved yet.")).to_be_visible()
    summary = page.get_by_role("table", name="What committing would change, by kind of area")
    for kind, counts in [
        ("National", ["0", "0", "1"]),
        ("State", ["0", "0", "1"]),
        ("Metropolitan area", ["0", "1", "0"]),
        ("Nonmetropolitan area", ["1", "0", "0"]),
        ("All areas", ["1", "1", "2"]),
    ]:
        row = summary.get_by_role("row").filter(
            has=page.get_by_role("rowheader", name=kind, exact=True)
        )
        expect(row.get_by_role("cell")).to_have_text(counts)
    assert_accessible(page)
    assert OccupationWage.objects.get(area__code="41940", soc_code="15-2051").median == 180000

    page.get_by_role("button", name="Commit this import").click()

    expect(page).to_have_url(f"{site.url}/admin/roles/occupationwage/import/")
    expect(
        page.get_by_text("Imported oews_sample.csv: 4 rows: 1 inserted, 1 updated")
    ).to_be_visible()
    assert OccupationWage.objects.get(area__code="41940", soc_code="15-2051").median == 185080
    assert Area.objects.get(code="0200006").title == "Alaska nonmetropolitan area"
    assert list(settings.WAGE_UPLOAD_DIR.iterdir()) == []
    assert browser_errors == []
