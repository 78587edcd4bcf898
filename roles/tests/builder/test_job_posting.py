"""The posting's JobPosting JSON-LD: every property Google's guidelines require, and
the recommended ones the builder has."""

import datetime
import json

import pytest

from roles.builder.job_posting import Posting, job_posting_json_ld, postal_address
from roles.wages.models import Area, AreaType

REQUIRED = {"title", "description", "datePosted", "hiringOrganization"}
RECOMMENDED = {"baseSalary", "employmentType", "validThrough"}

SEATTLE = Area(code="42660", title="Seattle-Tacoma-Bellevue, WA", type=AreaType.METRO, state="WA")
CALIFORNIA = Area(code="06", title="California", type=AreaType.STATE, state="California")
NEW_YORK = Area(code="35620", title="New York-Newark-Jersey City, NY-NJ", type=AreaType.METRO)


def posting(**changes) -> Posting:
    fields = {
        "title": "Senior MLOps Engineer",
        "description_html": "<p>Build our ML platform.</p><ul><li>Ship models</li></ul>",
        "company": "Acme Robotics",
        "employment_type": "full_time",
        "area": SEATTLE,
        "remote": False,
        "date_posted": datetime.date(2026, 12, 5),
        "pay_low": 150000,
        "pay_high": 190000,
    }
    return Posting(**(fields | changes))


def test_an_on_site_posting_has_every_required_and_recommended_property():
    data = json.loads(json.dumps(job_posting_json_ld(posting())))  # as pasted: plain JSON

    assert REQUIRED | RECOMMENDED | {"jobLocation"} <= data.keys()
    assert data["@type"] == "JobPosting"
    assert data["datePosted"] == "2026-12-05"
    assert data["validThrough"] == "2027-02-03"
    assert data["employmentType"] == "FULL_TIME"
    assert data["hiringOrganization"] == {"@type": "Organization", "name": "Acme Robotics"}
    assert data["jobLocation"]["address"] == {
        "@type": "PostalAddress",
        "addressCountry": "US",
        "addressLocality": "Seattle",
        "addressRegion": "WA",
    }
    assert data["baseSalary"] == {
        "@type": "MonetaryAmount",
        "currency": "USD",
        "value": {
            "@type": "QuantitativeValue",
            "minValue": 150000,
            "maxValue": 190000,
            "unitText": "YEAR",
        },
    }


def test_a_remote_posting_says_telecommute_and_where_applicants_may_live():
    anywhere = job_posting_json_ld(posting(remote=True))
    in_california = job_posting_json_ld(posting(remote=True, area=CALIFORNIA))

    assert "jobLocation" not in anywhere
    assert anywhere["jobLocationType"] == "TELECOMMUTE"
    assert anywhere["applicantLocationRequirements"] == {"@type": "Country", "name": "US"}
    assert in_california["applicantLocationRequirements"] == {
        "@type": "State",
        "name": "California",
    }


@pytest.mark.parametrize(
    ("area", "address"),
    [
        (NEW_YORK, {"addressLocality": "New York", "addressRegion": "NY"}),
        (CALIFORNIA, {"addressRegion": "California"}),
    ],
)
def test_an_area_becomes_an_address(area, address):
    assert postal_address(area) == {"@type": "PostalAddress", "addressCountry": "US"} | address


def test_without_a_range_there_is_no_salary_and_contract_to_hire_is_both_types():
    data = job_posting_json_ld(
        posting(pay_low=None, pay_high=None, employment_type="contract_to_hire")
    )

    assert "baseSalary" not in data
    assert data["employmentType"] == ["CONTRACTOR", "FULL_TIME"]


@pytest.mark.parametrize(
    ("title", "city"),
    [
        ("Seattle-Tacoma-Bellevue, WA", "Seattle"),
        ("Winston-Salem, NC", "Winston-Salem"),
        ("Scranton--Wilkes-Barre, PA", "Scranton"),
        ("Nashville-Davidson--Murfreesboro--Franklin, TN", "Nashville-Davidson"),
        ("Louisville/Jefferson County, KY-IN", "Louisville"),
    ],
)
def test_a_metro_is_placed_in_its_first_principal_city(title, city):
    area = Area(code="1", title=title, type=AreaType.METRO)

    assert postal_address(area)["addressLocality"] == city
