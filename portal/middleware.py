import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest


class SecurityHeadersMiddleware:
    """Headers Django does not send itself: Permissions-Policy and CORP."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.headers.setdefault(
            "Cross-Origin-Resource-Policy", settings.CROSS_ORIGIN_RESOURCE_POLICY
        )
        return response


class RejectNulBytesMiddleware:
    """A query string holding a NUL byte is answered 400 before any view sees it.

    No link of ours carries one, and PostgreSQL refuses NUL in text, so a view
    that filters by the value (`?stage__exact=%00` in the admin) would fail with
    a 500 instead. Forms already refuse NUL in their fields."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                raise BadRequest("NUL byte in the query string")
        return self.get_response(request)


class SessionTimeoutMiddleware:
    """Ends a signed-in session a fixed time after login, however active it is.

    The idle timeout is the session cookie's own age, renewed on every request.
    """

    SESSION_KEY = "portal_signed_in_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            signed_in_at = request.session.setdefault(self.SESSION_KEY, now)
            if now - signed_in_at > settings.SESSION_ABSOLUTE_TIMEOUT:
                logout(request)
                # The path only: admin query strings can carry what staff searched for.
                return redirect_to_login(request.path)
        return self.get_response(request)
