"""Staff sign in with two factors: the password, then a code from an authenticator
app (TOTP), a passkey (django-otp-webauthn), or one of their recovery codes. The
admin lets in only a session verified by a second factor
(`PortalAdminSite.has_permission`).

The first sign-in sets the app up (a QR code, and the key in text) and hands out
ten single-use recovery codes, shown once. Wrong codes slow the next attempt
down, doubling each time (django-otp's throttling): that is the lockout."""

import io
from math import ceil
from urllib.parse import urlencode

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

RECOVERY_CODES = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=16,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )


def is_verified(user) -> bool:
    """Verified by a second factor in this session. A user signed in during this very
    request is not: `auth.login` replaces the user OTPMiddleware had marked."""
    return bool(getattr(user, "is_verified", lambda: False)())


def needs_second_factor(request) -> bool:
    """Signed in with a password as staff, and not yet verified by a second factor."""
    user = request.user
    return user.is_authenticated and user.is_active and user.is_staff and not is_verified(user)


def next_page(request, admin_site) -> str:
    """Where the staff member was going, if it is ours; else the admin's landing page."""
    wanted = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if wanted == reverse("admin:index", current_app=admin_site.name):
        wanted = ""  # no page in particular: the landing page
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return admin_site.landing_page(request)


def with_next(url: str, request) -> str:
    wanted = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    return f"{url}?{urlencode({REDIRECT_FIELD_NAME: wanted})}" if wanted else url


def devices_for(user, code: str) -> list:
    """The devices a code is meant for: six digits are the app's, anything else a
    recovery code (so a recovery code never counts as a wrong app code)."""
    kind = TOTPDevice if code.isdigit() else StaticDevice
    return [
        device
        for device in devices_for_user(user, confirmed=True, for_verify=True)
        if isinstance(device, kind)
    ]


def locked_until(devices):
    """When the next code may be tried, while wrong codes have slowed the user down."""
    for device in devices:
        allowed, details = device.verify_is_allowed()
        if not allowed and details and details.get("locked_until"):
            return details["locked_until"]
    return None


def matching_device(user, code: str):
    """The device that accepts the code, or None; and when the step unlocks, if locked.

    A locked device does not even check the code: guessing gains nothing."""
    code = "".join(code.split()).lower()
    with transaction.atomic():
        devices = devices_for(user, code)  # locked for update: one check at a time
        until = locked_until(devices)
        if until:
            return None, until
        for device in devices:
            if device.verify_token(code):
                return device, None
    return None, None


DEVICE_COOKIE_SALT = "portal.two_factor.known-device"
DEVICE_COOKIE_MAX_AGE = 90 * 24 * 60 * 60


def remember_device(request, response) -> None:
    """Mark this browser as one where a staff member passed both steps (signed, so
    nobody makes one up); it keeps sign-in open here through a flood."""
    if request.COOKIES.get(settings.STAFF_DEVICE_COOKIE):
        return
    response.set_signed_cookie(
        settings.STAFF_DEVICE_COOKIE,
        str(request.user.pk),
        salt=DEVICE_COOKIE_SALT,
        max_age=DEVICE_COOKIE_MAX_AGE,
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )


def known_device(request) -> bool:
    return bool(
        request.get_signed_cookie(
            settings.STAFF_DEVICE_COOKIE,
            default="",
            salt=DEVICE_COOKIE_SALT,
            max_age=DEVICE_COOKIE_MAX_AGE,
        )
    )


def forget_second_factors(user) -> None:
    """Every second factor of the user goes: app, passkeys, recovery codes."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    WebAuthnCredential.objects.filter(user=user).delete()


def wait_message(until) -> str:
    seconds = max(1, ceil((until - timezone.now()).total_seconds()))
    return f"Too many wrong codes: wait {seconds} second{'s' if seconds > 1 else ''} and try again."


def new_recovery_codes(user) -> list[str]:
    """Ten fresh single-use codes; the previous ones stop working."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE_NAME)
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def context(admin_site, request, title: str, **extra) -> dict:
    return {
        **admin_site.each_context(request),
        "title": title,
        "site_header": admin_site.site_header,
        "next": request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, ""),
        **extra,
    }


