"""The seed library (fixtures/roles.json) goes in once, and never over an editor's work.

`loaddata` writes every object of a fixture by primary key, so running it again
(as every `make run` did) reverted whatever editors had changed in a seeded
template. Here a family, skill or role template is inserted only when nothing
with its slug exists; whatever exists is left exactly as it is, edited or not.
Primary keys in the file are only references between its objects.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.core import serializers
from django.db import transaction

from roles.models import Role, RoleFamily, RoleItem, Skill

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


def seed_library(path: Path = SEED_FILE) -> SeedSummary:
    """Insert the seed's families, skills and role templates whose slugs are absent."""
    seeds: dict[type, list] = {RoleFamily: [], Skill: [], Role: [], RoleItem: []}
    role_skills: dict[int, list[int]] = {}
    for item in serializers.deserialize("json", path.read_text()):
        seeds[type(item.object)].append(item.object)
        if isinstance(item.object, Role):
            role_skills[item.object.pk] = item.m2m_data.get("skills", [])

    summary = SeedSummary()
    with transaction.atomic():
        families = _insert_absent(RoleFamily, seeds[RoleFamily], summary, "families")
        skills = _insert_absent(Skill, seeds[Skill], summary, "skills")
        parents = {role.pk: role.parent_id for role in seeds[Role]}
        for role in seeds[Role]:
            role.family = families[role.family_id]
            role.parent = None  # set once every role has its row
        roles = _insert_absent(Role, seeds[Role], summary, "role templates")
        new_slugs = set(summary.added["role templates"])
        added = {pk: role for pk, role in roles.items() if role.slug in new_slugs}
        for seed_pk, role in added.items():
            role.skills.set([skills[pk] for pk in role_skills[seed_pk]])
            if parents[seed_pk]:
                role.parent = roles[parents[seed_pk]]
                role.save(update_fields=["parent"])
        items = [item for item in seeds[RoleItem] if item.role_id in added]
        for item in items:
            item.pk = None
            item.role = added[item.role_id]
        RoleItem.objects.bulk_create(items)
    return summary


def _insert_absent(model, seeds: list, summary: SeedSummary, kind: str) -> dict:
    """{seed primary key: the row with that slug}, inserting the seeds not there yet."""
    rows = {}
    added = []
    for seed in seeds:
        seed_pk = seed.pk
        rows[seed_pk] = model.objects.filter(slug=seed.slug).first()
        if rows[seed_pk] is None:
            seed.pk = None
            seed.save(force_insert=True)
            rows[seed_pk] = seed
            added.append(seed.slug)
    summary.added[kind] = added
    summary.present[kind] = len(seeds) - len(added)
    return rows
