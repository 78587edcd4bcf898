"""What editors do to a role template beyond saving its form: publish it, withdraw it.

A template is a draft (what editors edit) and, once published, a published copy
(what visitors read): see `Copy`. Publishing copies the draft's content, bullets
and skills over the published copy in one transaction, so a visitor sees either
the old template or the new one, never half of each.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from roles.choices import forget_published_role_choices
from roles.history import version_record
from roles.models import Copy, Role, RoleItem

# The fields a published copy takes from its draft. Everything else on a row is
# its own: its copy kind and links, its publishing record.
CONTENT_FIELDS = [
    "title",
    "slug",
    "family",
    "summary",
    "overview",
    "experience_min_years",
    "experience_max_years",
    "seniority",
    "seniority_basis",
    "seniority_note",
    "national_average_salary",
    "national_average_salary_source",
    "soc_code",
    "soc_title",
    "soc_rationale",
]


class PublishError(Exception):
    """The draft cannot go on the site as it is; the message says why, for editors."""


def role_publish(*, draft: Role, by, at: datetime.datetime | None = None) -> Role:
    """Put the draft on the public site as it is now; returns the published copy.

    Records who published and when on both rows; the public page's "Last reviewed"
    is the day of publishing. A draft's parent is a draft, so its published copy
    gets the parent's published copy (or none while the parent is unpublished).
    """
    now = at or timezone.now()
    with transaction.atomic():
        draft = Role.objects.drafts().select_related("parent", "live_copy").get(pk=draft.pk)
        live = draft.live_copy or _unclaimed_live_copy(draft.slug) or Role(copy=Copy.LIVE)
        taken = Role.objects.filter(copy=Copy.LIVE, slug=draft.slug).exclude(pk=live.pk)
        if taken.exists():
            raise PublishError(
                f"Another template's public page is still at /roles/{draft.slug}/: "
                "publish that template under its new address first, or choose another slug."
            )
        for name in CONTENT_FIELDS:
            setattr(live, name, getattr(draft, name))
        live.parent = draft.parent.live_copy if draft.parent else None
        live.published = True
        live.published_at = draft.published_at = now
        live.published_by = draft.published_by = by
        live.last_reviewed = draft.last_reviewed = timezone.localdate(now)
        live.save()
        live.items.all().delete()
        RoleItem.objects.bulk_create(
            RoleItem(
                role=live,
                section=item.section,
                position=item.position,
                text=item.text,
                requirement=item.requirement,
            )
            for item in draft.items.order_by("position", "pk")
        )
        live.skills.set(draft.skills.all())
        # Specialisations published before this template get it as their parent now.
        Role.objects.filter(copy=Copy.LIVE, draft__parent=draft).update(parent=live)
        draft.live_copy = live
        draft.save(update_fields=["live_copy", "published_at", "published_by", "last_reviewed"])
        version_record(draft=draft, by=by, comment="Published")
        transaction.on_commit(forget_published_role_choices)
    return live


def _unclaimed_live_copy(slug: str) -> Role | None:
    """The published copy a deleted draft left at this address, if any: a new
    template there takes it over (and the inquiries that named it)."""
    return Role.objects.filter(copy=Copy.LIVE, slug=slug, draft__isnull=True).first()


def role_withdraw(*, draft: Role, by) -> None:
    """Take the template off the public site. Its published copy stays, unlisted, for
    the inquiries that name it; publishing again puts it back."""
    if draft.live_copy_id is None:
        return
    with transaction.atomic():
        Role.objects.filter(pk=draft.live_copy_id).update(published=False)
        version_record(draft=draft, by=by, comment="Withdrawn from the public site")
        transaction.on_commit(forget_published_role_choices)
