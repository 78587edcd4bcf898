"""The staff site: Django's admin, with the recruiters' own pages in its navigation and
My work as a recruiter's landing page after sign-in."""

import logging
from functools import partial, wraps

from django.conf import settings
from django.contrib import admin
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse

from portal import two_factor
from portal.net import client_ip
from portal.ratelimit import limit_exceeded

logger = logging.getLogger(__name__)

# Pages of the lead pipeline that are not model lists, shown first in the Leads app.
RECRUITER_PAGES = [
    ("My work", "MyWork", "admin:leads_lead_my_work"),
    ("Board", "Board", "admin:leads_lead_board"),
    ("Pipeline dashboard", "Dashboard", "admin:leads_lead_dashboard"),
]
# The editors' page for new BLS files, listed after the wages it fills.
WAGE_IMPORT_PAGE = ("Import BLS wage file", "WageImport", "admin:roles_occupationwage_import")


class PortalAdminSite(admin.AdminSite):
    site_header = f"{settings.SITE_NAME} staff"
    site_title = f"{settings.SITE_NAME} staff"
    index_title = "Leads and role templates"
    # The lead list and the board need the width; the index and each page's tools
    # (My work, Board, Dashboard) link everywhere the sidebar did.
    enable_nav_sidebar = False

    def each_context(self, request):
        from leads.models import may_show_a_profile  # the leads app's rule; it imports this

        context = super().each_context(request)
        user = request.user
        context["may_show_a_profile"] = user.is_authenticated and may_show_a_profile(user)
        return context

    def has_permission(self, request):
        """Staff, signed in with a password and verified by a second factor."""
        return super().has_permission(request) and two_factor.is_verified(request.user)

    def login(self, request, extra_context=None):
        """The password step; the second factor follows (`portal.two_factor`).

        Each attempt costs a password hash (deliberately slow), so attempts are
        throttled before one is checked (see `sign_in_throttle`)."""
        if two_factor.needs_second_factor(request):
            return redirect(two_factor.with_next(reverse("admin:two_factor_verify"), request))
        if request.method == "POST":
            reason = sign_in_throttle(request)
            if reason:
                return sign_in_paused(request, reason)
        response = super().login(request, extra_context)
        if response.status_code == 302 and two_factor.needs_second_factor(request):
            return redirect(two_factor.with_next(reverse("admin:two_factor_verify"), request))
        return response

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def remembering(request, *args, **kwargs):
            response = inner(request, *args, **kwargs)
            if two_factor.is_verified(request.user):
                two_factor.remember_device(request, response)
            return response

        return remembering

    def landing_page(self, request) -> str:
        """Where a staff member lands after signing in: recruiters on My work."""
        if is_recruiter(request.user):
            return reverse("admin:leads_lead_my_work", current_app=self.name)
        return reverse("admin:index", current_app=self.name)

    def get_urls(self):
        pages = [
            # Signing out works half-way through signing in too (another account, a
            # shared computer); the admin's own sign-out needs a verified session.
            ("logout/", lambda request, admin_site: admin_site.logout(request), "logout"),
            ("two-factor/", two_factor.verify_view, "two_factor_verify"),
            ("two-factor/setup/", two_factor.setup_view, "two_factor_setup"),
            ("two-factor/setup/qr.svg", two_factor.qr_code_view, "two_factor_qr_code"),
        ]
        # Before the admin's own: they serve staff who have not passed the second step.
        return [
            path(route, partial(view, admin_site=self), name=name) for route, view, name in pages
        ] + [
            path(
                "two-factor/manage/",
                self.admin_view(partial(two_factor.manage_view, admin_site=self)),
                name="two_factor_manage",
            ),
            path(
                "two-factor/recovery-codes/",
                self.admin_view(partial(two_factor.recovery_codes_view, admin_site=self)),
                name="two_factor_recovery_codes",
            ),
            *super().get_urls(),
        ]

    def get_app_list(self, request, app_label=None):
        app_list = super().get_app_list(request, app_label)
        apps = {app["app_label"]: app for app in app_list}
        if "leads" in apps and request.user.has_perm("leads.view_lead"):
            apps["leads"]["models"][:0] = [_page(*page) for page in RECRUITER_PAGES]
        if "roles" in apps and request.user.has_perm("roles.import_occupationwage"):
            models = apps["roles"]["models"]
            after = next(
                (i + 1 for i, m in enumerate(models) if m["object_name"] == "OccupationWage"),
                len(models),
            )
            models.insert(after, _page(*WAGE_IMPORT_PAGE))
        return app_list


def sign_in_throttle(request) -> str:
    """Why this sign-in attempt must wait, or "" if it may go on to the password check.

    Per address: django-axes locks a username out after failures, but random
    usernames each cost a hash too. Overall: many addresses together could keep
    every worker hashing. So that a flood cannot lock staff out, the overall budget
    does not apply in a browser where a staff member has signed in fully before
    (a signed cookie: OWASP's "device cookies")."""
    window = settings.SIGN_IN_RATE_LIMIT_WINDOW_SECONDS
    if limit_exceeded(
        scope="sign-in",
        client_ip=client_ip(request),
        limit=settings.SIGN_IN_RATE_LIMIT,
        window_seconds=window,
    ):
        return "Too many sign-in attempts from your network."
    if not two_factor.known_device(request) and limit_exceeded(
        scope="sign-in-everyone",
        client_ip="everyone",
        limit=settings.SIGN_IN_GLOBAL_RATE_LIMIT,
        window_seconds=window,
    ):
        logger.warning(
            "Sign-in paused for everyone: over %s attempts", settings.SIGN_IN_GLOBAL_RATE_LIMIT
        )
        return "Too many sign-in attempts on the portal right now."
    return ""


def sign_in_paused(request, reason: str):
    response = render(
        request,
        "registration/sign_in_paused.html",
        {"reason": reason, "sign_in_url": request.get_full_path()},
        status=429,
    )
    response["Retry-After"] = str(settings.SIGN_IN_RATE_LIMIT_WINDOW_SECONDS)
    return response


def is_recruiter(user) -> bool:
    return user.groups.filter(name="Recruiters").exists()


def _page(name: str, object_name: str, url_name: str) -> dict:
    try:
        url = reverse(url_name)
    except NoReverseMatch:  # the leads admin is not installed
        url = None
    return {
        "name": name,
        "object_name": object_name,
        "admin_url": url,
        "add_url": None,
        "view_only": True,
        "perms": {"view": True},
    }
