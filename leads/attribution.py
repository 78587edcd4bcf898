"""Where a visitor came from: campaign (UTM) parameters and an outside referrer.

They arrive on the landing page, not on the contact form, so they are kept in a
signed cookie (no database row per visitor) until the visitor asks for help.
"""

import re
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core import signing

from portal.net import split_url
from roles.models import Seniority

UTM_PARAMETERS = ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"]
COOKIE_SALT = "leads.attribution"
COOKIE_MAX_AGE = 30 * 24 * 60 * 60
MAX_VALUE_LENGTH = 100
AREA_CODE = re.compile(r"^[0-9]{1,7}$")
# A saved job description's token (roles.models.builder): attached to the inquiry.
DRAFT_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,32}$")


def _short(value: str, length: int = MAX_VALUE_LENGTH) -> str:
    return "".join(ch for ch in value if ch.isprintable())[:length]


def _outside_referrer(request) -> str:
    """The referring page's origin and path when it is another site."""
    parts = split_url(request.headers.get("referer", ""))
    if not parts.netloc or parts.netloc == request.get_host():
        return ""
    return _short(f"{parts.scheme}://{parts.netloc}{parts.path}", 300)


def arriving_attribution(request) -> dict:
    """The campaign and outside referrer this very request brings; empty if none."""
    found = {key: _short(request.GET.get(key, "")) for key in UTM_PARAMETERS}
    found["referrer"] = _outside_referrer(request)
    return found if any(found.values()) else {}


class AttributionMiddleware:
    """Remembers the last campaign and outside referrer in a signed cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method != "GET":
            return response
        if arriving := arriving_attribution(request):
            response.set_signed_cookie(
                settings.LEADS_ATTRIBUTION_COOKIE,
                signing.dumps(arriving, compress=True),
                salt=COOKIE_SALT,
                max_age=COOKIE_MAX_AGE,
                secure=request.is_secure(),
                httponly=True,
                samesite="Lax",
            )
        return response


def attribution(request) -> dict:
    raw = request.get_signed_cookie(
        settings.LEADS_ATTRIBUTION_COOKIE, default=None, salt=COOKIE_SALT, max_age=COOKIE_MAX_AGE
    )
    try:
        data = signing.loads(raw) if raw else {}
    except signing.BadSignature:
        return {}
    return {key: _short(str(data.get(key, ""))) for key in [*UTM_PARAMETERS, "referrer"]}


# What a page's address says about what the visitor was looking at (the role
# library's filters, a salary page's role and markets); anything else, campaign
# tags included, is left out of the page recorded on the lead.
PAGE_PARAMETERS = {"q", "skill", "seniority", "family", "match", "role", "area"}


def _same_site_page(request) -> str:
    referer = split_url(request.headers.get("referer", ""))
    if referer.netloc != request.get_host():
        return ""
    kept = [(k, v) for k, v in parse_qsl(referer.query) if k in PAGE_PARAMETERS and v]
    return referer.path + (f"?{urlencode(kept)}" if kept else "")


def visit_context(request, *, role_slugs: set[str]) -> dict:
    """What the visitor was looking at when they opened the contact form."""
    role = request.GET.get("role", "")
    seniority = request.GET.get("seniority", "")
    area = request.GET.get("area", "")
    return {
        "role": role if role in role_slugs else "",
        "seniority": seniority if seniority in Seniority.values else "",
        "area": area if AREA_CODE.match(area) else "",
        "posting": posting if DRAFT_TOKEN.match(posting := request.GET.get("posting", "")) else "",
        "page": _short(_same_site_page(request), 300),
        # A visitor landing on the form itself from a campaign: its cookie is only
        # being set on this response, so read what the request brings too.
        **(arriving_attribution(request) or attribution(request)),
    }
