"""Many employers at once, and impatient double clicks, on a real PostgreSQL."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.test import Client

from leads.models import Inquiry, Lead
from leads.tests.conftest import CONTACT, form_data, signed_token

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.flushes,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="parallel writers need a server database; CI runs this on PostgreSQL",
    ),
]
PARALLEL = 50


def _post(data: dict) -> int:
    try:
        return Client(REMOTE_ADDR="198.51.100.1").post(CONTACT, data).status_code
    finally:
        connections.close_all()


def _post_all(payloads: list[dict]) -> list[int]:
    with ThreadPoolExecutor(max_workers=10) as pool:
        return list(pool.map(_post, payloads))


def test_fifty_parallel_submissions_make_fifty_leads(roles, settings):
    settings.LEADS_RATE_LIMIT = 1000
    payloads = [form_data(email=f"person{i}@company{i}.example") for i in range(PARALLEL)]

    statuses = _post_all(payloads)

    assert statuses == [302] * PARALLEL
    assert Lead.objects.count() == PARALLEL
    assert Inquiry.objects.count() == PARALLEL


def test_the_same_token_sent_in_parallel_makes_one_lead(roles, settings):
    settings.LEADS_RATE_LIMIT = 1000
    payload = form_data(token=signed_token())

    statuses = _post_all([payload] * PARALLEL)

    assert statuses == [302] * PARALLEL
    assert Lead.objects.count() == 1
    assert Inquiry.objects.count() == 1


def test_parallel_submissions_from_one_new_email_make_one_lead(roles, settings):
    settings.LEADS_RATE_LIMIT = 1000
    payloads = [
        form_data(token=signed_token(), email="Same.Person@example.com", hires=1 + i % 3)
        for i in range(20)
    ]

    statuses = _post_all(payloads)

    assert statuses == [302] * 20
    lead = Lead.objects.get()
    assert lead.inquiries.count() == 20
    assert lead.hires == 3
