"""A posting as schema.org `JobPosting` JSON-LD, for the employer's own careers page
(DESIGN.md: templates are not postings, so role pages never carry one).

Google's job-posting guidelines require title, description, datePosted,
hiringOrganization and jobLocation (or, for a remote job, jobLocationType TELECOMMUTE
with applicantLocationRequirements); they recommend baseSalary, employmentType and
validThrough. Every one of those is filled from what the employer chose."""

import datetime
from dataclasses import dataclass

from roles.wages.models import Area, AreaType

# The builder's employment types, as schema.org names them.
EMPLOYMENT_TYPES = {
    "full_time": "FULL_TIME",
    "part_time": "PART_TIME",
    "contract": "CONTRACTOR",
    "contract_to_hire": ["CONTRACTOR", "FULL_TIME"],
}
# Metro titles join principal cities with "-", and with "--" when a city's own name has
# a hyphen ("Scranton--Wilkes-Barre, PA"); a metro of one hyphenated city has neither.
HYPHENATED_CITIES = {"Winston-Salem"}
# How long a posting stays open unless the employer says otherwise.
OPEN_FOR = datetime.timedelta(days=60)


@dataclass(frozen=True)
class Posting:
    title: str
    description_html: str
    company: str
    employment_type: str
    area: Area
    remote: bool
    date_posted: datetime.date
    pay_low: int | None = None
    pay_high: int | None = None
    company_url: str = ""


def postal_address(area: Area) -> dict:
    """Where a BLS area is, as an address: a metro by its first principal city and state
    ("Seattle-Tacoma-Bellevue, WA" is Seattle, WA), a state by its name."""
    address = {"@type": "PostalAddress", "addressCountry": "US"}
    if area.type == AreaType.STATE:
        address["addressRegion"] = area.title
    elif area.type != AreaType.NATIONAL:
        cities, _, states = area.title.partition(", ")
        address["addressLocality"] = first_city(cities)
        if states:
            address["addressRegion"] = states.split("-")[0].strip()
    return address


def first_city(cities: str) -> str:
    """The first principal city of a metro's title."""
    if cities in HYPHENATED_CITIES:
        return cities
    separator = "--" if "--" in cities else "-"
    return cities.split(separator)[0].split("/")[0].strip()


def job_posting_json_ld(posting: Posting) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": posting.title,
        "description": posting.description_html,
        "datePosted": posting.date_posted.isoformat(),
        "validThrough": (posting.date_posted + OPEN_FOR).isoformat(),
        "employmentType": EMPLOYMENT_TYPES[posting.employment_type],
        "hiringOrganization": {"@type": "Organization", "name": posting.company},
    }
    if posting.company_url:
        data["hiringOrganization"]["sameAs"] = posting.company_url
    address = postal_address(posting.area)
    if posting.remote:
        data["jobLocationType"] = "TELECOMMUTE"
        region = address.get("addressRegion")
        data["applicantLocationRequirements"] = (
            {"@type": "State", "name": region}
            if posting.area.type == AreaType.STATE
            else {"@type": "Country", "name": "US"}
        )
    else:
        data["jobLocation"] = {"@type": "Place", "address": address}
    if posting.pay_low is not None and posting.pay_high is not None:
        data["baseSalary"] = {
            "@type": "MonetaryAmount",
            "currency": "USD",
            "value": {
                "@type": "QuantitativeValue",
                "minValue": posting.pay_low,
                "maxValue": posting.pay_high,
                "unitText": "YEAR",
            },
        }
    return data
