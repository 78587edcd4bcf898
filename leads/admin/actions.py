"""Actions of the lead list: each calls the same service as every other screen."""

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from leads.admin.forms import AssignForm, MoveForm
from leads.models import Stage, person
from leads.services import exports
from leads.services.pipeline import LeadChanges, lead_apply, lead_mark_spam, lead_release
from leads.services.privacy import lead_erase, personal_data_export


def apply_to_each(model_admin, request, leads, changes: LeadChanges) -> int:
    """One screen's changes to each selected lead, each logged in the admin's history."""
    changed = 0
    for lead in leads:
        try:
            said = lead_apply(lead=lead, by=request.user, changes=changes)
        except ValidationError as error:
            # One lead that cannot take the change (reopened beside the person's other
            # open lead) leaves the others changed, and says which and why.
            model_admin.message_user(
                request, f"{lead.display_name}: {' '.join(error.messages)}", messages.WARNING
            )
            continue
        if said:
            model_admin.log_change(request, lead, "; ".join(said))
            changed += 1
    return changed


@admin.action(description="Assign to me", permissions=["change"])
def assign_to_me(model_admin, request, queryset):
    count = apply_to_each(model_admin, request, queryset, LeadChanges(assignee=request.user))
    model_admin.message_user(request, f"{count} lead(s) assigned to you.", messages.SUCCESS)


@admin.action(description="Assign to a recruiter…", permissions=["change"])
def assign_to(model_admin, request, queryset):
    form = AssignForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        recruiter = form.cleaned_data["recruiter"]
        count = apply_to_each(model_admin, request, queryset, LeadChanges(assignee=recruiter))
        model_admin.message_user(
            request, f"{count} lead(s) assigned to {person(recruiter)}.", messages.SUCCESS
        )
        return None
    return action_page(model_admin, request, queryset, form, "assign_to", "Assign leads")


@admin.action(description="Move to a stage…", permissions=["change"])
def move_to_stage(model_admin, request, queryset):
    form = MoveForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        data = form.cleaned_data
        changes = LeadChanges(
            stage=data["stage"], lost_category=data["lost_category"], reason=data["reason"]
        )
        count = apply_to_each(model_admin, request, queryset, changes)
        label = Stage(data["stage"]).label
        model_admin.message_user(request, f"{count} lead(s) moved to {label}.", messages.SUCCESS)
        return None
    return action_page(
        model_admin, request, queryset, form, "move_to_stage", "Move leads to a stage"
    )


@admin.action(description="Mark as spam", permissions=["change"])
def mark_spam(model_admin, request, queryset):
    count = sum(lead_mark_spam(lead=lead, by=request.user) for lead in queryset)
    model_admin.message_user(request, f"{count} lead(s) quarantined as spam.")


@admin.action(description="Not spam: release into the pipeline", permissions=["change"])
def release_from_spam(model_admin, request, queryset):
    count = sum(lead_release(lead=lead, by=request.user) for lead in queryset)
    model_admin.message_user(request, f"{count} lead(s) released and routed.")


@admin.action(description="Export as a spreadsheet (XLSX)", permissions=["export"])
def export_xlsx(model_admin, request, queryset):
    handle = exports.xlsx_file(exports.export_rows(queryset))
    return FileResponse(handle, as_attachment=True, filename=f"leads-{stamp()}.xlsx")


@admin.action(description="Export as CSV (for other software)", permissions=["export"])
def export_csv(model_admin, request, queryset):
    response = StreamingHttpResponse(
        exports.csv_lines(exports.export_rows(queryset)), content_type="text/csv"
    )
    response["Content-Disposition"] = f'attachment; filename="leads-{stamp()}.csv"'
    return response


@admin.action(description="Export the personal data of these people (JSON)", permissions=["export"])
def export_personal_data(model_admin, request, queryset):
    emails = list(queryset.filter(erased_at__isnull=True).values_list("email", flat=True))
    response = HttpResponse(personal_data_export(emails=emails), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="personal-data.json"'
    return response


@admin.action(description="Erase personal data…", permissions=["erase"])
def erase_personal_data(model_admin, request, queryset):
    if "apply" in request.POST:
        leads = list(queryset)
        for lead in leads:
            lead_erase(lead=lead, by=request.user)
        model_admin.message_user(
            request, f"Personal data of {len(leads)} lead(s) erased.", messages.SUCCESS
        )
        return None
    return action_page(
        model_admin,
        request,
        queryset,
        None,
        "erase_personal_data",
        "Erase personal data",
        warning="Names, emails, phones, companies, messages, locations, notes, next steps, "
        "lost reasons and emails of these leads will be erased for good, with the admin "
        "history about them. The leads stay in the figures.",
    )


def action_page(model_admin, request, queryset, form, action, title, warning=""):
    """The page an action shows before it runs: what it will do to which leads."""
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "opts": model_admin.model._meta,
        "leads": list(queryset),
        "form": form,
        "action": action,
        "warning": warning,
        "action_checkbox_name": ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/leads/lead/action_form.html", context)


def stamp() -> str:
    return timezone.localtime().strftime("%Y%m%d-%H%M")
