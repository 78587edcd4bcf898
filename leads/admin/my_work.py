"""My work: a recruiter's landing page after sign-in."""

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse

from leads.models import RecruiterProfile
from leads.services.reports import my_work


def my_work_view(model_admin, request):
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    context = {
        **model_admin.page_context(request, "My work"),
        "work": my_work(user=request.user),
        # Told where they land, not only on My public profile.
        "taken_down": RecruiterProfile.objects.exclude(taken_down_at=None)
        .select_related("taken_down_by")
        .filter(user=request.user)
        .first(),
    }
    return TemplateResponse(request, "admin/leads/lead/my_work.html", context)
