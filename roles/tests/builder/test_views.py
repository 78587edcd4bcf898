"""The builder's pages: the employer's journey from a role page to a posting they keep,
download, or send to a recruiter with their request."""

import datetime
import io
import re

import docx
import pytest
import time_machine
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leads.models import Inquiry
from leads.services.privacy import lead_erase
from leads.tests.conftest import form_data, signed_token
from roles.builder.forms import PostingForm
from roles.models import PostingDraft, Role
from roles.wages.models import OccupationWage
from roles.wages.presentation import OccupationWages

pytestmark = pytest.mark.django_db

SLUG = "machine-learning-engineer"
URL = f"/roles/{SLUG}/customise/"
SEATTLE, AUSTIN = "42660", "12420"
REMOVED = "Design, develop, and deploy machine learning models for real-world applications"
ADDED = "Mentor two junior engineers on model evaluation"


@pytest.fixture
def role(wages):
    return Role.objects.published().prefetch_related("items").get(slug=SLUG)


def form_post(role, *, area=SEATTLE, seniority="senior", **changes) -> dict:
    """The builder's form as a browser sends it, from the template, with changes."""
    initial = PostingForm.initial_for(
        role, OccupationWages.load(role.soc_code), area=area, seniority=seniority
    )
    data = {key: "" if value is None else str(value) for key, value in initial.items()}
    return data | changes


def edited(role, **changes) -> dict:
    """The employer's edit: the first responsibility out, one of theirs in."""
    lines = form_post(role)["responsibility"].splitlines()
    return form_post(role, responsibility="\n".join([*lines[1:], ADDED]), **changes)


def test_a_role_page_links_to_its_builder_in_the_market_shown(client, role):
    html = client.get(f"/roles/{SLUG}/?area={SEATTLE}").content.decode()

    assert f'href="{URL}?area={SEATTLE}">Customise this job description</a>' in html


def test_the_builder_opens_with_the_template_priced_for_the_market(client, role):
    response = client.get(URL, {"area": SEATTLE, "seniority": "senior"})
    html = response.content.decode()
    seattle = OccupationWage.objects.get(soc_code=role.soc_code, area__code=SEATTLE)

    assert response.status_code == 200
    assert f'<option value="{SEATTLE}" selected>' in html
    assert f'name="pay_low" value="{seattle.median}"' in html
    assert f"Pay: ${seattle.median:,} to ${seattle.p75:,} a year" in html
    assert "Pay range from Seattle-Tacoma-Bellevue, WA, BLS OEWS May" in html
    assert REMOVED in html
    # Private and revalidated, but kept for Back (no-store would make Back resubmit a preview).
    cache_control = set(response["Cache-Control"].replace(" ", "").split(","))
    assert {"private", "no-cache", "max-age=0"} <= cache_control
    assert "no-store" not in cache_control
    assert "X-Robots-Tag" not in response


def test_the_pay_law_of_the_market_is_named_with_not_legal_advice(client, role):
    seattle = client.get(URL, {"area": SEATTLE}).content.decode()
    austin = client.get(URL, {"area": AUSTIN}).content.decode()

    assert (
        "This posting is for Seattle-Tacoma-Bellevue, WA, in Washington, where a pay range "
        "is required" in seattle
    )
    assert "RCW 49.58.110</a>, effective January 1, 2023" in seattle
    assert "Not legal advice" in seattle
    assert "where a pay range is required" not in austin


def test_removing_the_range_where_the_law_requires_one_is_said(client, role):
    html = client.post(URL, form_post(role, pay_low="", pay_high="")).content.decode()

    assert "Your posting has no pay range." in html


def test_the_preview_shows_the_edit_and_the_new_markets_range(client, role):
    data = edited(role) | {"area": AUSTIN, "seniority": "lead"}
    austin = OccupationWage.objects.get(soc_code=role.soc_code, area__code=AUSTIN)

    html = client.post(URL, data).content.decode()

    assert f'<li dir="auto">{ADDED}</li>' in html
    assert f'<li dir="auto">{REMOVED}</li>' not in html
    assert f'name="pay_low" value="{austin.p75}"' in html
    assert "Austin-Round Rock-San Marcos, TX" in html


def test_bad_input_is_said_and_keeps_what_was_typed(client, role):
    response = client.post(URL, edited(role, title="", company="Acme <Robotics>"))
    html = response.content.decode()

    assert response.status_code == 400
    assert "Please correct 1 answer" in html
    assert '<a href="#id_title">Job title</a>: Enter a job title.' in html
    assert 'value="Acme &lt;Robotics&gt;"' in html
    assert ADDED in html


