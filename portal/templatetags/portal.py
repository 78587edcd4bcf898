import json
import re

from django import template
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from portal.agency import Agency

register = template.Library()


@register.simple_tag
def site_name() -> str:
    # A tag, not a context processor: error pages render without a request.
    return settings.SITE_NAME


@register.simple_tag
def agency() -> Agency:
    """`{% agency as agency %}`: phone, address, privacy contact (a tag, like site_name)."""
    return Agency.from_settings()


# Letters whose names start with a vowel sound: "an NLP engineer", "an MLOps engineer".
VOWEL_SOUNDING_LETTERS = set("AEFHILMNORSX")
ACRONYM = re.compile(r"[A-Z]{2}")


@register.filter
def with_article(phrase: str) -> str:
    """`phrase` after "a" or "an", as it is said: an ML engineer, an Edge AI engineer,
    a Machine Learning engineer. Acronyms go by their first letter's name; a word by
    its first letter (no word of the library starts with a silent h or a "you" sound)."""
    phrase = str(phrase)
    if not phrase:
        return phrase
    if ACRONYM.match(phrase):
        vowel_sound = phrase[0] in VOWEL_SOUNDING_LETTERS
    else:
        vowel_sound = phrase[0].lower() in "aeiou"
    return f"{'an' if vowel_sound else 'a'} {phrase}"


@register.filter
def minutes(duration) -> str:
    """A timedelta as '15 minutes' (rounded up; '1 minute' for anything shorter)."""
    count = max(1, -(-int(duration.total_seconds()) // 60))
    return f"{count} minute{'s' if count != 1 else ''}"


@register.filter
def duration(elapsed) -> str:
    """A timedelta as people say it: "under a minute", "3 min", "2 h 10 min", "1.5 days"."""
    if elapsed is None:
        return ""
    minutes = int(elapsed.total_seconds() // 60)
    if minutes < 1:
        return "under a minute"
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days = round(elapsed.total_seconds() / 86400, 1)
    return f"{days:g} day{'s' if days != 1 else ''}"


# The same escapes as Django's json_script: the JSON can never close the tag.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def json_ld(data) -> str:
    """A schema.org JSON-LD block: a data block, which CSP does not treat as script."""
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(payload.translate(JSON_SCRIPT_ESCAPES)),
    )


# The picture a shared link shows, by kind of page (static/img/og/<kind>.png).
OG_KINDS = {
    "roles:list": "role",
    "roles:detail": "role",
    "roles:skills": "role",
    "roles:skill": "role",
    "roles:salaries": "salaries",
    "content:insights": "insights",
    "content:article": "insights",
    "about": "about",
}


@register.simple_tag(takes_context=True)
def og_image(context) -> str:
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    kind = OG_KINDS.get(match.view_name if match else "", "site")
    return absolute_url(context, static(f"img/og/{kind}.png"))


@register.simple_tag(takes_context=True)
def absolute_url(context, path: str = "") -> str:
    """`path` as an absolute URL; without one, the page's own address: its view's
    `canonical_path` where the query names the page (the explorer's `?role=`), else its
    path without the query."""
    request = context.get("request")
    path = path or context.get("canonical_path", "")
    if request is None:
        return path
    try:
        return request.build_absolute_uri(path or request.path)
    except DisallowedHost:  # the 400 page for a forged Host header still renders
        return path or request.path
