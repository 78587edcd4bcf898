"""The board: open leads as columns by stage, each card movable with a form of its own."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, Min, Window
from django.db.models.functions import RowNumber
from django.http import HttpResponseNotAllowed, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from leads.admin.forms import MoveForm
from leads.models import OPEN_STAGES, Lead, Stage
from leads.services.pipeline import LeadChanges, lead_apply
from roles.models import RoleFamily

CARDS_PER_COLUMN = 25
# The board's on/off filters; a role family may be chosen too.
FILTERS = {"mine": "Mine", "unassigned": "Unassigned", "overdue": "Overdue"}


def board_filters(params: QueryDict) -> dict[str, str]:
    """The filters asked for, keeping only those the board knows."""
    chosen = {name: "1" for name in FILTERS if params.get(name) == "1"}
    if params.get("family", "").isdigit():
        chosen["family"] = params["family"]
    return chosen


def filtered_leads(user, chosen: dict[str, str]):
    leads = Lead.objects.open()
    if "mine" in chosen:
        leads = leads.filter(assigned_to=user)
    if "unassigned" in chosen:
        leads = leads.filter(assigned_to__isnull=True)
    if "overdue" in chosen:
        leads = leads.filter(next_step_due_at__lt=timezone.now())
    if "family" in chosen:
        leads = leads.filter(family_id=int(chosen["family"]))
    return leads


def board_view(model_admin, request):
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    chosen = board_filters(request.GET)
    leads = filtered_leads(request.user, chosen)
    totals = {
        row["stage"]: row
        for row in leads.values("stage")
        .annotate(n=Count("pk"), oldest=Min("created_at"))
        .order_by()
    }
    # The most urgent cards of each column, in one query: numbered within their stage.
    cards = list(
        leads.annotate(
            place=Window(
                RowNumber(),
                partition_by=[F("stage")],
                order_by=[F("next_step_due_at").asc(nulls_first=True), F("created_at").asc()],
            )
        )
        .filter(place__lte=CARDS_PER_COLUMN)
        .for_cards()
        .order_by("place")
    )
    now = timezone.now()
    columns = [
        {
            "stage": stage,
            "label": stage.label,
            "count": totals.get(stage, {}).get("n", 0),
            "oldest": now - totals[stage]["oldest"] if stage in totals else None,
            "cards": [lead for lead in cards if lead.stage == stage],
            "list_url": reverse("admin:leads_lead_changelist")
            + "?"
            + urlencode({"stage__exact": stage.value}),
        }
        for stage in OPEN_STAGES
    ]
    for column in columns:
        column["more"] = column["count"] - len(column["cards"])
    context = {
        **model_admin.page_context(request, "Board"),
        "columns": columns,
        "stages": Stage.choices,
        "families": RoleFamily.objects.filter(pk__in=Lead.objects.open().values("family")),
        "chosen": chosen,
        "filters": FILTERS.items(),
        "querystring": urlencode(chosen),
        "can_change": model_admin.has_change_permission(request),
    }
    return TemplateResponse(request, "admin/leads/lead/board.html", context)


def move_view(model_admin, request, lead_id: int):
    """Move one card: the same service as the list's action and the lead's page."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    lead = get_object_or_404(Lead, pk=lead_id)
    if not model_admin.has_change_permission(request, lead):
        raise PermissionDenied
    stage = request.POST.get("stage")
    back = reverse("admin:leads_lead_board")
    chosen = board_filters(QueryDict(request.POST.get("filters", "")))
    if chosen:
        back += "?" + urlencode(chosen)
    if stage not in Stage.values:
        messages.error(request, "Choose a stage to move the lead to.")
        return HttpResponseRedirect(back)
    changes = LeadChanges(stage=stage)
    if stage == Stage.LOST:
        # A loss needs its reason: asked on a page of its own, then back to the board.
        form = MoveForm(request.POST if "lost_category" in request.POST else None)
        if not form.is_valid():
            context = {
                **model_admin.page_context(request, f"Why was {lead.display_name} lost?"),
                "lead": lead,
                "form": form,
                "filters": urlencode(chosen),
            }
            return TemplateResponse(request, "admin/leads/lead/lost_form.html", context)
        changes = LeadChanges(
            stage=stage,
            lost_category=form.cleaned_data["lost_category"],
            reason=form.cleaned_data["reason"],
        )
    try:
        said = lead_apply(lead=lead, by=request.user, changes=changes)
    except ValidationError as error:
        messages.error(request, f"{lead.display_name}: {' '.join(error.messages)}")
        return HttpResponseRedirect(back)
    if said:
        model_admin.log_change(request, lead, "; ".join(said))
        messages.success(request, f"{lead.display_name}: moved to {Stage(stage).label}.")
    return HttpResponseRedirect(back)
