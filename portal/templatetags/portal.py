from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def site_name() -> str:
    # A tag, not a context processor: error pages render without a request.
    return settings.SITE_NAME


@register.filter
def minutes(duration) -> str:
    """A timedelta as '15 minutes' (rounded up; '1 minute' for anything shorter)."""
    count = max(1, -(-int(duration.total_seconds()) // 60))
    return f"{count} minute{'s' if count != 1 else ''}"
