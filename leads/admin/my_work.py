"""My work: a recruiter's landing page after sign-in."""

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse

from leads.services.reports import my_work


def my_work_view(model_admin, request):
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    context = {
        **model_admin.page_context(request, "My work"),
        "work": my_work(user=request.user),
    }
    return TemplateResponse(request, "admin/leads/lead/my_work.html", context)
