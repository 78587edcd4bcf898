"""A posting in every format it is taken away in: each holds every bullet the employer
kept and none they removed, and the structured data is what Google asks for."""

import io
import json

import docx
import pypdf
import pytest
from markdown_it import MarkdownIt

from roles.builder.document import JobDescription, paragraphs
from roles.builder.forms import PostingForm
from roles.models import PayTransparencyLaw, Role
from roles.wages.models import Area, OccupationWage
from roles.wages.presentation import OccupationWages

pytestmark = pytest.mark.django_db

SEATTLE = "42660"
KEPT = "Mentor two junior engineers on model evaluation"
REMOVED = "Design, develop, and deploy machine learning models for real-world applications"


@pytest.fixture
def role(wages):
    return Role.objects.published().prefetch_related("items").get(slug="machine-learning-engineer")


@pytest.fixture
def market(role):
    return OccupationWages.load(role.soc_code)


@pytest.fixture
def answers(role, market):
    """The template in Seattle at senior level, its first responsibility swapped for a new one."""
    answers = PostingForm.initial_for(role, market, area=SEATTLE, seniority="senior")
    responsibilities = answers["responsibility"].splitlines()
    assert responsibilities[0] == REMOVED
    return answers | {
        "company": "Acme Robotics",
        "responsibility": "\n".join([*responsibilities[1:], KEPT]),
        "benefits": "Health insurance\n401(k) with a 4% match",
    }


@pytest.fixture
def posting(role, answers, market):
    return JobDescription.from_answers(role, answers, market)


def every_bullet(posting):
    return [line for _, _, lines in posting.parts() for line in lines]


def test_the_preview_starts_from_the_template_priced_for_the_market(role, posting, market):
    seattle = OccupationWage.objects.get(soc_code=role.soc_code, area__code=SEATTLE)

    assert posting.area.code == SEATTLE
    assert (posting.pay_low, posting.pay_high) == (seattle.median, seattle.p75)
    assert posting.pay_from_data
    assert posting.facts() == [
        "Acme Robotics",
        "Senior · Full-time · Seattle-Tacoma-Bellevue, WA (on-site)",
        f"Pay: ${seattle.median:,} to ${seattle.p75:,} a year",
    ]
    assert KEPT in every_bullet(posting)
    assert REMOVED not in every_bullet(posting)


@pytest.mark.parametrize("render", ["as_text", "as_markdown", "as_html"])
def test_each_text_format_holds_every_kept_bullet_and_no_removed_one(posting, render):
    text = getattr(posting, render)()

    for line in every_bullet(posting):
        assert line.replace("'", "&#x27;") in text or line in text
    assert REMOVED not in text
    assert posting.title in text
    assert "Acme Robotics" in text


def test_markdown_is_headings_and_bullets(posting):
    markdown = posting.as_markdown()

    assert markdown.startswith("# Machine Learning Engineer\n")
    assert "\n## Responsibilities\n" in markdown
    assert f"\n- {KEPT}\n" in markdown


def test_html_escapes_what_the_employer_typed(role, answers, market):
    posting = JobDescription.from_answers(
        role, answers | {"benefits": "<script>alert(1)</script>"}, market
    )

    assert "<script>" not in posting.as_html()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in posting.as_html()


def test_the_docx_reopens_with_every_kept_bullet_and_no_removed_one(posting):
    document = docx.Document(io.BytesIO(posting.as_docx()))
    paragraphs_ = [p.text for p in document.paragraphs]
    bullet_texts = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]

    assert paragraphs_[0] == "Machine Learning Engineer"
    assert bullet_texts == every_bullet(posting)
    assert REMOVED not in "\n".join(paragraphs_)
    assert document.core_properties.title == "Machine Learning Engineer"


def test_the_pdf_text_holds_every_kept_bullet_and_no_removed_one(posting):
    reader = pypdf.PdfReader(io.BytesIO(posting.as_pdf()))
    # Extracted text wraps long lines: compare without the line breaks.
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())

    for line in every_bullet(posting):
        assert " ".join(line.split()) in text
    assert REMOVED not in text
    assert "Pay: $" in text


