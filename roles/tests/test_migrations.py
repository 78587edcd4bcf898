import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from roles.models import Copy, Role

BEFORE_DRAFTS = ("roles", "0004_editors_import_wages")


def role_fields(slug: str, **extra) -> dict:
    return {
        "title": slug.replace("-", " ").title(),
        "slug": slug,
        "summary": "Builds things that learn.",
        "overview": "One paragraph.",
        "experience_min_years": 2,
        "experience_max_years": 4,
        "seniority": "mid",
        "soc_code": "15-2051",
        "soc_title": "Data Scientists",
        "soc_rationale": "The closest BLS occupation.",
        "last_reviewed": datetime.date(2026, 11, 1),
        **extra,
    }


@pytest.mark.django_db(transaction=True)
@pytest.mark.flushes
def test_the_migration_gives_each_published_template_a_draft_and_keeps_its_row_public():
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE_DRAFTS])
    apps = executor.loader.project_state([BEFORE_DRAFTS]).apps
    OldRole = apps.get_model("roles", "Role")
    family = apps.get_model("roles", "RoleFamily").objects.create(name="ML", slug="ml")
    skill = apps.get_model("roles", "Skill").objects.create(name="PyTorch", slug="pytorch")
    general = OldRole.objects.create(family=family, published=True, **role_fields("ml-engineer"))
    special = OldRole.objects.create(
        family=family, parent=general, published=True, **role_fields("cv-engineer")
    )
    unpublished = OldRole.objects.create(
        family=family, published=False, **role_fields("new-engineer")
    )
    special.skills.add(skill)
    apps.get_model("roles", "RoleItem").objects.create(
        role=special, section="responsibility", position=1, text="Trains models."
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    live = Role.objects.get(pk=special.pk)  # inquiries point at this row: it stays public
    draft = live.draft
    assert (live.copy, live.published) == (Copy.LIVE, True)
    assert (draft.copy, draft.published, draft.slug) == (Copy.DRAFT, False, "cv-engineer")
    assert draft.items_in("responsibility") == ["Trains models."]
    assert list(draft.skills.values_list("slug", flat=True)) == ["pytorch"]
    assert draft.parent == Role.objects.get(pk=general.pk).draft
    assert draft.published_at == live.published_at
    assert not draft.has_unpublished_changes
    left_alone = Role.objects.get(pk=unpublished.pk)
    assert (left_alone.copy, left_alone.live_copy) == (Copy.DRAFT, None)
    assert Role.objects.count() == 5

    # And back: the drafts go, the published copies are templates again.
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE_DRAFTS])
    executor.loader.build_graph()
    assert set(OldRole.objects.values_list("slug", "published")) == {
        ("ml-engineer", True),
        ("cv-engineer", True),
        ("new-engineer", False),
    }
    executor.migrate(executor.loader.graph.leaf_nodes())
