"""The agency's phone, office and privacy contact: from settings, on every page that
promises them, and left off (never made up) where they are not set."""

import re
from html import unescape

import pytest
from django.urls import reverse

from leads import tasks
from leads.tests.factories import LeadFactory
from portal.agency import Agency, in_words

pytestmark = pytest.mark.django_db

PHONE = "+1 (206) 555-0100"
TEL = 'href="tel:+12065550100"'


@pytest.fixture
def agency(settings):
    settings.AGENCY_PHONE = PHONE
    settings.AGENCY_ADDRESS = "100 Example Street, Suite 200 | Seattle, WA 98101"
    settings.AGENCY_PRIVACY_EMAIL = "privacy@mltalent.example"
    settings.AGENCY_LEGAL_NAME = "ML Talent Partners LLC"
    settings.LEADS_RETENTION_DAYS = 730
    settings.LEADS_SPAM_RETENTION_DAYS = 30
    return settings


def text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def footer(response) -> str:
    return re.search(r"<footer.*</footer>", response.content.decode(), re.S)[0]


def header(response) -> str:
    return re.search(r"<header.*</header>", response.content.decode(), re.S)[0]


def test_the_phone_is_a_tel_link_in_header_and_footer_of_every_page(client, agency):
    for path in ["/", "/roles/", "/salaries/", "/skills/", "/privacy/", "/contact/"]:
        response = client.get(path)
        assert TEL in header(response), path
        assert TEL in footer(response), path


def test_the_footer_gives_address_company_and_privacy(client, agency):
    html = footer(client.get("/"))

    assert "100 Example Street, Suite 200<br>" in html
    assert "Seattle, WA 98101<br>" in html
    assert 'href="mailto:privacy@mltalent.example"' in html
    assert f'href="{reverse("leads:privacy")}">Privacy notice</a>' in html
    assert re.search(r"© \d{4} ML Talent Partners LLC", html)


def test_contact_and_thank_you_pages_offer_the_phone(client, agency):
    assert f"Call a recruiting expert today: {PHONE}" in text(client.get("/contact/"))
    assert TEL in client.get("/contact/").content.decode().split("<main")[1].split("<footer")[0]
    thanks = client.get(reverse("leads:thanks"))
    assert f"Call us on {PHONE}" in text(thanks)


def test_the_privacy_notice_names_who_to_write_to_and_how_long(client, agency):
    page = text(client.get("/privacy/"))

    assert "erased 2 years after you sent it (730 days)" in page
    assert "deleted after 30 days" in page
    assert "write to privacy@mltalent.example" in page
    assert "ML Talent Partners LLC, trading as ML Talent Partners, is responsible" in page
    assert "100 Example Street, Suite 200 Seattle, WA 98101" in page


def test_the_notice_follows_the_retention_setting(client, agency):
    agency.LEADS_RETENTION_DAYS = 180

    assert "erased 6 months after you sent it (180 days)" in text(client.get("/privacy/"))


def test_the_confirmation_email_signs_off_with_phone_and_address(agency, mailoutbox):
    lead = LeadFactory()
    lead.inquiries.update(confirmation_sent_at=None)

    tasks.confirm_inquiries.call(lead.pk)

    body = mailoutbox[0].body
    assert body.rstrip().endswith(
        f"ML Talent Partners\n{PHONE}\n100 Example Street, Suite 200\nSeattle, WA 98101"
    )
    assert TEL in mailoutbox[0].alternatives[0][0]


def test_unset_details_are_left_off_not_made_up(client, settings):
    settings.AGENCY_PHONE = settings.AGENCY_ADDRESS = settings.AGENCY_PRIVACY_EMAIL = ""

    for path in ["/", "/contact/", "/privacy/", reverse("leads:thanks")]:
        html = client.get(path).content.decode()
        assert "tel:" not in html, path
        assert "mailto:" not in html, path
        assert "Contact us</h2>" not in html
        assert "Prefer to talk?" not in html


@pytest.mark.parametrize(
    ("phone", "uri"),
    [
        ("+1 (206) 555-0100", "tel:+12065550100"),
        ("206.555.0100", "tel:2065550100"),
        ("", ""),
    ],
)
def test_tel_uri(phone, uri, agency):
    agency.AGENCY_PHONE = phone

    assert Agency.from_settings().tel_uri == uri


@pytest.mark.parametrize(
    ("days", "words"), [(730, "2 years"), (365, "1 year"), (90, "3 months"), (45, "45 days")]
)
def test_retention_in_words(days, words):
    assert in_words(days) == words
