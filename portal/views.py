import json
import logging
import uuid

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.db import connection
from django.db.models import Max, Prefetch
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import TemplateView

from content.models import PlacementFigure, Testimonial
from leads.models import RecruiterProfile
from portal.net import client_ip, split_url
from portal.queue import queue_is_moving
from portal.ratelimit import limit_exceeded
from roles.models import Area, OccupationWage, Role, RoleFamily

logger = logging.getLogger(__name__)

PASSWORD_RESET_WINDOW_SECONDS = 60 * 60
# Browsers send small reports; anything larger is not one.
MAX_CSP_REPORT_BYTES = 16 * 1024


class HomeView(TemplateView):
    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        published = Role.objects.published().in_library_order()
        context["families"] = (
            RoleFamily.objects.filter(roles__published=True)
            .distinct()
            .prefetch_related(Prefetch("roles", queryset=published, to_attr="published_roles"))
        )
        # The hero's right half: what the portal holds, counted, and what editors
        # entered about the agency's placements (nothing until they do).
        context["at_a_glance"] = {
            "templates": Role.objects.published().count(),
            "markets": Area.objects.count(),
            "wage_year": OccupationWage.objects.aggregate(year=Max("year"))["year"],
        }
        context["figures"] = list(PlacementFigure.objects.shown())
        context["testimonials"] = list(Testimonial.objects.shown()[:3])
        return context


class AboutView(TemplateView):
    """Who we are: the agency, and the recruiters who chose to show their profile."""

    template_name = "portal/about.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["recruiters"] = RecruiterProfile.objects.public().prefetch_related(
            "families", Prefetch("markets", queryset=Area.objects.order_by("title"))
        )
        context["figures"] = list(PlacementFigure.objects.shown())
        context["testimonials"] = list(Testimonial.objects.shown())
        return context


def bad_request(request, exception):
    """The 400 page. Django's own handler reads the CSRF token from the body, so a
    body it cannot decode (a form declaring charset=latin-1, Django ticket #34709)
    failed again inside the handler and left the client a bare 500 without our
    headers. This one never touches the body.

    Staff in the admin get the admin's own page, which tells them their typing is
    still in the form they came from: a refused save must not read as lost work."""
    # A request refused before the middleware ran (a bad Host) has no user yet.
    staff = getattr(getattr(request, "user", None), "is_staff", False)
    if staff and request.path.startswith(reverse("admin:index")):
        context = admin.site.each_context(request) | {
            "title": "This save could not be read",
            "staff_field_limit": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
            "staff_size_limit": settings.STAFF_MAX_UPLOAD_SIZE,
        }
        return render(request, "admin/400.html", context, status=400)
    return render(request, "400.html", status=400)


def server_error(request):
    """The 500 page, for the same reason as `bad_request`: rendered without the
    request (as Django's own), so nothing that failed can fail again here."""
    return HttpResponseServerError(loader.get_template("500.html").render())


class PasswordResetView(auth_views.PasswordResetView):
    """Django's "forgotten your password" form for staff, limited per address: each
    request sends an email, so the form must not become a way to flood an inbox."""

    @property
    def extra_email_context(self):  # the email names the site, not the host it was asked on
        return {"site_name": settings.SITE_NAME}

    def post(self, request, *args, **kwargs):
        if limit_exceeded(
            scope="password-reset",
            client_ip=client_ip(request),
            limit=settings.PASSWORD_RESET_RATE_LIMIT,
            window_seconds=PASSWORD_RESET_WINDOW_SECONDS,
        ):
            form = self.get_form()
            form.is_valid()
            form.add_error(
                "email", "Too many reset requests from your network: try again in an hour."
            )
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response["Retry-After"] = str(PASSWORD_RESET_WINDOW_SECONDS)
            return response
        return super().post(request, *args, **kwargs)


def sign_in_locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out sign-in: the lockout page, saying in its
    Retry-After header when the pause ends (axes' own answer does not)."""
    cool_off = settings.AXES_COOLOFF_TIME
    response = render(
        request,
        settings.AXES_LOCKOUT_TEMPLATE,
        {"cooloff_timedelta": cool_off},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


@require_safe
def favicon(request):
    """Browsers and crawlers ask for /favicon.ico whatever the page links to."""
    response = redirect(static("img/favicon.ico"))
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_safe
def robots_txt(request):
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *", f"Disallow: {reverse('admin:index')}", f"Sitemap: {sitemap_url}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@never_cache
@require_safe
def healthz(request):
    """Liveness: the process answers. No database, no cache."""
    return HttpResponse("ok", content_type="text/plain")


def database_is_ready() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def cache_is_ready() -> bool:
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=5)
    try:
        return cache.get(key) == "ok"
    finally:
        cache.delete(key)


READINESS_CHECKS = {"database": database_is_ready, "cache": cache_is_ready}
# For monitoring, not the load balancer: a stuck queue is no reason to stop serving
# pages, but someone must hear of it (notifications wait in it).
DEEP_CHECKS = {**READINESS_CHECKS, "queue": queue_is_moving}


@never_cache
@require_safe
def readyz(request):
    """Readiness: every dependency answers. Names a failing one, reveals nothing else.

    `?deep=1` adds the task queue: failing when a task has waited too long or a
    dead worker left one running."""
    checks = DEEP_CHECKS if request.GET.get("deep") == "1" else READINESS_CHECKS
    results = {}
    for name, check in checks.items():
        try:
            results[name] = "ok" if check() else "failing"
        except Exception as error:
            # One line: a load balancer probes every few seconds through an outage.
            logger.warning("Readiness check %s failed: %s", name, type(error).__name__)
            results[name] = "failing"
    ready = all(result == "ok" for result in results.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": results},
        status=200 if ready else 503,
    )


def one_line(text: str) -> str:
    """Text a client sent, safe to log: no line breaks or control characters, so it
    cannot forge a log line of its own."""
    return "".join(ch if ch.isprintable() else " " for ch in text)


def _without_query(url: str) -> str:
    # Query strings may carry what a visitor typed; only the path is worth logging.
    parts = split_url(str(url))
    return f"{parts.scheme}://{parts.netloc}{parts.path}" if parts.scheme else parts.path


@csrf_exempt
@require_POST
def csp_report(request):
    """Receives Content-Security-Policy violation reports and logs what was blocked."""
    if len(request.body) > MAX_CSP_REPORT_BYTES:
        return HttpResponse(status=413)
    try:
        report = json.loads(request.body).get("csp-report", {})
    except (ValueError, AttributeError):
        return HttpResponse(status=400)
    if not isinstance(report, dict):
        return HttpResponse(status=400)
    logger.warning(
        "CSP violation: %s blocked %s on %s",
        one_line(str(report.get("violated-directive", "?")))[:100],
        one_line(_without_query(report.get("blocked-uri", "?")))[:200],
        one_line(_without_query(report.get("document-uri", "?")))[:200],
    )
    return HttpResponse(status=204)
