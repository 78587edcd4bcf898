"""The published roles as (slug, title) choices, for forms outside the library (the
contact form's "Roles you are hiring for"). Cached, so that the form can still be
shown, with what the employer typed, while the database is unavailable; publishing
or withdrawing a role forgets the cache (roles.services), so the choices follow the
site at once."""

import contextlib
import logging

from django.core.cache import cache
from django.db.models.functions import Lower

from portal.cache import CACHE_ERRORS
from roles.models import Role

logger = logging.getLogger(__name__)

ROLE_CHOICES_CACHE_KEY = "roles:published-choices"
# A safety net only: publishing and withdrawing forget the choices themselves.
ROLE_CHOICES_TIMEOUT = 60 * 60


def published_role_choices() -> list[tuple[str, str]]:
    """(slug, title) of every published role, by title."""
    try:
        choices = cache.get(ROLE_CHOICES_CACHE_KEY)
    except CACHE_ERRORS:
        logger.warning("Cache unavailable: role choices read from the database")
        return _from_database()
    if choices is None:
        choices = _from_database()
        with contextlib.suppress(*CACHE_ERRORS):
            cache.set(ROLE_CHOICES_CACHE_KEY, choices, timeout=ROLE_CHOICES_TIMEOUT)
    return choices


def forget_published_role_choices() -> None:
    with contextlib.suppress(*CACHE_ERRORS):
        cache.delete(ROLE_CHOICES_CACHE_KEY)


def _from_database() -> list[tuple[str, str]]:
    # By title as people read it ("Machine Learning" before "MLOps"), whatever the collation.
    titles = Role.objects.published().order_by(Lower("title"), "title")
    return list(titles.values_list("slug", "title"))