@pytest.mark.parametrize(
    ("action", "content_type", "extension"),
    [
        ("docx", "application/vnd.openxmlformats", "docx"),
        ("pdf", "application/pdf", "pdf"),
        ("text", "text/plain", "txt"),
        ("markdown", "text/markdown", "md"),
        ("html", "text/html", "html"),
    ],
)
def test_each_download_is_an_attachment_named_for_the_job(
    client, role, action, content_type, extension
):
    response = client.post(URL, edited(role, title="Senior ML Engineer", action=action))

    assert response["Content-Type"].startswith(content_type)
    assert response["Content-Disposition"] == (
        f'attachment; filename="senior-ml-engineer.{extension}"'
    )
    assert "no-store" in response["Cache-Control"]


def test_the_downloaded_docx_holds_the_edit(client, role):
    response = client.post(URL, edited(role, action="docx"))
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)

    assert ADDED in text
    assert REMOVED not in text


def test_saving_gives_a_link_that_restores_the_form_and_is_never_indexed(client, role):
    response = client.post(URL, edited(role, company="Acme Robotics", action="save"))
    draft = PostingDraft.objects.get()

    assert response.status_code == 302
    assert response["Location"] == f"{URL}{draft.token}/"
    assert len(draft.token) >= 24
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert 'value="Acme Robotics"' in html
    assert f'<li dir="auto">{ADDED}</li>' in html
    assert f'<li dir="auto">{REMOVED}</li>' not in html
    assert f'<option value="{SEATTLE}" selected>' in html
    assert f'action="{URL}{draft.token}/#result"' in html
    assert "This link opens your job description again until" in html
    assert f"http://testserver{URL}{draft.token}/" in html


def test_saving_a_saved_one_keeps_its_link_and_restarts_its_retention(client, role):
    with time_machine.travel("2026-12-01 09:00Z", tick=False):
        client.post(URL, edited(role, action="save"))
    draft = PostingDraft.objects.get()

    with time_machine.travel("2027-01-20 09:00Z", tick=False):
        client.post(draft.get_absolute_url(), edited(role, company="Acme", action="save"))

    draft.refresh_from_db()
    assert PostingDraft.objects.count() == 1
    assert draft.answers["company"] == "Acme"
    assert draft.expires_on == datetime.date(2027, 4, 20)


def test_an_unknown_link_or_role_is_not_found(client, role):
    other = Role.objects.published().exclude(slug=SLUG).first()
    draft = PostingDraft.objects.create(role=role, answers=form_post(role), text="x")

    assert client.get(f"{URL}no-such-saved-draft/").status_code == 404
    assert client.get(f"/roles/{other.slug}/customise/{draft.token}/").status_code == 404
    assert client.get("/roles/no-such-role/customise/").status_code == 404


@override_settings(BUILDER_DRAFT_RETENTION_DAYS=90)
def test_the_purge_deletes_drafts_unsaved_for_the_retention_period(role):
    with time_machine.travel("2026-09-01 09:00Z", tick=False):
        old = PostingDraft.objects.create(role=role, answers=form_post(role), text="old")
    with time_machine.travel("2026-11-01 09:00Z", tick=False):
        recent = PostingDraft.objects.create(role=role, answers=form_post(role), text="new")

    out = io.StringIO()
    with time_machine.travel("2026-12-05 09:00Z", tick=False):
        call_command("purge_leads", stdout=out)

    assert list(PostingDraft.objects.all()) == [recent]
    assert not PostingDraft.objects.filter(pk=old.pk).exists()
    assert "1 saved job description(s) deleted (unsaved for 90 days)." in out.getvalue()


def test_sending_it_opens_the_contact_form_filled_in_with_the_posting_attached(client, role):
    response = client.post(URL, edited(role, action="send"))
    draft = PostingDraft.objects.get()

    assert response.status_code == 302
    assert response["Location"] == (
        f"{reverse('leads:contact')}?role={SLUG}&seniority=senior&area={SEATTLE}"
        f"&posting={draft.token}"
    )
    html = client.get(response["Location"]).content.decode()
    assert "Your job description <strong>Machine Learning Engineer</strong> is attached" in html
    assert 'value="Seattle-Tacoma-Bellevue, WA"' in html
    assert re.search(rf'name="roles" value="{SLUG}"\s+id="id_roles_\d+" checked>', html)


def test_the_inquiry_carries_the_posting_and_erasure_removes_it(client, role, settings):
    settings.LEADS_FORM_MIN_SECONDS = 0
    client.post(URL, edited(role, company="Acme Robotics", action="send"))
    draft = PostingDraft.objects.get()
    context = {"role": SLUG, "seniority": "senior", "area": SEATTLE, "posting": draft.token}

    response = client.post(
        reverse("leads:contact"),
        form_data(roles=[SLUG], token=signed_token(context=context)),
    )

    assert response.status_code == 302
    inquiry = Inquiry.objects.get()
    assert inquiry.posting_draft == draft
    assert ADDED in inquiry.job_description
    assert REMOVED not in inquiry.job_description
    assert "Acme Robotics" in inquiry.job_description

    lead_erase(lead=inquiry.lead)
    inquiry.refresh_from_db()
    assert inquiry.job_description == ""
    assert inquiry.posting_draft is None
    assert not PostingDraft.objects.exists()


