"""The pipeline dashboard: figures computed in SQL, each a link to the leads behind it."""

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse

from leads.services.reports import pipeline_figures


def dashboard_view(model_admin, request):
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    context = {
        **model_admin.page_context(request, "Pipeline dashboard"),
        "figures": pipeline_figures(),
    }
    return TemplateResponse(request, "admin/leads/lead/dashboard.html", context)
