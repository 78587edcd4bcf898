import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login


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
