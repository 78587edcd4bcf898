from urllib.parse import SplitResult, urlsplit

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The visitor's IP address, for throttling and rate limits.

    Behind our own proxy (DJANGO_BEHIND_PROXY) it is the last X-Forwarded-For
    entry, the one that proxy appended; earlier entries come from the client and
    are not trusted. Otherwise the socket's address, whatever headers say.
    """
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last_hop = forwarded.rsplit(",", 1)[-1].strip()
        if last_hop:
            return last_hop
    return request.META.get("REMOTE_ADDR", "")


def split_url(url: str) -> SplitResult:
    """`urlsplit` for text a client sent (a Referer, a CSP report): never raises.

    `urlsplit` refuses some malformed URLs (`http://[::1`) with ValueError; such
    a URL tells us nothing, so it reads as empty."""
    try:
        return urlsplit(url)
    except ValueError:
        return urlsplit("")
