"""The pipeline dashboard: figures computed in SQL, each a link to the leads behind it."""

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import reverse

from leads.admin.filters import NOT_KNOWN
from leads.models import OPEN_STAGES, Stage
from leads.services.reports import pipeline_figures

OPEN = {"stage__in": ",".join(OPEN_STAGES)}


def leads_url(**params) -> str:
    """The lead list, filtered."""
    return reverse("admin:leads_lead_changelist") + "?" + urlencode(params)


def row_urls(group: dict) -> dict[str, str]:
    """Links to the leads a row of figures counts: all, open, won, lost."""
    return {
        "total": leads_url(**group),
        "open": leads_url(**group, **OPEN),
        "won": leads_url(**group, stage__exact=Stage.WON),
        "lost": leads_url(**group, stage__exact=Stage.LOST),
    }


def dashboard_view(model_admin, request):
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    figures = pipeline_figures()
    for row in figures["recruiters"]:
        who = {"assigned_to__id__exact": row["pk"]} if row["pk"] else {"assignment": "nobody"}
        row["urls"] = {**row_urls(who), "overdue": leads_url(**who, next_step="overdue")}
    for row in figures["by_source"]:
        row["urls"] = row_urls({"source": row["key"] or NOT_KNOWN})
    for row in figures["by_family"]:
        family = {"family__id__exact": row["key"]} if row["key"] else {"family__isnull": "True"}
        row["urls"] = row_urls(family)
    for row in figures["by_market"]:
        row["urls"] = row_urls({"market": row["key"] or NOT_KNOWN})
    for week in figures["weeks"]:
        week["url"] = leads_url(
            created_at__date__gte=week["start"], created_at__date__lte=week["end"]
        )
    figures["urls"] = {
        "overdue": leads_url(next_step="overdue"),
        "new_this_week": leads_url(created_at__gte=figures["week_ago"].isoformat()),
        "open": leads_url(**OPEN),
    }
    context = {**model_admin.page_context(request, "Pipeline dashboard"), "figures": figures}
    return TemplateResponse(request, "admin/leads/lead/dashboard.html", context)
