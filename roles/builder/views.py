"""The job description builder: a template's page of its own where an employer edits
it into their posting, sees it priced and checked, and takes it away or hands it on."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import urlencode
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from portal.net import client_ip
from portal.ratelimit import limit_exceeded
from roles.builder.document import JobDescription
from roles.builder.forms import PostingForm
from roles.models import PostingDraft, Role
from roles.views import contact_url
from roles.wages.presentation import OccupationWages

TEMPLATE = "roles/builder/builder.html"
# Files and saved drafts cost a server far more than a preview (a PDF about 0.1 s of CPU,
# a draft a row): per client address, this many in the window, then a polite refusal.
COSTLY_ACTIONS = {"docx", "pdf", "save", "send"}
COSTLY_LIMIT = 60
COSTLY_WINDOW_SECONDS = 10 * 60
# The downloads a submit button may ask for: (content type, file extension).
DOWNLOADS = {
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
    "pdf": ("application/pdf", "pdf"),
    "text": ("text/plain; charset=utf-8", "txt"),
    "markdown": ("text/markdown; charset=utf-8", "md"),
    "html": ("text/html; charset=utf-8", "html"),
}


@require_http_methods(["GET", "HEAD", "POST"])
def customise(request, slug: str, token: str | None = None):
    role = get_object_or_404(Role.objects.published().prefetch_related("items"), slug=slug)
    draft = None
    if token is not None:
        draft = PostingDraft.objects.filter(token=token, role=role).first()
        if draft is None:
            raise Http404("This saved job description has expired or never existed.")
        draft.role = role  # fetched already: its link needs the slug
    wages = OccupationWages.load(role.soc_code)
    if request.method == "POST":
        form = PostingForm(request.POST, role=role, wages=wages)
        if not form.is_valid():
            return _render(request, role, form, draft=draft, status=400)
        answers = form.answers()
        action = request.POST.get("action", "preview")
        if action in COSTLY_ACTIONS and limit_exceeded(
            scope="builder",
            client_ip=client_ip(request),
            limit=COSTLY_LIMIT,
            window_seconds=COSTLY_WINDOW_SECONDS,
        ):
            form = PostingForm(initial=answers, role=role, wages=wages)
            response = _render(request, role, form, draft=draft, status=429, problem="rate")
            response["Retry-After"] = str(COSTLY_WINDOW_SECONDS)
            return response
        if action in DOWNLOADS:
            return _download(JobDescription.from_answers(role, answers, wages), action)
        if action in ("save", "send"):
            posting = JobDescription.from_answers(role, answers, wages)
            draft = _save(draft, role, answers, posting.as_text())
            if action == "send":
                return redirect(_contact_url(role, answers, draft))
            return redirect(draft)
        if action == "data_pay":
            answers = form.data_pay()
        # Shown again as understood: a range that followed the market shows its new figures.
        form = PostingForm(initial=answers, role=role, wages=wages)
    elif draft is not None:
        form = PostingForm(initial=draft.answers, role=role, wages=wages)
    else:
        form = PostingForm(
            initial=PostingForm.initial_for(
                role,
                wages,
                area=request.GET.get("area", ""),
                seniority=request.GET.get("seniority", ""),
            ),
            role=role,
            wages=wages,
        )
    return _render(request, role, form, draft=draft)


def _render(request, role, form, *, draft, status=200, problem=""):
    # The preview is of what the form understood; a form with errors has none yet.
    posting = None if form.is_bound else JobDescription.from_answers(role, form.initial, form.wages)
    context = {
        "role": role,
        "form": form,
        "posting": posting,
        "draft": draft,
        "action_url": draft.get_absolute_url() if draft else request.path,
        "retention_days": settings.BUILDER_DRAFT_RETENTION_DAYS,
        "problem": problem,
    }
    if draft is not None:
        context["draft_link"] = request.build_absolute_uri(draft.get_absolute_url())
    if posting is not None:
        context["copies"] = [
            ("text", "plain text", posting.as_text()),
            ("markdown", "Markdown", posting.as_markdown()),
            ("html", "HTML", posting.as_html()),
        ]
        context["json_ld"] = posting.json_ld_script() if posting.company else ""
    response = render(request, TEMPLATE, context, status=status)
    # A form with a CSRF token, and maybe a draft someone shared: never kept by a shared
    # cache, always revalidated. Not `no-store`: the browser keeps the page for Back, so
    # returning to a preview (the answer to a POST) shows it instead of "Confirm Form
    # Resubmission".
    patch_cache_control(response, private=True, no_cache=True, max_age=0)
    if draft is not None:
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _download(posting: JobDescription, kind: str) -> HttpResponse:
    content_type, extension = DOWNLOADS[kind]
    render = {
        "docx": posting.as_docx,
        "pdf": posting.as_pdf,
        "text": posting.as_text,
        "markdown": posting.as_markdown,
        "html": posting.as_html,
    }[kind]
    response = HttpResponse(render(), content_type=content_type)
    filename = f"{slugify(posting.title) or 'job-description'}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    add_never_cache_headers(response)
    return response


def _save(draft: PostingDraft | None, role: Role, answers: dict, text: str) -> PostingDraft:
    if draft is None:
        return PostingDraft.objects.create(role=role, answers=answers, text=text)
    draft.answers, draft.text, draft.saved_at = answers, text, timezone.now()
    draft.save(update_fields=["answers", "text", "saved_at"])
    return draft


def _contact_url(role: Role, answers: dict, draft: PostingDraft) -> str:
    """The contact form with the role, seniority and market filled in and the posting
    attached by its draft's token (no personal data: the employer typed none yet)."""
    url = contact_url(role, answers.get("area") or "", answers["seniority"])
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}{urlencode({'posting': draft.token})}"