def test_a_forged_posting_token_attaches_nothing(client, role, settings):
    settings.LEADS_FORM_MIN_SECONDS = 0
    context = {"role": SLUG, "posting": "not-a-saved-draft-at-all"}

    client.post(reverse("leads:contact"), form_data(token=signed_token(context=context)))

    inquiry = Inquiry.objects.get()
    assert (inquiry.job_description, inquiry.posting_draft) == ("", None)


# The role and its items, the wage year and the wages (nation and markets); for a
# market, its pay laws; and a saved draft's page, the draft.
@pytest.mark.parametrize(("path", "budget"), [(URL, 4), (f"{URL}?area={SEATTLE}", 5), ("draft", 6)])
def test_the_builder_runs_a_fixed_number_of_queries(
    client, role, path, budget, django_assert_num_queries
):
    if path == "draft":
        answers = PostingForm.initial_for(role, OccupationWages.load(role.soc_code), area=SEATTLE)
        path = PostingDraft.objects.create(role=role, answers=answers, text="x")
        path = path.get_absolute_url()

    with django_assert_num_queries(budget):
        response = client.get(path)

    assert response.status_code == 200


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    title=st.text(min_size=1, max_size=80).filter(lambda t: t.strip() and "\x00" not in t),
    pay=st.one_of(st.just(""), st.integers(-5, 10**8).map(str), st.text(max_size=8)),
    area=st.sampled_from(["", SEATTLE, AUSTIN, "99999", "<x>"]),
)
def test_any_post_is_answered_with_the_form_never_a_500(client, role, title, pay, area):
    response = client.post(URL, edited(role, title=title, pay_low=pay, area=area))

    assert response.status_code in (200, 400)
    assert ADDED in response.content.decode()  # nothing typed is lost


def test_too_many_files_or_saves_from_one_address_are_refused_keeping_the_posting(
    client, role, monkeypatch
):
    monkeypatch.setattr("roles.builder.views.COSTLY_LIMIT", 2)
    data = edited(role, company="Acme Robotics")
    for action in ("docx", "pdf"):
        assert client.post(URL, data | {"action": action}).status_code == 200

    refused = client.post(URL, data | {"action": "save"})
    html = refused.content.decode()

    assert refused.status_code == 429
    assert refused["Retry-After"] == "600"
    assert "Too many downloads and saves from your network" in html
    assert 'value="Acme Robotics"' in html
    assert f'<li dir="auto">{ADDED}</li>' in html
    assert not PostingDraft.objects.exists()
    assert client.post(URL, data | {"action": "preview"}).status_code == 200  # previews go on


def test_a_market_without_figures_says_so_and_the_range_can_be_asked_for_again(client, role):
    OccupationWage.objects.filter(soc_code=role.soc_code, area__code=AUSTIN).update(median=None)

    austin = client.post(URL, form_post(role) | {"area": AUSTIN}).content.decode()
    back = client.post(URL, edited(role, pay_low="", pay_high="", action="data_pay"))

    assert "BLS publishes no figures for this level in Austin-Round Rock-San Marcos, TX" in austin
    seattle = OccupationWage.objects.get(soc_code=role.soc_code, area__code=SEATTLE)
    assert f'name="pay_low" value="{seattle.median}"' in back.content.decode()


def test_a_metro_across_states_is_partly_in_the_state_and_no_law_is_said_too(client, role):
    portland = client.get(URL, {"area": "38900"}).content.decode()
    austin = client.get(URL, {"area": AUSTIN}).content.decode()
    nation = client.get(URL).content.decode()

    assert "Portland-Vancouver-Hillsboro, OR-WA, partly in Washington, where" in portland
    assert "No state law in our pay transparency table covers Austin-Round Rock" in austin
    assert "Choose a market to see whether a state requires a pay range" in nation


def test_the_builder_answers_head_and_previews_land_on_the_result(client, role):
    assert client.head(URL).status_code == 200
    assert f'action="{URL}#result"' in client.get(URL).content.decode()


def test_the_contact_form_starts_with_the_postings_company_and_workplace(client, role):
    client.post(URL, edited(role, company="Acme Robotics", workplace="remote", action="send"))
    draft = PostingDraft.objects.get()

    html = client.get(reverse("leads:contact"), {"posting": draft.token}).content.decode()

    assert 'name="company" value="Acme Robotics"' in html
    assert re.search(r'<option value="remote"\s+selected>', html)
