"""The contact form with its cache down or hanging: a real Redis, stopped or frozen."""

import logging
import time

import pytest
from django.urls import reverse

from leads.models import Lead
from leads.tests.conftest import CONTACT, form_data

pytestmark = pytest.mark.django_db

THANKS = reverse("leads:thanks")


@pytest.fixture(params=["down", "hanging"])
def broken_redis(request, redis_cache):
    """The portal's Redis refusing connections, or accepting them and never answering."""
    if request.param == "down":
        redis_cache.stop()
    else:
        redis_cache.freeze()
    return request.param


def test_the_rate_limit_counts_on_a_working_redis(client, roles, redis_cache, settings):
    settings.LEADS_RATE_LIMIT = 1

    first = client.post(CONTACT, form_data(email="a@a.example"))
    second = client.post(CONTACT, form_data(email="b@b.example"))

    assert (first.status_code, second.status_code) == (302, 429)


def test_the_form_is_shown_and_a_lead_stored_without_redis(client, roles, broken_redis, caplog):
    started = time.monotonic()
    with caplog.at_level(logging.WARNING):
        form = client.get(CONTACT, {"role": "nlp-engineer"})
        sent = client.post(CONTACT, form_data())
    elapsed = time.monotonic() - started

    assert form.status_code == 200
    assert "Natural Language Processing Engineer" in form.content.decode()
    assert (sent.status_code, sent["Location"]) == (302, THANKS)
    assert Lead.objects.get().email == "jane@acme.example"
    assert "Cache unavailable: contact-form rate limit not applied" in caplog.text
    # Two requests, each giving up on Redis after a quarter of a second per call.
    assert elapsed < 3


def test_readyz_names_the_cache_when_redis_fails(client, broken_redis):
    started = time.monotonic()
    response = client.get(reverse("readyz"))

    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "failing"}
    assert time.monotonic() - started < 2
