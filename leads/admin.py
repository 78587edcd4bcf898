from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.timesince import timesince

from leads import services
from leads.attribution import UTM_PARAMETERS
from leads.models import (
    LOST_NEEDS_REASON,
    Inquiry,
    Lead,
    LeadNote,
    RecruiterProfile,
    Stage,
    StageChange,
)


class AssignmentFilter(admin.SimpleListFilter):
    title = "assignment"
    parameter_name = "assignment"

    def lookups(self, request, model_admin):
        return [("me", "Assigned to me"), ("nobody", "Unassigned")]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(assigned_to=request.user)
        if self.value() == "nobody":
            return queryset.filter(assigned_to__isnull=True)
        return queryset


class StaleFilter(admin.SimpleListFilter):
    title = "activity"
    parameter_name = "stale"

    def lookups(self, request, model_admin):
        return [("yes", "Stale (no activity)")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(pk__in=Lead.objects.stale().values("pk"))
        return queryset


class InquiryInline(admin.StackedInline):
    model = Inquiry
    extra = 0
    can_delete = False
    show_change_link = False
    fields = [
        "submitted_at",
        "roles",
        "hires",
        "location",
        "remote_policy",
        "timeline",
        "message",
        "context",
        "campaign",
        "consent_at",
        "notified_at",
        "confirmation_sent_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="Was looking at")
    def context(self, inquiry):
        parts = [
            inquiry.context_role.title if inquiry.context_role else "",
            inquiry.get_context_seniority_display() if inquiry.context_seniority else "",
            f"BLS area {inquiry.context_area}" if inquiry.context_area else "",
            f"page {inquiry.source_page}" if inquiry.source_page else "",
            f"from {inquiry.referrer}" if inquiry.referrer else "",
        ]
        return ", ".join(p for p in parts if p) or "-"

    @admin.display(description="Campaign (UTM)")
    def campaign(self, inquiry):
        values = [
            f"{name.removeprefix('utm_')}={getattr(inquiry, name)}"
            for name in UTM_PARAMETERS
            if getattr(inquiry, name)
        ]
        return ", ".join(values) or "-"


class LeadNoteInline(admin.TabularInline):
    model = LeadNote
    extra = 1
    can_delete = False
    fields = ["text", "author", "created_at"]
    readonly_fields = ["author", "created_at"]

    def has_change_permission(self, request, obj=None):
        return False  # notes are a record: added, never rewritten


class StageChangeInline(admin.TabularInline):
    model = StageChange
    extra = 0
    can_delete = False
    fields = ["from_stage", "to_stage", "changed_by", "changed_at"]
    readonly_fields = fields
    verbose_name_plural = "stage history"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def require_reason_when_lost(stage: str | None, reason: str) -> None:
    """Lead.move_to refuses a loss without a reason; say so beside the form's field first."""
    if stage == Stage.LOST and not reason.strip():
        raise ValidationError({"reason": LOST_NEEDS_REASON})


class LeadAdminForm(forms.ModelForm):
    """The stage is never edited directly: `move_to` goes through Lead.move_to."""

    move_to = forms.ChoiceField(
        label="Move to stage",
        choices=[("", "(keep the current stage)"), *Stage.choices],
        required=False,
    )
    reason = forms.CharField(
        label="Reason (when lost)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    class Meta:
        model = Lead
        fields = ["name", "email", "phone", "company", "job_title", "assigned_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "assigned_to" in self.fields:
            self.fields["assigned_to"].queryset = recruiters()

    def clean(self):
        cleaned = super().clean()
        require_reason_when_lost(cleaned.get("move_to"), cleaned.get("reason", ""))
        return cleaned


def recruiters():
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=services.RECRUITERS_GROUP)
        .order_by("username")
    )


class AssignForm(forms.Form):
    # A lazy queryset, evaluated afresh for every form.
    recruiter = forms.ModelChoiceField(queryset=recruiters())


class MoveForm(forms.Form):
    stage = forms.ChoiceField(choices=Stage.choices)
    reason = forms.CharField(
        label="Reason (when lost)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        cleaned = super().clean()
        require_reason_when_lost(cleaned.get("stage"), cleaned.get("reason", ""))
        return cleaned


@admin.register(Lead)
class LeadAdmin(admin.ModelAdmin):
    form = LeadAdminForm
    change_list_template = "admin/leads/lead/change_list.html"
    list_display = [
        "__str__",
        "stage",
        "assigned_to",
        "roles",
        "company",
        "age",
        "stale",
        "is_spam",
    ]
    list_filter = [
        "stage",
        AssignmentFilter,
        ("assigned_to", admin.RelatedOnlyFieldListFilter),
        ("inquiries__roles", admin.RelatedOnlyFieldListFilter),
        StaleFilter,
        ("is_spam", admin.BooleanFieldListFilter),
    ]
    show_facets = admin.ShowFacets.ALWAYS
    search_fields = ["name", "email", "company"]
    list_select_related = ["assigned_to"]
    list_per_page = 50
    inlines = [InquiryInline, LeadNoteInline, StageChangeInline]
    readonly_fields = [
        "stage",
        "lost_reason",
        "created_at",
        "first_response",
        "last_activity_at",
        "stale",
        "is_spam",
        "spam_reason",
        "erased_at",
        "related_leads",
    ]
    fieldsets = [
        (
            "Contact",
            {"fields": ["name", "email", "phone", "company", "job_title", "related_leads"]},
        ),
        (
            "Pipeline",
            {
                "fields": [
                    ("stage", "move_to"),
                    "reason",
                    "lost_reason",
                    "assigned_to",
                    ("created_at", "first_response", "last_activity_at", "stale"),
                    ("is_spam", "spam_reason", "erased_at"),
                ]
            },
        ),
    ]
    actions = [
        "assign_to_me",
        "assign_to",
        "move_to_stage",
        "mark_spam",
        "mark_not_spam",
        "export_csv",
        "export_personal_data",
        "erase_personal_data",
    ]

    class Media:
        css = {"all": ["css/admin-leads.css"]}

    def get_queryset(self, request):
        roles = Prefetch("inquiries", queryset=Inquiry.objects.prefetch_related("roles"))
        return super().get_queryset(request).prefetch_related(roles)

    def has_add_permission(self, request):
        return False  # leads come from the public form

    def has_erase_permission(self, request):
        return request.user.has_perm("leads.erase_lead")

    def has_export_permission(self, request):
        return request.user.has_perm("leads.export_lead")

    # Columns -------------------------------------------------------------------

    @admin.display(description="Roles")
    def roles(self, lead):
        titles = {role.title for inquiry in lead.inquiries.all() for role in inquiry.roles.all()}
        return ", ".join(sorted(titles)) or "-"

    @admin.display(description="Age", ordering="created_at")
    def age(self, lead):
        return timesince(lead.created_at, depth=1)

    @admin.display(description="Stale")
    def stale(self, lead):
        if lead.is_stale:
            return format_html('<span class="lead-stale">{}</span>', "stale")
        return ""

    @admin.display(description="First response")
    def first_response(self, lead):
        elapsed = lead.first_response_time
        return timesince(lead.created_at, lead.first_response_at) if elapsed else "not yet"

    @admin.display(description="Related leads (same company domain)")
    def related_leads(self, lead):
        related = lead.related_by_domain()[:10]
        if not related:
            return "-"
        return format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            ((reverse("admin:leads_lead_change", args=[r.pk]), str(r)) for r in related),
        )

    # Saving ----------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if form.cleaned_data.get("move_to"):
            obj.move_to(
                form.cleaned_data["move_to"], by=request.user, reason=form.cleaned_data["reason"]
            )

    def save_formset(self, request, form, formset, change):
        if formset.model is not LeadNote:
            return super().save_formset(request, form, formset, change)
        for note in formset.save(commit=False):
            services.lead_add_note(lead=form.instance, author=request.user, text=note.text)
        return None

    # Actions ---------------------------------------------------------------------

    @admin.action(description="Assign to me", permissions=["change"])
    def assign_to_me(self, request, queryset):
        for lead in queryset:
            lead.assign_to(request.user)
        self.message_user(request, f"{len(queryset)} lead(s) assigned to you.", messages.SUCCESS)

    @admin.action(description="Assign to a recruiter…", permissions=["change"])
    def assign_to(self, request, queryset):
        form = AssignForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            for lead in queryset:
                lead.assign_to(form.cleaned_data["recruiter"])
            self.message_user(request, f"{len(queryset)} lead(s) assigned.", messages.SUCCESS)
            return None
        return self._action_page(request, queryset, form, "assign_to", "Assign leads")

    @admin.action(description="Move to a stage…", permissions=["change"])
    def move_to_stage(self, request, queryset):
        form = MoveForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            for lead in queryset:
                lead.move_to(
                    form.cleaned_data["stage"], by=request.user, reason=form.cleaned_data["reason"]
                )
            self.message_user(request, f"{len(queryset)} lead(s) moved.", messages.SUCCESS)
            return None
        return self._action_page(request, queryset, form, "move_to_stage", "Move leads to a stage")

    @admin.action(description="Mark as spam", permissions=["change"])
    def mark_spam(self, request, queryset):
        for lead in queryset:
            services.lead_mark_spam(lead=lead)
        self.message_user(request, f"{len(queryset)} lead(s) quarantined as spam.")

    @admin.action(description="Not spam: release into the pipeline", permissions=["change"])
    def mark_not_spam(self, request, queryset):
        released = [lead for lead in queryset if lead.is_spam]
        for lead in released:
            services.lead_mark_not_spam(lead=lead)
        self.message_user(request, f"{len(released)} lead(s) released and routed.")

    @admin.action(description="Export as CSV", permissions=["export"])
    def export_csv(self, request, queryset):
        response = HttpResponse(services.leads_csv(queryset), content_type="text/csv")
        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="leads-{stamp}.csv"'
        return response

    @admin.action(
        description="Export the personal data of these people (JSON)", permissions=["export"]
    )
    def export_personal_data(self, request, queryset):
        emails = sorted({lead.email for lead in queryset})
        payload = "\n".join(services.lead_personal_data(email=email) for email in emails)
        response = HttpResponse(payload, content_type="application/json")
        response["Content-Disposition"] = 'attachment; filename="personal-data.json"'
        return response

    @admin.action(description="Erase personal data…", permissions=["erase"])
    def erase_personal_data(self, request, queryset):
        if "apply" in request.POST:
            for lead in queryset:
                services.lead_erase(lead=lead)
            self.message_user(
                request, f"Personal data of {len(queryset)} lead(s) erased.", messages.SUCCESS
            )
            return None
        form = forms.Form()
        return self._action_page(
            request,
            queryset,
            form,
            "erase_personal_data",
            "Erase personal data",
            warning="Names, emails, phones, companies, messages, locations and notes of these "
            "leads will be erased for good, with the admin history about them. The leads stay "
            "in the figures.",
        )

    def _action_page(self, request, queryset, form, action, title, warning=""):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "queryset": queryset,
            "form": form,
            "action": action,
            "warning": warning,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/leads/lead/action_form.html", context)

    # Dashboard -------------------------------------------------------------------

    def get_urls(self):
        dashboard = self.admin_site.admin_view(self.dashboard_view)
        return [path("dashboard/", dashboard, name="leads_lead_dashboard"), *super().get_urls()]

    def dashboard_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": "Pipeline dashboard",
            "opts": self.model._meta,
            "figures": services.pipeline_figures(),
        }
        return TemplateResponse(request, "admin/leads/lead/dashboard.html", context)


@admin.register(RecruiterProfile)
class RecruiterProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "accepts_leads", "family_list", "last_assigned_at"]
    list_filter = ["accepts_leads", "families"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["families"]
    list_select_related = ["user"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("families")

    @admin.display(description="Families covered")
    def family_list(self, profile):
        return ", ".join(f.name for f in profile.families.all()) or "all"
