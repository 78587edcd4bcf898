"""The editors' pages run a fixed number of queries, however many templates,
bullets and versions there are."""

import datetime

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from roles.history import version_record
from roles.models import Role, RoleItem, Section
from roles.services import role_publish
from roles.tests.factories import RoleFactory, SkillFactory

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def make_templates(count: int, by) -> list:
    """`count` drafts of 3 skills and 4 bullets a section, every other one published
    and edited since, each with `count` versions."""
    skills = [SkillFactory() for _ in range(3)]
    drafts = []
    for n in range(count):
        draft = RoleFactory(published=False, skills=skills)
        RoleItem.objects.bulk_create(
            RoleItem(role=draft, section=section, position=p, text=f"{section} {p}")
            for section in Section
            for p in range(1, 5)
        )
        if n % 2:
            role_publish(draft=draft, by=by)
            Role.objects.filter(pk=draft.pk).update(edited_at=F("published_at") + HOUR)
        for _ in range(count):
            version_record(draft=draft, by=by, comment="Saved")
        drafts.append(draft)
    return drafts


def queries_for(client, url: str, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


PAGES = {
    "changelist": lambda draft: (reverse("admin:roles_role_changelist"), None),
    "changelist, unpublished changes": lambda draft: (
        reverse("admin:roles_role_changelist"),
        {"status": "changed"},
    ),
    "change page": lambda draft: (reverse("admin:roles_role_change", args=[draft.pk]), None),
    "history": lambda draft: (reverse("admin:roles_role_history", args=[draft.pk]), None),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_editor_pages_do_not_grow_with_the_library(admin_client, admin_user, page):
    small = make_templates(2, admin_user)[-1]
    at_small = queries_for(admin_client, *PAGES[page](small))
    large = make_templates(12, admin_user)[-1]

    at_large = queries_for(admin_client, *PAGES[page](large))

    assert at_large == at_small, page
