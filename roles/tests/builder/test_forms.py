"""The builder's form: the template as a posting to start from, the pay range that follows
the market until the employer types their own, and clear messages for bad input."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roles.builder.forms import MAX_BULLETS, PostingForm, bullets
from roles.models import Role
from roles.wages.models import OccupationWage
from roles.wages.presentation import OccupationWages

pytestmark = pytest.mark.django_db

SEATTLE, SAN_JOSE = "42660", "41940"


@pytest.fixture
def role(wages):
    return Role.objects.published().prefetch_related("items").get(slug="machine-learning-engineer")


@pytest.fixture
def market(role):
    return OccupationWages.load(role.soc_code)


def wage(role, code):
    return OccupationWage.objects.get(soc_code=role.soc_code, area__code=code)


def posted(role, market, **changes):
    """The form as the browser sends it after showing `initial_for`, with changes."""
    data = PostingForm.initial_for(role, market, area=SEATTLE, seniority="senior")
    data = {key: "" if value is None else str(value) for key, value in data.items()}
    return PostingForm(data | changes, role=role, wages=market)


def test_it_starts_from_the_template_at_its_seniority_in_the_nation(role, market):
    initial = PostingForm.initial_for(role, market)

    assert initial["title"] == role.title
    assert initial["seniority"] == role.seniority
    assert initial["area"] == ""
    assert initial["responsibility"].splitlines() == role.items_in("responsibility")
    national = market.national
    assert (initial["pay_low"], initial["pay_high"]) == (national.p25, national.median)


def test_an_unknown_market_or_seniority_in_the_link_is_ignored(role, market):
    initial = PostingForm.initial_for(role, market, area="00000", seniority="czar")

    assert (initial["area"], initial["seniority"]) == ("", role.seniority)


def test_the_range_follows_the_market_and_seniority_until_the_employer_types_one(role, market):
    form = posted(role, market, area=SAN_JOSE, seniority="lead")

    assert form.is_valid(), form.errors
    san_jose = wage(role, SAN_JOSE)
    assert (form.cleaned_data["pay_low"], form.cleaned_data["pay_high"]) == (
        san_jose.p75,
        san_jose.p90,
    )
    assert form.cleaned_data["suggested_pay"] == f"{san_jose.p75}-{san_jose.p90}"


def test_a_range_the_employer_typed_is_kept_whatever_market_they_choose(role, market):
    form = posted(role, market, pay_low="150000", pay_high="190000", area=SAN_JOSE)

    assert form.is_valid(), form.errors
    assert (form.cleaned_data["pay_low"], form.cleaned_data["pay_high"]) == (150000, 190000)
    assert form.cleaned_data["suggested_pay"] == ""  # theirs from now on


def test_a_range_the_employer_cleared_stays_cleared(role, market):
    form = posted(role, market, pay_low="", pay_high="")

    assert form.is_valid(), form.errors
    assert (form.cleaned_data["pay_low"], form.cleaned_data["pay_high"]) == (None, None)


@pytest.mark.parametrize(
    ("low", "high", "field", "message"),
    [
        ("150000", "", "pay_high", "Enter where the range ends, or clear both figures."),
        ("", "150000", "pay_low", "Enter where the range starts, or clear both figures."),
        ("190000", "150000", "pay_high", "Enter a figure at least as high as the first."),
        ("-5", "150000", "pay_low", "Enter a yearly figure above zero."),
        (
            "lots",
            "150000",
            "pay_low",
            "Enter a yearly figure in dollars, digits only, like 150000.",
        ),
        ("1", "99999999", "pay_high", "Enter a yearly figure up to 10,000,000."),
    ],
)
def test_a_range_that_makes_no_sense_is_said_so(role, market, low, high, field, message):
    form = posted(role, market, pay_low=low, pay_high=high)

    assert not form.is_valid()
    assert form.errors[field] == [message]


def test_a_section_is_one_bullet_per_line_with_pasted_marks_dropped():
    assert bullets("- Build models\n\n* Ship them\n• Watch them\n2. Retrain\n  ") == [
        "Build models",
        "Ship them",
        "Watch them",
        "Retrain",
    ]


def test_too_many_bullets_or_a_very_long_one_is_refused_with_a_message(role, market):
    many = posted(role, market, responsibility="\n".join(["Do a thing"] * (MAX_BULLETS + 1)))
    long = posted(role, market, benefits="x" * 600)

    assert many.errors["responsibility"] == [f"Keep it to {MAX_BULLETS} lines or fewer."]
    assert long.errors["benefits"] == ["Keep each line under 500 characters."]


def test_the_error_summary_names_each_field_in_page_order_in_words(role, market):
    form = posted(role, market, company_url="not a site", title="", pay_high="", area="nowhere")

    assert not form.is_valid()
    assert [(name, error) for _, name, error in form.error_summary()] == [
        ("Job title", "Enter a job title."),
        ("Market", "Choose a market from the list."),
        ("Pay to (USD a year)", "Enter where the range ends, or clear both figures."),
        ("Company website", "Enter the website's address, like acme.com."),
    ]


def test_after_a_market_without_figures_the_range_follows_the_next_market(role, market):
    no_figures = OccupationWage.objects.get(soc_code=role.soc_code, area__code=SEATTLE)
    no_figures.median = None
    no_figures.save()
    market = OccupationWages.load(role.soc_code)
    empty = PostingForm.with_suggested_pay({"area": SEATTLE, "seniority": "senior"}, market)
    data = posted(role, market).data | {
        "area": SAN_JOSE,
        "pay_low": "",
        "pay_high": "",
        "suggested_pay": empty["suggested_pay"],
    }

    form = PostingForm(data, role=role, wages=market)

    assert (empty["pay_low"], empty["pay_high"], empty["suggested_pay"]) == (None, None, "none")
    assert form.is_valid(), form.errors
    san_jose = wage(role, SAN_JOSE)
    assert (form.cleaned_data["pay_low"], form.cleaned_data["pay_high"]) == (
        san_jose.median,
        san_jose.p75,
    )


def test_a_range_cleared_on_purpose_is_not_refilled_on_the_next_update(role, market):
    first = posted(role, market, pay_low="", pay_high="")
    assert first.is_valid()
    data = {k: "" if v is None else str(v) for k, v in first.answers().items()}

    second = PostingForm(data | {"area": SAN_JOSE}, role=role, wages=market)

    assert second.is_valid()
    assert (second.cleaned_data["pay_low"], second.cleaned_data["pay_high"]) == (None, None)


def test_the_data_range_can_be_asked_for_again(role, market):
    form = posted(role, market, pay_low="1000", pay_high="2000")
    assert form.is_valid()

    answers = form.data_pay()

    seattle = wage(role, SEATTLE)
    assert (answers["pay_low"], answers["pay_high"]) == (seattle.median, seattle.p75)


FIELDS = [
    "company",
    "company_url",
    "about_company",
    "title",
    "seniority",
    "employment_type",
    "area",
    "workplace",
    "pay_low",
    "pay_high",
    "suggested_pay",
    "overview",
    "responsibility",
    "benefits",
]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.dictionaries(
        st.sampled_from(FIELDS),
        st.one_of(
            st.text(max_size=300),
            st.integers(-(10**12), 10**12).map(str),
            st.sampled_from(["senior", "42660", "remote", "contract", "1-2", "x" * 9000]),
        ),
    )
)
def test_any_input_is_either_a_posting_or_a_message_never_an_exception(role, market, data):
    form = PostingForm(data, role=role, wages=market)

    if form.is_valid():
        answers = form.answers()
        assert answers["title"].strip()
        low, high = answers["pay_low"], answers["pay_high"]
        assert (low is None) == (high is None)
        assert low is None or 1 <= low <= high
    else:
        assert form.errors
        assert all(message for messages in form.errors.values() for message in messages)