def test_the_json_ld_block_parses_and_carries_the_posting(posting):
    script = posting.json_ld_script()
    assert script.startswith('<script type="application/ld+json">\n')
    data = json.loads(script.removeprefix('<script type="application/ld+json">').rsplit("<", 1)[0])

    assert data["@type"] == "JobPosting"
    assert data["title"] == "Machine Learning Engineer"
    assert data["hiringOrganization"]["name"] == "Acme Robotics"
    assert data["jobLocation"]["address"]["addressLocality"] == "Seattle"
    assert data["baseSalary"]["value"]["minValue"] == posting.pay_low
    assert KEPT in data["description"]
    assert REMOVED not in data["description"]


def test_text_typed_into_the_json_ld_cannot_close_its_script_element(role, answers, market):
    posting = JobDescription.from_answers(
        role, answers | {"title": "Engineer </script><script>alert(1)"}, market
    )

    script = posting.json_ld_script()

    assert script.count("</script>") == 1
    assert script.endswith("</script>")
    assert json.loads(script.split("\n", 1)[1].rsplit("\n", 1)[0])["title"].endswith("alert(1)")


@pytest.mark.parametrize(
    ("code", "laws"),
    [
        (SEATTLE, ["Washington"]),  # a metro in a listed state
        ("53", ["Washington"]),  # the state itself
        ("5300007", ["Washington"]),  # a nonmetropolitan area, by its FIPS prefix
        ("35620", ["New York"]),  # New York-Newark-Jersey City, NY-NJ
        ("12420", []),  # Austin, TX: no state law listed
        ("16980", ["Illinois"]),  # Chicago-Naperville-Elgin, IL-IN
        ("47900", ["Maryland"]),  # Washington-Arlington-Alexandria, DC-VA-MD-WV
        (Area.NATIONAL_CODE, []),
    ],
)
def test_the_pay_transparency_laws_of_the_postings_state(wages, code, laws):
    area = Area.objects.filter(code=code).first() or Area(code=code, title="?", type=6)

    assert [law.jurisdiction for law in PayTransparencyLaw.objects.covering(area)] == laws


def test_the_shipped_laws_each_carry_a_citation_and_a_date(db):
    laws = PayTransparencyLaw.objects.all()

    assert laws.count() == 9
    for law in laws:
        assert law.citation_url.startswith("https://")
        assert law.effective.year >= 2021
        assert law.disclosure
        assert law.law


def test_wording_checks_count_requirements_and_years_in_the_posting(role, answers, market):
    many = "\n".join(f"Skill number {n}" for n in range(12))
    asks = answers | {
        "hard_skill": many,
        "education": "Not required\nMaster's degree preferred",
        "preferred_qualification": "12+ years of experience in ML",
    }

    checks = {item.check for item in JobDescription.from_answers(role, asks, market).advice}

    assert {"requirements", "experience"} <= checks


def test_paragraphs_split_on_blank_lines_and_join_wrapped_lines():
    assert paragraphs("One\nline.\r\n\r\nTwo.\n\n\n") == ["One line.", "Two."]


def test_markdown_keeps_the_facts_on_their_lines_and_shows_typed_text_as_typed(
    role, answers, market
):
    posting = JobDescription.from_answers(
        role,
        answers | {"company": "Acme <Inc>", "benefits": "Health *and* dental\n# of days: 25"},
        market,
    )

    html = MarkdownIt("commonmark").render(posting.as_markdown())

    assert "<p>Acme &lt;Inc&gt;<br />\nSenior · Full-time" in html
    assert "<li>Health *and* dental</li>" in html
    assert "<li># of days: 25</li>" in html


def test_a_remote_posting_says_where_applicants_may_live_as_its_json_ld_does(role, answers, market):
    posting = JobDescription.from_answers(role, answers | {"workplace": "remote"}, market)

    assert posting.location == "Remote (United States)"
    assert posting.json_ld()["applicantLocationRequirements"] == {
        "@type": "Country",
        "name": "US",
    }
