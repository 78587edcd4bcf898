"""Email a lead from the portal, starting from a template the recruiter edits first."""

import secrets

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse

from leads.admin.forms import EmailForm, TemplateChoiceForm
from leads.models import PLACEHOLDERS, EmailTemplate, Lead
from leads.services.pipeline import lead_email_draft, lead_send_email


def email_view(model_admin, request, lead_id: int):
    lead = get_object_or_404(Lead.objects.select_related("market"), pk=lead_id)
    if not model_admin.has_change_permission(request, lead):
        raise PermissionDenied
    back = redirect("admin:leads_lead_change", lead.pk)
    if lead.erased_at:
        messages.error(request, "This lead's personal data was erased: there is nobody to email.")
        return back
    choice = TemplateChoiceForm(request.GET or None)
    if request.method == "POST":
        form = EmailForm(request.POST)
        if form.is_valid():
            said = lead_send_email(
                lead=lead,
                by=request.user,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                key=form.cleaned_data["key"],
            )
            if said:
                model_admin.log_change(request, lead, "; ".join(said))
                messages.success(request, f"Email to {lead.name} queued: it is in the timeline.")
            else:
                messages.info(request, "That email was sent already: it is in the timeline.")
            return back
    else:
        template = choice.cleaned_data["template"] if choice.is_valid() else None
        subject, body = (
            lead_email_draft(lead=lead, by=request.user, template=template)
            if template
            else ("", "")
        )
        form = EmailForm(
            initial={"subject": subject, "body": body, "key": secrets.token_urlsafe(24)}
        )
    context = {
        **model_admin.page_context(request, f"Email {lead.display_name}"),
        "lead": lead,
        "original": lead,
        "form": form,
        "choice": choice,
        "from_email": settings.DEFAULT_FROM_EMAIL,
        "reply_to": request.user.email,
    }
    return TemplateResponse(request, "admin/leads/lead/email_form.html", context)


@admin.register(EmailTemplate)
class EmailTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "subject", "position"]
    list_editable = ["position"]
    search_fields = ["name", "subject", "body"]
    fields = ["name", "subject", "body", "position"]

    def render_change_form(self, request, context, *args, **kwargs):
        context["placeholders"] = PLACEHOLDERS
        return super().render_change_form(request, context, *args, **kwargs)
