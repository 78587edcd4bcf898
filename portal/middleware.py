import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest, RequestDataTooBig, TooManyFieldsSent
from django.urls import reverse


class HeadWithoutBodyMiddleware:
    """A HEAD answer carries the GET's headers and no body. Django leaves dropping the
    body to the server; gunicorn warns on every HEAD instead (monitors send many)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method == "HEAD" and not response.streaming:
            length = len(response.content)
            response.content = b""
            response["Content-Length"] = str(length)
        return response


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


class RequestLimitsMiddleware:
    """Caps request bodies before anything reads them.

    Public requests (and anyone not signed in as staff): DATA_UPLOAD_MAX_MEMORY_SIZE
    bytes whatever the content type (Django's own cap leaves out file uploads)
    and PUBLIC_MAX_FORM_FIELDS fields. Staff in the admin: STAFF_MAX_UPLOAD_SIZE
    bytes, and Django's DATA_UPLOAD_MAX_NUMBER_FIELDS, set high enough for a long
    role template, whose every bullet is a row of fields."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = reverse("admin:index")

    def __call__(self, request):
        if request.method in ("POST", "PUT", "PATCH"):
            if request.path.startswith(self.admin_prefix) and request.user.is_staff:
                self.check_size(request, settings.STAFF_MAX_UPLOAD_SIZE)
            else:
                self.check_size(request, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
                self.check_public_field_count(request)
        return self.get_response(request)

    @staticmethod
    def check_size(request, limit: int) -> None:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body without a length it understands
        if length > limit:
            raise RequestDataTooBig(f"Request body of {length} bytes; at most {limit} here.")

    @staticmethod
    def check_public_field_count(request) -> None:
        if request.content_type == "application/x-www-form-urlencoded":
            fields = request.body.count(b"&") + 1
        elif request.content_type == "multipart/form-data":
            boundary = request.content_params.get("boundary", "").encode("ascii", "replace")
            fields = request.body.count(b"--" + boundary) - 1 if boundary else 0
        else:
            return
        if fields > settings.PUBLIC_MAX_FORM_FIELDS:
            raise TooManyFieldsSent(
                f"{fields} form fields; at most {settings.PUBLIC_MAX_FORM_FIELDS} here."
            )


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
            # Counted from the sign-in itself (Django stamps last_login), not from
            # the first request after it.
            last_login = request.user.last_login
            signed_in_at = request.session.setdefault(
                self.SESSION_KEY, int(last_login.timestamp()) if last_login else now
            )
            if now - signed_in_at > settings.SESSION_ABSOLUTE_TIMEOUT:
                logout(request)
                # The path only: admin query strings can carry what staff searched for.
                return redirect_to_login(request.path)
        return self.get_response(request)
