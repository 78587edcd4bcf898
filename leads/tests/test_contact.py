import logging
import re
from html import unescape

import pytest
import time_machine
from django.core.cache import cache
from django.db import OperationalError, connection
from django.urls import reverse

from leads.forms import FormToken
from leads.models import Inquiry, Lead, SpamReason, Stage
from leads.tests.conftest import CONTACT, form_data, signed_token
from roles.choices import ROLE_CHOICES_CACHE_KEY, published_role_choices
from roles.models import Role
from roles.services import role_publish, role_withdraw

pytestmark = pytest.mark.django_db

THANKS = reverse("leads:thanks")


def page(response) -> str:
    """The page's text as a reader gets it: entities decoded, white space folded."""
    return " ".join(unescape(response.content.decode()).split())


def token_in(response) -> FormToken:
    value = re.search(r'name="token" value="([^"]+)"', response.content.decode())[1]
    return FormToken.read(value)


class TestTheForm:
    def test_shows_every_field_with_a_label(self, client, roles):
        html = page(client.get(CONTACT))

        for label in [
            "Your name",
            "Work email",
            "Phone (optional)",
            "Company",
            "Your job title",
            "Roles you are hiring for",
            "Number of hires",
            "Location or market",
            "Remote policy",
            "When do you need them?",
            "Anything else we should know? (optional)",
            "I agree to be contacted",
        ]:
            assert label in html
        assert 'href="/privacy/">privacy notice</a>' in html

    def test_each_field_helps_the_browser_fill_it_in(self, client, roles):
        html = client.get(CONTACT).content.decode()

        def tag(name: str) -> str:
            return re.search(rf'<(?:input|select|textarea)[^>]*name="{name}"[^>]*>', html)[0]

        assert 'autocomplete="name"' in tag("name")
        assert 'autocomplete="email"' in tag("email")
        assert 'type="email"' in tag("email")
        assert 'autocomplete="tel"' in tag("phone")
        assert re.findall(r'type="(\w+)"', tag("phone")) == ["tel"]  # once: no type="text" too
        assert 'autocomplete="organization"' in tag("company")
        assert 'autocomplete="organization-title"' in tag("job_title")

    def test_the_form_reads_in_two_parts_with_a_hidden_trap_and_one_button(self, client, roles):
        html = page(client.get(CONTACT))

        assert re.search(r"<legend[^>]*> ?About you ?</legend>.*<legend[^>]*> ?What you need", html)
        trap = re.search(r'<div[^>]*class="form-trap"[^>]*>', html)[0]
        assert 'aria-hidden="true"' in trap
        website = re.search(r'<input[^>]*name="website"[^>]*>', html)[0]
        assert 'tabindex="-1"' in website
        assert 'autocomplete="off"' in website
        assert html.count("<form") == 1  # crispy adds no form of its own
        assert html.count('name="csrfmiddlewaretoken"') == 1
        assert re.search(r'<input type="submit"[^>]*value="Send to a recruiting expert"', html)
        assert "We reply within one business day." in html
        assert "I agree to be contacted about this request (see our" in html

    def test_role_in_the_query_is_preselected_and_shown(self, client, roles):
        response = client.get(
            CONTACT, {"role": "nlp-engineer", "seniority": "senior", "area": "41940"}
        )
        html = page(response)

        assert re.search(r'value="nlp-engineer"[^>]*checked', html)
        assert "You were looking at <strong>Natural Language Processing Engineer</strong>" in html
        context = token_in(response).context
        assert (context["role"], context["seniority"], context["area"]) == (
            "nlp-engineer",
            "senior",
            "41940",
        )

    def test_the_market_is_named_and_fills_the_location(self, client, roles, san_jose):
        response = client.get(CONTACT, {"role": "nlp-engineer", "area": "41940"})
        html = page(response)

        assert "in <strong>San Jose-Sunnyvale-Santa Clara, CA</strong>" in html
        assert "BLS area" not in html
        assert re.search(r'name="location" value="San Jose-Sunnyvale-Santa Clara, CA"', html)

    def test_a_visitor_landing_on_the_form_from_a_campaign_keeps_it(self, client, roles):
        response = client.get(CONTACT, {"utm_source": "google", "utm_campaign": "ml-hiring"})

        context = token_in(response).context
        assert (context["utm_source"], context["utm_campaign"]) == ("google", "ml-hiring")

    def test_the_form_is_never_cached(self, client, roles):
        assert "no-store" in client.get(CONTACT)["Cache-Control"]

    def test_unknown_context_values_are_dropped(self, client, roles):
        response = client.get(
            CONTACT, {"role": "astronaut", "seniority": "guru", "area": "<script>"}
        )

        context = token_in(response).context
        assert (context["role"], context["seniority"], context["area"]) == ("", "", "")

    def test_page_and_campaign_are_captured_without_asking(self, client, roles):
        client.get(
            "/roles/nlp-engineer/?utm_source=linkedin&utm_medium=social&utm_campaign=nlp",
            headers={"referer": "https://www.linkedin.com/feed/?trk=abc"},
        )

        response = client.get(
            CONTACT,
            {"role": "nlp-engineer"},
            headers={"referer": "http://testserver/roles/nlp-engineer/?x=1"},
        )
        context = token_in(response).context

        assert context["page"] == "/roles/nlp-engineer/"
        assert context["utm_source"] == "linkedin"
        assert context["utm_campaign"] == "nlp"
        assert context["referrer"] == "https://www.linkedin.com/feed/"

    def test_the_filters_the_visitor_had_chosen_are_kept_with_the_page(self, client, roles):
        response = client.get(
            CONTACT,
            headers={
                "referer": "http://testserver/roles/?skill=pytorch&utm_source=ad"
                "&seniority=senior&skill=docker&page=2&email=jane@acme.example"
            },
        )

        assert token_in(response).context["page"] == (
            "/roles/?skill=pytorch&seniority=senior&skill=docker"
        )

    def test_a_page_of_another_site_is_not_taken_for_ours(self, client, roles):
        response = client.get(CONTACT, headers={"referer": "https://elsewhere.example/roles/x/"})

        context = token_in(response).context
        assert (context["page"], context["referrer"]) == ("", "https://elsewhere.example/roles/x/")

    def test_a_long_page_address_is_cut_to_300_characters(self, client, roles):
        path = "/roles/" + "a" * 400
        response = client.get(CONTACT, headers={"referer": f"http://testserver{path}"})

        assert token_in(response).context["page"] == path[:300]

    def test_a_campaign_is_forgotten_after_thirty_days(self, client, roles):
        with time_machine.travel("2026-10-01 10:00 -05:00", tick=False):
            client.get("/roles/?utm_source=newsletter")
        with time_machine.travel("2026-10-30 10:00 -05:00", tick=False):
            remembered = token_in(client.get(CONTACT)).context["utm_source"]
        with time_machine.travel("2026-11-01 10:00 -05:00", tick=False):
            forgotten = token_in(client.get(CONTACT)).context["utm_source"]

        assert (remembered, forgotten) == ("newsletter", "")


