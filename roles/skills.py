"""What editors do to skills beyond editing one: move its address, merge duplicates.

A skill's address (/skills/<slug>/, /roles/?skill=<slug>) lives on in bookmarks,
search engines and links recruiters have sent. When it changes, by a rename or a
merge, the old address keeps leading to the skill: a SkillSlugRedirect, which the
public pages answer with a permanent redirect. Redirects name the skill, not its
slug, so a chain (a renamed skill renamed again, or merged) needs no rewriting.
"""

import re
from collections.abc import Iterable

from django.db import transaction

from roles.history import version_record
from roles.models import SLUG_PATTERN, Role, Skill, SkillSlugRedirect

RoleSkill = Role.skills.through
SLUG_RE = re.compile(SLUG_PATTERN)


class MergeError(Exception):
    """The skills cannot be merged as asked; the message says why, for editors."""


def skill_rename(*, skill: Skill, old_slug: str | None) -> None:
    """Keep the address `skill` had before it was saved at its slug (None: a new skill).

    The old address redirects to the skill. A redirect from the skill's new slug
    goes: that address is the skill's own now, and a live skill wins anyway.
    """
    with transaction.atomic():
        if old_slug and old_slug != skill.slug:
            SkillSlugRedirect.objects.update_or_create(old_slug=old_slug, defaults={"skill": skill})
        SkillSlugRedirect.objects.filter(old_slug=skill.slug).delete()


def skill_merge(*, survivor: Skill, merged: list[Skill], by) -> list[Role]:
    """Make `merged` one with `survivor`; returns the drafts whose skills changed.

    Every role that had a merged skill, draft or published copy, gets the survivor
    instead (once, however many of the merged skills it had), so the public pages
    change at once without a publish that would also release unrelated draft edits.
    The merged skills' addresses, old ones included, lead to the survivor; the
    merged skills go; each changed draft keeps a version saying why.
    """
    merged_ids = {skill.pk for skill in merged}
    if not merged_ids:
        raise MergeError("Choose at least one skill to merge into the one you keep.")
    if survivor.pk in merged_ids:
        raise MergeError(f"{survivor} cannot be merged into itself.")
    with transaction.atomic():
        # Locked, so that a parallel merge or rename of the same skills waits for this one.
        found = {
            skill.pk: skill
            for skill in Skill.objects.select_for_update().filter(pk__in={survivor.pk, *merged_ids})
        }
        if len(found) != len(merged_ids) + 1:
            raise MergeError("One of the skills was deleted or merged meanwhile; nothing changed.")
        survivor = found[survivor.pk]
        merged = sorted((found[pk] for pk in merged_ids), key=lambda skill: skill.name)
        had: dict[int, list[str]] = {}  # role id: the merged skills it had, by name
        for role_id, skill_id in RoleSkill.objects.filter(skill_id__in=merged_ids).values_list(
            "role_id", "skill_id"
        ):
            had.setdefault(role_id, []).append(found[skill_id].name)
        already = set(
            RoleSkill.objects.filter(skill=survivor, role_id__in=had).values_list(
                "role_id", flat=True
            )
        )
        RoleSkill.objects.bulk_create(
            RoleSkill(role_id=role_id, skill=survivor) for role_id in sorted(had.keys() - already)
        )
        _retag_others(merged_ids=merged_ids, survivor=survivor)
        # Before the delete, whose cascade would take the merged skills' old addresses.
        SkillSlugRedirect.objects.filter(skill_id__in=merged_ids).update(skill=survivor)
        for skill in merged:
            SkillSlugRedirect.objects.update_or_create(
                old_slug=skill.slug, defaults={"skill": survivor}
            )
        Skill.objects.filter(pk__in=merged_ids).delete()  # and their roles' links with them
        # The published copies changed alike, so a draft's "unpublished changes" stay
        # what they were: its edited_at is left alone.
        drafts = list(Role.objects.drafts().filter(pk__in=had).order_by("title"))
        for draft in drafts:
            version_record(
                draft=draft, by=by, comment=merge_comment(sorted(had[draft.pk]), survivor)
            )
    return drafts


def _retag_others(*, merged_ids: set[int], survivor: Skill) -> None:
    """Whatever else is tagged with a merged skill (insights articles) is tagged
    with the survivor instead, before the delete's cascade takes the old tags."""
    for relation in Skill._meta.related_objects:
        if not relation.many_to_many or relation.related_model is Role:
            continue
        through = relation.through
        owner = f"{relation.field.m2m_field_name()}_id"
        skill = f"{relation.field.m2m_reverse_field_name()}_id"
        tagged = set(
            through.objects.filter(**{f"{skill}__in": merged_ids}).values_list(owner, flat=True)
        )
        already = set(
            through.objects.filter(**{skill: survivor.pk, f"{owner}__in": tagged}).values_list(
                owner, flat=True
            )
        )
        through.objects.bulk_create(
            through(**{owner: pk, skill: survivor.pk}) for pk in sorted(tagged - already)
        )


def merge_comment(names: list[str], survivor: Skill) -> str:
    if len(names) == 1:
        return f"Skill {names[0]} merged into {survivor.name}"
    return f"Skills {', '.join(names[:-1])} and {names[-1]} merged into {survivor.name}"


def skill_for_old_slug(slug: str) -> Skill | None:
    """The skill that was once at `slug`, if any."""
    redirect = SkillSlugRedirect.objects.select_related("skill").filter(old_slug=slug).first()
    return redirect.skill if redirect else None


def skill_slugs_moved(slugs: Iterable[str]) -> dict[str, str]:
    """{old slug: the skill's slug now} for those of `slugs` that are old addresses."""
    # Anything but a slug never reaches the database (PostgreSQL refuses a NUL byte).
    candidates = {slug for slug in slugs if SLUG_RE.fullmatch(slug)}
    if not candidates:
        return {}
    return dict(
        SkillSlugRedirect.objects.filter(old_slug__in=candidates).values_list(
            "old_slug", "skill__slug"
        )
    )
