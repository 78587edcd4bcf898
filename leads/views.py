import logging
import re

from django.conf import settings
from django.db import DatabaseError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe
from django.views.generic import TemplateView

from leads.attribution import visit_context
from leads.forms import FormToken, LeadForm
from leads.models import RecruiterProfile, SpamReason
from leads.services.intake import lead_submit, rate_limit_exceeded
from portal.net import client_ip
from roles.choices import published_role_choices
from roles.models import Area, PostingDraft, Seniority

logger = logging.getLogger(__name__)

TEMPLATE = "leads/lead_form.html"
SLUG = re.compile(r"[-a-z0-9]{1,100}")


@never_cache  # Back comes here afresh: a new token, never a stale page
@require_http_methods(["GET", "POST"])
def contact(request):
    """ "Speak with a recruiting expert": the form, and its Post/Redirect/Get."""
    if request.method == "POST":
        return _submit(request)
    try:
        role_choices = published_role_choices()
    except DatabaseError:  # still offer the form; the roles list waits for the database
        role_choices = []
    context = visit_context(request, role_slugs={slug for slug, _ in role_choices})
    recruiter = public_recruiter(request.GET.get("recruiter", ""))
    context["recruiter"] = recruiter.slug if recruiter else ""
    # A job description sent from the builder fills in what it already says.
    posting = attached_posting(context["posting"])
    initial = {
        "roles": [context["role"]] if context["role"] else [],
        "location": market_name(context["area"]),
        "company": posting.get("company") or "",
        "remote_policy": posting.get("workplace") or "",
    }
    form = LeadForm(initial=initial, role_choices=role_choices)
    return _render(request, form, FormToken.issue(context))


def _submit(request):
    try:
        form = LeadForm(request.POST)
    except DatabaseError:  # no role choices to offer: keep what was ticked
        ticked = request.POST.getlist("roles")
        form = LeadForm(request.POST, role_choices=[(slug, slug) for slug in ticked])
        return _render(request, form, _token_from(request.POST), status=503, problem="database")
    if not form.is_valid():
        return _render(request, form, _token_from(request.POST))
    token = form.cleaned_data["token"]
    if token.age_seconds > settings.LEADS_FORM_MAX_AGE_SECONDS:
        # Nothing is lost: the same answers come back with a fresh token.
        return _render(request, form, FormToken.issue(token.context), problem="expired")
    if token.age_seconds < settings.LEADS_FORM_MIN_SECONDS and not form.cleaned_data["website"]:
        # Faster than a person types: a bot, or a person who went Back and sent the
        # restored form at once. Neither is stored yet; the person sees their answers
        # and sends again (the same token, older by then).
        return _render(request, form, token, problem="too_fast")
    # Only what would be stored counts: a person correcting typos is never refused.
    if rate_limit_exceeded(client_ip=client_ip(request)):
        response = _render(request, form, token, status=429, problem="rate")
        # The window's length: the earliest a fresh count may let this address through.
        response["Retry-After"] = str(settings.LEADS_RATE_LIMIT_WINDOW_SECONDS)
        return response
    spam_reason = SpamReason.HONEYPOT if form.cleaned_data["website"] else ""
    try:
        inquiry = lead_submit(data=form.cleaned_data, token=token, spam_reason=spam_reason)
    except DatabaseError:
        logger.exception("A contact form submission could not be stored")
        return _render(request, form, token, status=503, problem="database")
    if spam_reason:  # a bot learns nothing
        return redirect("leads:thanks")
    return redirect(_thanks_url(inquiry, asked_for=token.context.get("recruiter", "")))


def _thanks_url(inquiry, *, asked_for: str) -> str:
    """The thank-you page, naming the recruiter the employer asked for when the request
    went to them (not when they stopped taking leads, or the employer's open lead is
    someone else's). Their public slug only: nothing of the employer's."""
    url = reverse("leads:thanks")
    if not asked_for:
        return url
    try:
        profile = (
            RecruiterProfile.objects.public()
            .filter(slug=asked_for, user_id=inquiry.lead.assigned_to_id)
            .first()
        )
    except DatabaseError:  # stored already: the plain thank-you page will do
        return url
    return f"{url}?{urlencode({'recruiter': profile.slug})}" if profile else url


def market_name(area_code: str) -> str:
    """A BLS market as people name it ("Seattle-Tacoma-Bellevue, WA"); empty if unknown."""
    if not area_code:
        return ""
    try:
        return Area.objects.filter(code=area_code).values_list("title", flat=True).first() or ""
    except DatabaseError:  # the form still shows, without the market's name
        return ""


def attached_posting(token: str) -> dict:
    """The builder's answers of the job description the employer is sending; empty if none."""
    if not token:
        return {}
    try:
        answers = PostingDraft.objects.filter(token=token).values_list("answers", flat=True)
        return answers.first() or {}
    except DatabaseError:  # the form still shows; the posting is attached when stored
        return {}


def _token_from(data) -> FormToken:
    """The submitted token when it is genuine and fresh, else a new one (same context)."""
    token = FormToken.read(data.get("token", ""))
    if token is None:
        return FormToken.issue({})
    if token.age_seconds > settings.LEADS_FORM_MAX_AGE_SECONDS:
        return FormToken.issue(token.context)
    return token


def _render(request, form, token: FormToken, *, status: int = 200, problem: str = ""):
    titles = dict(form.fields["roles"].choices)
    context = token.context
    looking_at = {
        "role": titles.get(context.get("role", "")),
        "seniority": dict(Seniority.choices).get(context.get("seniority", "")),
        "market": market_name(context.get("area", "")),
    }
    posting = attached_posting(context.get("posting", "")).get("title") or ""
    recruiter = public_recruiter(context.get("recruiter", ""))
    return render(
        request,
        TEMPLATE,
        {
            "form": form,
            "token": token.sign(),
            "looking_at": looking_at,
            "posting": posting,
            "recruiter": recruiter,
            "problem": problem,
        },
        status=status,
    )


@require_safe
def recruiter_photo(request, slug: str, digest: str):
    """A recruiter's photo. Its address changes with the photo (the digest), so it
    may be cached for good. Staff also see photos of profiles not shown yet."""
    profiles = (
        RecruiterProfile.objects if request.user.is_staff else RecruiterProfile.objects.public()
    )
    photo = profiles.filter(slug=slug, photo_digest=digest).values_list("photo", flat=True).first()
    if not photo:
        raise Http404("No such photo.")
    response = HttpResponse(bytes(photo), content_type="image/jpeg")
    if request.user.is_staff:
        add_never_cache_headers(response)
    else:
        response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


def public_recruiter(slug: str) -> RecruiterProfile | None:
    """The published recruiter a visitor asked to speak with, if that is one."""
    if not slug:
        return None
    try:
        return RecruiterProfile.objects.public().filter(slug=slug).first()
    except DatabaseError:  # the form still shows; the request goes round robin
        return None


class ThanksView(TemplateView):
    template_name = "leads/thanks.html"

    def get_context_data(self, **kwargs):
        slug = self.request.GET.get("recruiter", "")
        recruiter = None
        if SLUG.fullmatch(slug):
            recruiter = RecruiterProfile.objects.public().filter(slug=slug).first()
        return super().get_context_data(**kwargs) | {"recruiter": recruiter}


class PrivacyView(TemplateView):
    template_name = "leads/privacy.html"