@never_cache
def verify_view(request, admin_site):
    """The second step of signing in: a code from the app, or a recovery code."""
    if not request.user.is_authenticated:
        return redirect(with_next(reverse("admin:login", current_app=admin_site.name), request))
    if not needs_second_factor(request):
        return redirect(next_page(request, admin_site))
    if not user_has_device(request.user):
        return redirect(with_next(reverse("admin:two_factor_setup"), request))
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        device, until = matching_device(request.user, form.cleaned_data["code"])
        if device:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    format_html(
                        "You signed in with a recovery code; {} left. New ones are on the "
                        '<a href="{}">Two-step sign-in</a> page.',
                        left,
                        reverse("admin:two_factor_manage"),
                    ),
                )
            return redirect(next_page(request, admin_site))
        if until:
            status = 429
            form.add_error("code", wait_message(until))
        else:
            form.add_error("code", "That code is not right, or has been used. Try the next one.")
    has_passkey = WebAuthnCredential.objects.filter(user=request.user, confirmed=True).exists()
    return TemplateResponse(
        request,
        "admin/two_factor/verify.html",
        context(
            admin_site,
            request,
            "Two-step sign-in",
            form=form,
            has_passkey=has_passkey,
            # Resolved here: the passkey's script sends the browser where this says.
            next=next_page(request, admin_site),
        ),
        status=status,
    )


@never_cache
def setup_view(request, admin_site):
    """Setting up the authenticator app: at the first sign-in, or later to replace it."""
    user = request.user
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return redirect(with_next(reverse("admin:login", current_app=admin_site.name), request))
    if user_has_device(user) and not is_verified(user):
        # A password alone never replaces a second factor already set up.
        return redirect(with_next(reverse("admin:two_factor_verify"), request))
    device = pending_app(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        until = locked_until([device])
        if until:
            form.add_error("code", wait_message(until))
        elif device.verify_token(form.cleaned_data["code"]):
            TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
            device.confirmed = True
            device.name = APP_DEVICE_NAME
            device.save()
            otp_login(request, device)
            return recovery_codes_page(
                request, admin_site, "Save your recovery codes", next_page(request, admin_site)
            )
        else:
            form.add_error("code", "That code is not right: check the app shows this site's code.")
    return TemplateResponse(
        request,
        "admin/two_factor/setup.html",
        context(
            admin_site,
            request,
            "Set up two-step sign-in",
            form=form,
            key_groups=key_groups(device.config_url.split("secret=")[1].split("&")[0]),
            app_link=device.config_url,
        ),
    )


@never_cache
def qr_code_view(request, admin_site):
    """The pending app key as a QR code (an SVG of our own: no inline image, no CDN)."""
    user = request.user
    if not (user.is_authenticated and user.is_staff):
        return HttpResponse(status=403)
    if user_has_device(user) and not is_verified(user):
        return HttpResponse(status=403)
    svg = io.BytesIO()
    segno.make(pending_app(user).config_url, error="m").save(
        svg, kind="svg", scale=5, border=2, xmldecl=False, title="QR code for your app"
    )
    return HttpResponse(svg.getvalue(), content_type="image/svg+xml")


@never_cache
def manage_view(request, admin_site):
    """A staff member's second factors: the app, passkeys, recovery codes."""
    user = request.user
    return TemplateResponse(
        request,
        "admin/two_factor/manage.html",
        context(
            admin_site,
            request,
            "Two-step sign-in",
            apps=TOTPDevice.objects.filter(user=user, confirmed=True),
            passkeys=WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("pk"),
            recovery_codes_left=StaticToken.objects.filter(device__user=user).count(),
        ),
    )


@never_cache
def recovery_codes_view(request, admin_site):
    """New recovery codes, for a verified staff member (POST only: it voids the old)."""
    if request.method != "POST":
        return redirect("admin:index")
    return recovery_codes_page(
        request, admin_site, "Your new recovery codes", reverse("admin:two_factor_manage")
    )


def recovery_codes_page(request, admin_site, title: str, continue_url: str):
    """Fresh recovery codes, shown this once."""
    return TemplateResponse(
        request,
        "admin/two_factor/recovery_codes.html",
        context(
            admin_site,
            request,
            title,
            codes=new_recovery_codes(request.user),
            continue_url=continue_url,
        ),
    )


def pending_app(user) -> TOTPDevice:
    """The app being set up: a key not confirmed yet, the same across page loads."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def key_groups(key: str) -> list[str]:
    """The key in groups of four, as people type it into an app."""
    return [key[index : index + 4] for index in range(0, len(key), 4)]


def staff_without_second_factor():
    from django.contrib.auth import get_user_model

    with_app = TOTPDevice.objects.filter(confirmed=True).values("user_id")
    with_passkey = WebAuthnCredential.objects.filter(confirmed=True).values("user_id")
    return (
        get_user_model()
        .objects.filter(is_staff=True, is_active=True)
        .exclude(pk__in=with_app)
        .exclude(pk__in=with_passkey)
        .order_by("username")
    )
