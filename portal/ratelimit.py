"""Counting attempts per client address on the shared cache (Redis in production)."""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache

from portal.cache import CACHE_ERRORS

logger = logging.getLogger(__name__)


def limit_exceeded(*, scope: str, client_ip: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt at `scope` from this address; True once over `limit` in the window.

    The address is hashed: it never sits in the cache in clear. When the cache
    fails, no limit applies: refusing a person for want of a counter would lose
    what they came to do."""
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{client_ip}".encode()).hexdigest()[:32]
    key = f"rate:{scope}:{digest}"
    try:
        cache.add(key, 0, timeout=window_seconds)
        try:
            attempts = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window_seconds)
            attempts = 1
    except CACHE_ERRORS:
        logger.warning("Cache unavailable: %s rate limit not applied", scope)
        return False
    return attempts > limit
