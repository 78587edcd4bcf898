import datetime
import importlib

import factory
from django.contrib.auth.models import Group, Permission

from roles.models import (
    Copy,
    Role,
    RoleFamily,
    RoleItem,
    SearchSynonym,
    Section,
    Seniority,
    Skill,
    SkillKind,
)

# The data migrations that set the group up hold the lists of its permissions.
editors_migration = importlib.import_module("roles.migrations.0002_editors_group")
wage_editors_migration = importlib.import_module("roles.migrations.0004_editors_import_wages")
search_migration = importlib.import_module("roles.migrations.0007_search_synonyms_and_trigrams")


def editors_group() -> Group:
    """The Editors group as its migrations make it.

    Tests that run outside a transaction flush the database afterwards, and the
    groups made by data migrations go with it; this puts it back when needed."""
    group, created = Group.objects.get_or_create(name=editors_migration.EDITORS)
    if created:
        codenames = [
            f"{action}_{model}"
            for model in editors_migration.EDITED_MODELS
            for action in editors_migration.ACTIONS
        ]
        codenames += wage_editors_migration.WAGE_PERMISSIONS
        codenames += ["merge_skill"]  # roles.migrations.0006_skill_slug_redirects
        codenames += search_migration.EDITOR_PERMISSIONS
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="roles", codename__in=codenames)
        )
    return group


def seed_synonyms() -> None:
    """The search synonyms as their migration seeds them, put back after a flush
    as `editors_group` puts the group back."""
    for term, expansions in search_migration.SEED_SYNONYMS.items():
        SearchSynonym.objects.get_or_create(term=term, defaults={"expansions": expansions})


class RoleFamilyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleFamily
        django_get_or_create = ["slug"]

    name = "Machine learning"
    slug = "machine-learning"


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Skill {n}")
    slug = factory.Sequence(lambda n: f"skill-{n}")
    kind = SkillKind.FRAMEWORK


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Role {n} Engineer")
    slug = factory.Sequence(lambda n: f"role-{n}-engineer")
    family = factory.SubFactory(RoleFamilyFactory)
    summary = "Builds things that learn."
    overview = "First paragraph.\n\nSecond paragraph."
    experience_min_years = 2
    experience_max_years = 4
    seniority = Seniority.MID
    soc_code = "15-2051"
    soc_title = "Data Scientists"
    soc_rationale = "The closest BLS occupation."
    published = True
    # What the site serves is a published (live) copy; an unpublished factory role
    # is a draft, which the site never shows either.
    copy = factory.LazyAttribute(lambda role: Copy.LIVE if role.published else Copy.DRAFT)
    last_reviewed = datetime.date(2026, 11, 1)

    @factory.post_generation
    def skills(self, create, extracted, **kwargs):
        if create and extracted:
            self.skills.set(extracted)

    @factory.post_generation
    def responsibilities(self, create, extracted, **kwargs):
        for position, text in enumerate(extracted or [], start=1):
            RoleItem.objects.create(
                role=self, section=Section.RESPONSIBILITY, position=position, text=text
            )