class TestSubmission:
    def test_post_redirect_get_to_a_thank_you_page_without_personal_data(self, submit, client):
        response = submit()

        assert response.status_code == 302
        assert response["Location"] == THANKS
        thanks = client.get(THANKS)
        assert "Thank you: your request has arrived" in page(thanks)
        assert "within one business day" in page(thanks)

    def test_everything_typed_and_captured_is_stored(self, client, roles):
        client.get("/?utm_source=newsletter&utm_campaign=fall")
        token = signed_token(
            context={
                "role": "nlp-engineer",
                "area": "41940",
                "seniority": "mid",
                "page": "/roles/nlp-engineer/",
                "utm_source": "newsletter",
                "utm_campaign": "fall",
            }
        )

        client.post(CONTACT, form_data(token=token, roles=["nlp-engineer", "mlops-engineer"]))

        lead = Lead.objects.get()
        assert (lead.name, lead.email, lead.company, lead.job_title, lead.phone) == (
            "Jane Doe",
            "jane@acme.example",
            "Acme Robotics",
            "VP Engineering",
            "+1 (415) 555-0100",
        )
        assert lead.stage == Stage.NEW
        inquiry = lead.inquiries.get()
        assert sorted(inquiry.roles.values_list("slug", flat=True)) == [
            "mlops-engineer",
            "nlp-engineer",
        ]
        assert (inquiry.hires, inquiry.location, inquiry.remote_policy, inquiry.timeline) == (
            2,
            "San Jose, CA",
            "hybrid",
            "3_months",
        )
        assert inquiry.context_role.slug == "nlp-engineer"
        assert inquiry.context_family.slug == "machine-learning"
        assert (inquiry.context_area, inquiry.context_seniority) == ("41940", "mid")
        assert (inquiry.source_page, inquiry.utm_source, inquiry.utm_campaign) == (
            "/roles/nlp-engineer/",
            "newsletter",
            "fall",
        )
        assert inquiry.consent_at is not None

    def test_pipeline_fields_cannot_be_posted(self, submit, make_recruiter):
        boss = make_recruiter("boss")

        submit(
            stage="won",
            assigned_to=str(boss.pk),
            is_spam="on",
            notified_at="2020-01-01",
            submission_key="chosen",
        )

        lead = Lead.objects.get()
        assert lead.stage == Stage.NEW
        assert lead.is_spam is False
        assert lead.inquiries.get().submission_key != "chosen"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Tell us your name."),
        ("name", "x" * 151, "Ensure this value has at most 150 characters"),
        ("name", "Jane\r\nBcc: victim@example.com", "on one line"),
        ("email", "", "Enter your work email so a recruiter can reply."),
        ("email", "jane-at-acme", "Enter a valid email address, like jane@company.com."),
        ("email", "jane@acme.example\r\nBcc: x@y.z", "Enter a valid email address"),
        # Valid by the standard, refused by mail servers: the confirmation could never go.
        ("email", '"\x01"@example.com', "Enter a valid email address, like jane@company.com."),
        ("email", "a@[127.0.0.1]", "Enter a valid email address, like jane@company.com."),
        ("email", '"jane doe"@example.com', "Enter a valid email address, like jane@company.com."),
        ("phone", "call me maybe", "Enter a phone number with digits"),
        ("company", "", "Tell us which company is hiring."),
        ("job_title", "", "Tell us your role"),
        ("roles", ["astronaut"], "“astronaut” is not one of our role templates."),
        ("hires", "", "How many people do you want to hire?"),
        ("hires", "two", "Enter a whole number of hires"),
        ("hires", "0", "Enter at least 1 hire."),
        ("hires", "1000", "For more than 999 hires"),
        ("location", "", "Tell us where the hires will work"),
        ("remote_policy", "mars", "Select a valid choice"),
        ("timeline", "soon-ish", "Select a valid choice"),
        ("message", "x" * 5001, "under 5,000 characters"),
        ("message", "hello\x00world", "Remove the special characters"),
        ("consent", None, "We need your agreement before a recruiter can contact you."),
        ("token", "forged", "This form could not be checked. Please send it again."),
    ],
)
def test_each_field_explains_what_is_wrong_and_keeps_the_rest(submit, field, value, message):
    response = submit(**{field: value})
    html = page(response)

    assert response.status_code == 200
    assert message in html
    assert not Lead.objects.exists()
    # Nothing else typed is lost.
    if field != "company":
        assert 'value="Acme Robotics"' in html
    if field != "message":
        assert "We need two NLP engineers for our support bot." in html


