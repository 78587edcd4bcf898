import time

import pytest
from django.urls import reverse

from leads.forms import FormToken
from leads.tests.factories import recruiters_group
from roles.models import Area, AreaType
from roles.seeding import seed_library

CONTACT = reverse("leads:contact")


@pytest.fixture
def roles(db):
    seed_library()


@pytest.fixture
def san_jose(db) -> Area:
    """A BLS market, as the wage import makes it."""
    return Area.objects.create(
        code="41940", title="San Jose-Sunnyvale-Santa Clara, CA", type=AreaType.METRO, state="CA"
    )


@pytest.fixture
def make_recruiter(db, django_user_model):
    def make(username: str, **fields):
        fields = {"email": f"{username}@agency.example", "is_staff": True, **fields}
        user = django_user_model.objects.create_user(username, password="x", **fields)
        user.groups.add(recruiters_group())
        return user

    return make


@pytest.fixture
def recruiter(make_recruiter):
    return make_recruiter("rita")


def signed_token(*, age: float = 10, context: dict | None = None, key: str | None = None) -> str:
    """A form token as the contact page would have issued it `age` seconds ago."""
    token = FormToken.issue(context or {})
    return FormToken(
        key=key or token.key, issued_at=time.time() - age, context=token.context
    ).sign()


def form_data(**overrides) -> dict:
    data = {
        "name": "Jane Doe",
        "email": "jane@acme.example",
        "phone": "+1 (415) 555-0100",
        "company": "Acme Robotics",
        "job_title": "VP Engineering",
        "roles": ["nlp-engineer"],
        "hires": "2",
        "location": "San Jose, CA",
        "remote_policy": "hybrid",
        "timeline": "3_months",
        "message": "We need two NLP engineers for our support bot.",
        "consent": "on",
        "website": "",
        "token": signed_token(),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def submit(client, roles):
    def post(**overrides):
        return client.post(CONTACT, form_data(**overrides))

    return post
