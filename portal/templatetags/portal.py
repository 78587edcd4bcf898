from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def site_name() -> str:
    # A tag, not a context processor: error pages render without a request.
    return settings.SITE_NAME