@pytest.mark.parametrize(
    ("field", "value", "line"),
    [
        (
            "consent",
            None,
            '<a href="#id_consent">I agree to be contacted about this request (see our privacy '
            "notice)</a>: We need your agreement",
        ),
        ("phone", "call me maybe", '<a href="#id_phone">Phone</a>: Enter a phone number'),
    ],
)
def test_the_error_summary_reads_as_sentences(submit, field, value, line):
    html = page(submit(**{field: value}))

    summary = html.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    assert line in summary
    assert ").:" not in summary
    assert "(optional)" not in summary


class TestAbuse:
    def test_honeypot_is_quarantined_not_dropped_and_not_notified(
        self, submit, mailoutbox, recruiter, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = submit(website="http://spam.example")

        assert response["Location"] == THANKS  # a bot learns nothing
        lead = Lead.objects.get()
        assert (lead.is_spam, lead.spam_reason, lead.assigned_to) == (
            True,
            SpamReason.HONEYPOT,
            None,
        )
        assert mailoutbox == []

    def test_a_form_sent_within_three_seconds_comes_back_to_be_sent_again(
        self, submit, client, mailoutbox, django_capture_on_commit_callbacks
    ):
        # A bot, or a person who went Back and sent the restored form at once.
        token = signed_token(age=1)

        response = submit(token=token, company="Acme Robotics")

        assert response.status_code == 200
        assert "Please check your answers and send again" in page(response)
        assert 'value="Acme Robotics"' in response.content.decode()
        assert not Lead.objects.exists()
        kept = token_in(response)
        assert kept.key == FormToken.read(token).key  # the same form, older by the next send
        with django_capture_on_commit_callbacks(execute=True):
            again = submit(token=FormToken(kept.key, kept.issued_at - 5, kept.context).sign())
        assert again["Location"] == THANKS
        assert Lead.objects.get().is_spam is False

    def test_a_form_older_than_two_hours_comes_back_with_a_fresh_token(self, submit):
        old = signed_token(age=2 * 60 * 60 + 5, context={"role": "nlp-engineer"})

        response = submit(token=old)

        assert response.status_code == 200
        assert "This page was open for more than two hours" in page(response)
        assert 'value="Acme Robotics"' in page(response)
        fresh = token_in(response)
        assert fresh.key != FormToken.read(old).key
        assert fresh.age_seconds < 5
        assert fresh.context["role"] == "nlp-engineer"
        assert not Lead.objects.exists()

    def test_the_same_token_twice_makes_one_lead_and_the_same_thank_you(self, submit):
        token = signed_token()

        first, second = submit(token=token), submit(token=token)

        assert first["Location"] == second["Location"] == THANKS
        assert Lead.objects.count() == 1
        assert Inquiry.objects.count() == 1

    def test_too_many_submissions_from_one_address_get_429_with_input_kept(self, submit, settings):
        settings.LEADS_RATE_LIMIT = 2
        assert submit(email="a@acme.example").status_code == 302
        assert submit(email="b@acme.example").status_code == 302

        response = submit(email="c@acme.example")

        assert response.status_code == 429
        assert "Too many requests from your network" in page(response)
        assert response["Retry-After"] == str(settings.LEADS_RATE_LIMIT_WINDOW_SECONDS)
        assert 'value="c@acme.example"' in page(response)
        assert Lead.objects.count() == 2

    def test_corrections_do_not_count_toward_the_limit(self, submit, settings):
        settings.LEADS_RATE_LIMIT = 1
        for typo in ["jane-at-acme", "jane@", "jane@acme"]:
            assert submit(email=typo).status_code == 200  # told what is wrong

        response = submit(email="jane@acme.example")

        assert response.status_code == 302
        assert Lead.objects.count() == 1

    def test_the_rate_limit_is_per_address(self, client, roles, settings):
        settings.LEADS_RATE_LIMIT = 1
        client.post(CONTACT, form_data(email="a@acme.example"))

        response = client.post(CONTACT, form_data(email="b@acme.example"), REMOTE_ADDR="192.0.2.9")

        assert response.status_code == 302


def unavailable_database(execute, sql, params, many, context):
    """An execute wrapper: every query fails as if the server were down."""
    raise OperationalError("could not connect to server")


class TestFailures:
    def test_database_down_shows_503_with_everything_typed_and_never_thanks(self, client, roles):
        client.get(CONTACT)  # the role choices are cached, as on a running site

        with connection.execute_wrapper(unavailable_database):
            response = client.post(CONTACT, form_data())

        html = page(response)
        assert response.status_code == 503
        assert "Your request was not sent" in html
        assert "Thank you" not in html
        assert 'value="jane@acme.example"' in html
        assert re.search(r'value="nlp-engineer"[^>]*checked', html)
        assert not Lead.objects.exists()

    def test_database_down_with_a_cold_cache_still_keeps_the_input(self, client, roles):
        cache.clear()

        with connection.execute_wrapper(unavailable_database):
            response = client.post(CONTACT, form_data())

        assert response.status_code == 503
        assert 'value="jane@acme.example"' in page(response)

    def test_the_form_is_still_shown_while_the_database_is_down(self, client, roles):
        cache.clear()

        with connection.execute_wrapper(unavailable_database):
            response = client.get(CONTACT, {"role": "nlp-engineer"})

        assert response.status_code == 200
        assert "Work email" in page(response)

    def test_no_personal_data_in_logs(
        self, submit, caplog, recruiter, django_capture_on_commit_callbacks
    ):
        with caplog.at_level(logging.DEBUG), django_capture_on_commit_callbacks(execute=True):
            submit()

        for secret in ["Jane Doe", "jane@acme.example", "555-0100", "Acme Robotics"]:
            assert secret not in caplog.text


def test_privacy_notice_explains_erasure(client):
    html = page(client.get(reverse("leads:privacy")))

    assert "Privacy notice" in html
    assert "erase" in html


def can_be_sent_again(response) -> bool:
    """The form came back whole: a CSRF token, a form token, the answers."""
    html = response.content.decode()
    return (
        'name="csrfmiddlewaretoken"' in html
        and token_in(response) is not None
        and 'value="jane@acme.example"' in html
    )


class TestEveryAnswerThatShowsTheFormAgain:
    def test_a_mistake(self, submit):
        response = submit(hires="0")

        assert (response.status_code, can_be_sent_again(response)) == (200, True)

    def test_too_many(self, submit, settings):
        settings.LEADS_RATE_LIMIT = 0

        response = submit()

        assert (response.status_code, can_be_sent_again(response)) == (429, True)

    def test_too_old_and_too_fast(self, submit):
        old = submit(token=signed_token(age=3 * 60 * 60))
        fast = submit(token=signed_token(age=0))

        assert can_be_sent_again(old)
        assert can_be_sent_again(fast)

    def test_the_database_down_with_a_cold_cache_keeps_the_roles_ticked(
        self, client, roles, caplog
    ):
        cache.clear()

        with connection.execute_wrapper(unavailable_database):
            response = client.post(CONTACT, form_data(roles=["nlp-engineer", "mlops-engineer"]))

        html = page(response)
        assert (response.status_code, can_be_sent_again(response)) == (503, True)
        assert "Your request was not sent" in html
        assert re.search(r'value="nlp-engineer"[^>]*checked', html)
        assert re.search(r'value="mlops-engineer"[^>]*checked', html)

    def test_the_database_failing_on_store_is_logged_once_in_words(self, client, roles, caplog):
        client.get(CONTACT)  # role choices cached
        with connection.execute_wrapper(failing_writes):
            client.post(CONTACT, form_data())

        errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
        assert errors.count("A contact form submission could not be stored") == 1


def failing_writes(execute, sql, params, many, context):
    if sql.lstrip().upper().startswith(("INSERT", "UPDATE")):
        raise OperationalError("the database went away")
    return execute(sql, params, many, context)


def test_what_the_visitor_was_looking_at_in_one_sentence(client, roles, san_jose):
    response = client.get(CONTACT, {"role": "nlp-engineer", "seniority": "senior", "area": "41940"})

    assert (
        "You were looking at <strong>Natural Language Processing Engineer</strong>, "
        "<strong>Senior</strong> in <strong>San Jose-Sunnyvale-Santa Clara, CA</strong>."
    ) in page(response)


def test_role_choices_come_from_the_cache_once_read(client, roles, django_assert_num_queries):
    first = published_role_choices()

    with django_assert_num_queries(0):
        again = published_role_choices()

    # As people read titles, whatever the database's collation: Machine before MLOps.
    assert first == again == sorted(first, key=lambda choice: choice[1].casefold())
    assert len(first) == 6
    assert cache.get(ROLE_CHOICES_CACHE_KEY) == first


def test_withdrawing_or_publishing_a_role_changes_the_choices_at_once(
    roles, admin_user, django_capture_on_commit_callbacks
):
    assert "nlp-engineer" in dict(published_role_choices())  # now cached
    draft = Role.objects.drafts().get(slug="nlp-engineer")

    with django_capture_on_commit_callbacks(execute=True):
        role_withdraw(draft=draft, by=admin_user)
    assert "nlp-engineer" not in dict(published_role_choices())

    with django_capture_on_commit_callbacks(execute=True):
        role_publish(draft=draft, by=admin_user)
    assert "nlp-engineer" in dict(published_role_choices())


class TestUnansweredQuestions:
    """Remote policy and timeline are optional: skipping one records no answer."""

    def test_nothing_is_chosen_until_the_employer_chooses(self, client, roles):
        html = client.get(CONTACT).content.decode()

        for name in ["remote_policy", "timeline"]:
            select = re.search(rf'<select[^>]*name="{name}".*?</select>', html, re.S)[0]
            first = re.search(r"<option[^>]*>([^<]*)", select)
            assert first[0].startswith('<option value=""')
            assert first[1] == "Not sure yet"
            assert "selected" not in select.replace('<option value="" selected>', "")
        assert "Remote policy (optional)" in page(client.get(CONTACT))

    def test_skipped_answers_are_stored_blank_and_read_not_sure_yet(self, submit, mailoutbox):
        response = submit(remote_policy="", timeline="")

        assert response.status_code == 302
        inquiry = Inquiry.objects.get()
        assert (inquiry.remote_policy, inquiry.timeline) == ("", "")
        assert (inquiry.remote_policy_label, inquiry.timeline_label) == (
            "Not sure yet",
            "Not sure yet",
        )
        assert inquiry.where == "San Jose, CA"

    def test_a_chosen_answer_reads_as_chosen(self, submit):
        submit(remote_policy="remote", timeline="asap")

        inquiry = Inquiry.objects.get()
        assert inquiry.where == "San Jose, CA (Remote)"
        assert inquiry.timeline_label == "As soon as possible"
