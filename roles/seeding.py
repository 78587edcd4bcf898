"""The seed library (fixtures/roles.json) goes in once, and never over an editor's work.

`loaddata` writes every object of a fixture by primary key, so running it again
(as every `make run` did) reverted whatever editors had changed in a seeded
template. Here a family, skill or role template is inserted only when nothing
with its slug exists; whatever exists is left exactly as it is, edited or not.
A skill an editor renamed or merged away is there under its old slug (its
redirect says where). A seeded template goes in as a draft and is published as
of the seed's review date when the seed marks it published. Primary keys in the
file are only references between its objects.

`seed_template_resync` is the deliberate way back: it makes one template's draft
what the seed says, after `seed_template_diff` has shown what that would change.
"""

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from django.core import serializers
from django.db import transaction
from django.utils import timezone

from roles.history import VERSIONED_FIELDS, Diff, Snapshot, diff, version_record
from roles.models import Copy, Role, RoleFamily, RoleItem, Skill
from roles.services import role_publish
from roles.skills import skill_for_old_slug

SEED_FILE = Path(__file__).resolve().parent.parent / "fixtures" / "roles.json"


@dataclass
class SeedSummary:
    added: dict[str, list[str]] = field(default_factory=dict)
    present: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        return "; ".join(
            f"{kind}: {len(slugs)} added, {self.present[kind]} already there (left as they are)"
            for kind, slugs in self.added.items()
        )


@dataclass
class Seed:
    """The seed file's objects, by their primary keys in the file."""

    families: list[RoleFamily]
    skills: list[Skill]
    roles: list[Role]
    items: list[RoleItem]
    role_skills: dict[int, list[int]]

    @classmethod
    def read(cls, path: Path = SEED_FILE) -> "Seed":
        seeds: dict[type, list] = {RoleFamily: [], Skill: [], Role: [], RoleItem: []}
        role_skills = {}
        for item in serializers.deserialize("json", path.read_text()):
            seeds[type(item.object)].append(item.object)
            if isinstance(item.object, Role):
                role_skills[item.object.pk] = item.m2m_data.get("skills", [])
        return cls(seeds[RoleFamily], seeds[Skill], seeds[Role], seeds[RoleItem], role_skills)

    def role(self, slug: str) -> Role:
        for role in self.roles:
            if role.slug == slug:
                return role
        raise KeyError(f"The seed has no template {slug!r}.")


def seed_library(path: Path = SEED_FILE) -> SeedSummary:
    """Insert the seed's families, skills and role templates whose slugs are absent."""
    seed = Seed.read(path)
    summary = SeedSummary()
    with transaction.atomic():
        families = _insert_absent(RoleFamily.objects, seed.families, summary, "families")
        skills = _insert_absent(
            Skill.objects, seed.skills, summary, "skills", moved=skill_for_old_slug
        )
        parents = {role.pk: role.parent_id for role in seed.roles}
        to_publish = {role.pk: role.published for role in seed.roles}
        for role in seed.roles:
            role.family = families[role.family_id]
            role.parent = None  # set once every role has its row
            role.copy, role.published = Copy.DRAFT, False
        roles = _insert_absent(Role.objects.drafts(), seed.roles, summary, "role templates")
        new_slugs = set(summary.added["role templates"])
        added = {pk: role for pk, role in roles.items() if role.slug in new_slugs}
        for seed_pk, role in added.items():
            role.skills.set([skills[pk] for pk in seed.role_skills[seed_pk]])
            if parents[seed_pk]:
                role.parent = roles[parents[seed_pk]]
                role.save(update_fields=["parent"])
        items = [item for item in seed.items if item.role_id in added]
        for item in items:
            item.pk = None
            item.role = added[item.role_id]
        RoleItem.objects.bulk_create(items)
        for role in added.values():
            version_record(draft=role, by=None, comment="Seeded from the agency's page")
        # Parents first, so a specialisation's published copy finds its parent's.
        for seed_pk, role in sorted(added.items(), key=lambda pair: parents[pair[0]] is not None):
            if to_publish[seed_pk]:
                role_publish(draft=role, by=None, at=_reviewed_at(role.last_reviewed))
    return summary


def seed_template_diff(slug: str, path: Path = SEED_FILE) -> Diff:
    """What re-syncing the template `slug` from the seed would change in its draft."""
    draft = Role.objects.drafts().get(slug=slug)
    return diff(Snapshot.of_draft(draft), _seed_snapshot(Seed.read(path), slug))


def seed_template_resync(slug: str, *, by=None, path: Path = SEED_FILE) -> Role:
    """Make the draft of `slug` what the seed says (fields, bullets, skills) and keep
    that as a version. The published page changes only when an editor publishes."""
    seed = Seed.read(path)
    wanted = _seed_snapshot(seed, slug)
    with transaction.atomic():
        draft = Role.objects.drafts().select_for_update().get(slug=slug)
        for name, value in wanted.fields.items():
            setattr(draft, name, value)
        draft.edited_at = timezone.now()
        draft.save()
        draft.items.all().delete()
        RoleItem.objects.bulk_create(
            RoleItem(
                role=draft, **{k: b[k] for k in ("section", "position", "text", "requirement")}
            )
            for b in wanted.bullets
        )
        draft.skills.set(wanted.skills)
        version_record(draft=draft, by=by, comment="Re-synced from the seed")
    return draft


def _seed_snapshot(seed: Seed, slug: str) -> Snapshot:
    """The seed's template as a Snapshot in this database's terms (its families,
    skills and drafts), inserting seed families and skills that are absent."""
    role = seed.role(slug)
    summary = SeedSummary()
    families = _insert_absent(RoleFamily.objects, seed.families, summary, "families")
    skills = _insert_absent(Skill.objects, seed.skills, summary, "skills", moved=skill_for_old_slug)
    parent_slug = next((r.slug for r in seed.roles if r.pk == role.parent_id), None)
    parent = Role.objects.drafts().filter(slug=parent_slug).first() if parent_slug else None
    fields = {name: getattr(role, name) for name in VERSIONED_FIELDS}
    fields |= {"family_id": families[role.family_id].pk, "parent_id": parent.pk if parent else None}
    bullets = [
        {
            "id": item.pk,
            "section": item.section,
            "position": item.position,
            "text": item.text,
            "requirement": item.requirement,
        }
        for item in seed.items
        if item.role_id == role.pk
    ]
    return Snapshot(
        fields=fields,
        skills=[skills[pk].pk for pk in seed.role_skills[role.pk]],
        bullets=sorted(bullets, key=lambda b: (b["position"], b["id"])),
    )


def _reviewed_at(day: datetime.date | None) -> datetime.datetime | None:
    if day is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def _insert_absent(
    existing, seeds: list, summary: SeedSummary, kind: str, *, moved=lambda slug: None
) -> dict:
    """{seed primary key: the row with that slug}, inserting the seeds not there yet.

    `moved(slug)` is the row that was once at `slug`: a skill an editor renamed or
    merged is there, under its new address, and must not come back.
    """
    rows = {}
    added = []
    for seed in seeds:
        seed_pk = seed.pk
        rows[seed_pk] = existing.filter(slug=seed.slug).first() or moved(seed.slug)
        if rows[seed_pk] is None:
            seed.pk = None
            seed.save(force_insert=True)
            rows[seed_pk] = seed
            added.append(seed.slug)
    summary.added[kind] = added
    summary.present[kind] = len(seeds) - len(added)
    return rows
