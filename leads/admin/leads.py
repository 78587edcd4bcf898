"""The lead list and the lead's page: what a recruiter reads and changes every day."""

from functools import partial

from django.contrib import admin
from django.db.models import Prefetch
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timesince import timesince

from leads.admin import actions, board, dashboard, email, my_work
from leads.admin.filters import (
    AssignedToFilter,
    AssignmentFilter,
    MarketFilter,
    NextStepFilter,
    SourceFilter,
    SpamFilter,
    StaleFilter,
)
from leads.admin.forms import LeadAdminForm
from leads.admin.timeline import timeline
from leads.models import Inquiry, Lead, LostReason, Stage, person
from leads.services.pipeline import (
    lead_apply,
    when,
)
from portal.templatetags.portal import duration


def badge(text: str, kind: str) -> str:
    return format_html('<span class="lead-badge lead-badge-{}">{}</span>', kind, text)


@admin.register(Lead)
class LeadAdmin(admin.ModelAdmin):
    form = LeadAdminForm
    change_list_template = "admin/leads/lead/change_list.html"
    change_form_template = "admin/leads/lead/change_form.html"
    list_display = [
        "who",
        "need",
        "market_name",
        "stage_and_flags",
        "assignee",
        "next_step_column",
        "age",
    ]
    list_display_links = ["who"]
    list_filter = [
        "stage",
        AssignmentFilter,
        NextStepFilter,
        AssignedToFilter,
        ("family", admin.RelatedOnlyFieldListFilter),
        SourceFilter,
        MarketFilter,
        StaleFilter,
        SpamFilter,
    ]
    search_fields = ["name", "email", "company"]
    search_help_text = "Search by name, email or company."
    list_select_related = ["assigned_to", "family", "market"]
    list_per_page = 50
    show_full_result_count = False  # one COUNT(*) less over every lead, on every page
    save_on_top = True  # the timeline below the form grows long
    show_facets = admin.ShowFacets.ALLOW
    readonly_fields = [
        "contact_links",
        "related_leads",
        "stage",
        "lost",
        "created_at",
        "first_response",
        "last_activity_at",
        "hires",
        "estimated_value",
        "market_name",
        "source",
        "spam",
        "erased_at",
    ]
    actions = [
        actions.assign_to_me,
        actions.assign_to,
        actions.move_to_stage,
        actions.mark_spam,
        actions.release_from_spam,
        actions.export_xlsx,
        actions.export_csv,
        actions.export_personal_data,
        actions.erase_personal_data,
    ]

    class Media:
        css = {"all": ["css/admin-leads.css"]}

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"title": "Leads", **(extra_context or {})})

    def get_queryset(self, request):
        latest_first = (
            Inquiry.objects.select_related("context_role", "posting_draft__role")
            .prefetch_related("roles")
            .order_by("-submitted_at", "-pk")
        )
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("inquiries", queryset=latest_first))
        )

    def has_add_permission(self, request):
        return False  # leads come from the public form

    def has_delete_permission(self, request, obj=None):
        return False  # leads are erased, never deleted: they stay in the figures

    def has_erase_permission(self, request):
        return request.user.has_perm("leads.erase_lead")

    def has_export_permission(self, request):
        return request.user.has_perm("leads.export_lead")

    # The list ------------------------------------------------------------------------

    @admin.display(description="Lead", ordering="name")
    def who(self, lead):
        if lead.erased_at:
            return f"Erased lead #{lead.pk}"
        return format_html("<strong>{}</strong><br>{}", lead.name, lead.company)

    @admin.display(description="Needs", ordering="hires")
    def need(self, lead):
        latest = next(iter(lead.inquiries.all()), None)
        hires = f"{lead.hires} hire{'s' if lead.hires != 1 else ''}"
        when = latest.get_timeline_display().lower() if latest else ""
        return format_html(
            '{}<br><span class="lead-quiet">{}</span>',
            ", ".join(part for part in (hires, when) if part),
            ", ".join(lead.role_titles) or "no role named",
        )

    @admin.display(description="Market", ordering="market__title")
    def market_name(self, lead):
        return lead.market.title if lead.market else "-"

    @admin.display(description="Assigned to", ordering="assigned_to__first_name")
    def assignee(self, lead):
        return person(lead.assigned_to) if lead.assigned_to else "Unassigned"

    @admin.display(description="Next step", ordering="next_step_due_at")
    def next_step_column(self, lead):
        if not lead.next_step:
            return "-"
        return format_html(
            '{}<br><span class="lead-due">due {}</span>',
            lead.next_step,
            when(lead.next_step_due_at),
        )

    @admin.display(description="Age", ordering="created_at")
    def age(self, lead):
        return timesince(lead.created_at, depth=1)

    @admin.display(description="Stage", ordering="stage")
    def stage_and_flags(self, lead):
        flags = []
        if lead.is_spam:
            flags.append(badge("Spam", "spam"))
        if lead.is_overdue:
            flags.append(badge("Overdue", "overdue"))
        if lead.is_stale:
            flags.append(badge("Stale", "stale"))
        if lead.is_open and not lead.is_spam and not lead.next_step:
            flags.append(badge("No next step", "none"))
        if lead.email_refused_at and not lead.erased_at:
            flags.append(badge("Email refused", "refused"))
        return format_html(
            "{}<br>{}",
            lead.get_stage_display(),
            format_html_join(" ", "{}", ((flag,) for flag in flags)),
        )

    # The lead's page -----------------------------------------------------------------

    def get_fieldsets(self, request, obj=None):
        next_step = ["new_next_step", "new_next_step_due_at"]
        if obj and obj.next_step:
            next_step.append("next_step_done")
        pipeline = ["stage", "move_to", "lost_category", "reason"]
        if obj and obj.stage == Stage.LOST:
            pipeline.insert(1, "lost")
        return [
            (
                "Contact",
                {
                    "fields": [
                        "name",
                        "email",
                        "phone",
                        "company",
                        "job_title",
                        "contact_links",
                        "related_leads",
                    ]
                },
            ),
            ("Follow-up", {"fields": next_step}),
            (
                "Pipeline",
                {
                    "fields": [
                        *pipeline,
                        "assignee",
                        ("created_at", "first_response", "last_activity_at"),
                        "spam",
                    ]
                },
            ),
            (
                "Deal",
                {
                    "fields": [
                        ("hires", "estimated_value", "value_override"),
                        "expected_start",
                        ("market_name", "source"),
                    ]
                },
            ),
            ("Add a note", {"fields": ["note"]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj and obj.erased_at:  # nothing personal left to edit
            return [*self.readonly_fields, "name", "email", "phone", "company", "job_title"]
        return self.readonly_fields

    @admin.display(description="Get in touch")
    def contact_links(self, lead):
        if lead.erased_at:
            return "-"
        links = [
            format_html('<a href="mailto:{}">{}</a>', lead.email, lead.email),
            format_html(
                '<a href="{}">Email from the portal</a>',
                reverse("admin:leads_lead_email", args=[lead.pk]),
            ),
        ]
        if lead.phone:
            links.insert(1, format_html('<a href="tel:{}">{}</a>', lead.phone, lead.phone))
        joined = format_html_join(" · ", "{}", ((link,) for link in links))
        if lead.email_refused_at:
            return format_html(
                "{} The mail server refused this address on {}: nothing more is sent to it "
                "until the email is corrected.<br>{}",
                badge("Email refused", "refused"),
                date_format(timezone.localtime(lead.email_refused_at), "j M Y"),
                joined,
            )
        return joined

    @admin.display(description="Related leads (same company domain)")
    def related_leads(self, lead):
        related = lead.related_by_domain()[:10]
        if not related:
            return "-"
        return format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            (
                (reverse("admin:leads_lead_change", args=[other.pk]), other.display_name)
                for other in related
            ),
        )

    @admin.display(description="Why it was lost")
    def lost(self, lead):
        category = LostReason(lead.lost_category).label if lead.lost_category else "-"
        return f"{category}: {lead.lost_reason}" if lead.lost_reason else category

    @admin.display(description="First response")
    def first_response(self, lead):
        elapsed = lead.first_response_time
        return f"after {duration(elapsed)}" if elapsed is not None else "not yet"

    @admin.display(description="Estimated value")
    def estimated_value(self, lead):
        value = lead.estimated_value
        return f"${value:,}" if value is not None else "-"

    @admin.display(description="Spam")
    def spam(self, lead):
        if not lead.is_spam:
            return "No"
        return format_html("{} {}", badge("Spam", "spam"), lead.get_spam_reason_display())

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(
                title=obj.display_name,
                subtitle=None,
                timeline=timeline(obj),
                email_url=reverse("admin:leads_lead_email", args=[obj.pk]),
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def history_view(self, request, object_id, extra_context=None):
        lead = self.get_object(request, object_id)
        title = f"Change history: {lead.display_name}" if lead else None
        return super().history_view(request, object_id, {"title": title, **(extra_context or {})})

    def save_model(self, request, obj, form, change):
        # The form's changes, applied to the lead as the database holds it.
        original = Lead.objects.get(pk=obj.pk)
        form.said = lead_apply(lead=original, by=request.user, changes=form.changes())

    def save_related(self, request, form, formsets, change):
        pass  # nothing related is edited here: inquiries and the timeline are records

    def construct_change_message(self, request, form, formsets, add=False):
        return "; ".join(getattr(form, "said", [])) or "No changes"

    # The recruiters' own pages ------------------------------------------------------

    # The URLs are read once, at start-up, where mutmut's forked runs cannot see them
    # change: any mistake here fails every test of these pages instead.
    def get_urls(self):  # pragma: no mutate block
        pages = [
            ("my-work/", my_work.my_work_view, "leads_lead_my_work"),
            ("board/", board.board_view, "leads_lead_board"),
            ("board/<int:lead_id>/move/", board.move_view, "leads_lead_board_move"),
            ("dashboard/", dashboard.dashboard_view, "leads_lead_dashboard"),
            ("<int:lead_id>/email/", email.email_view, "leads_lead_email"),
        ]
        return [
            path(route, self.admin_site.admin_view(partial(view, self)), name=name)
            for route, view, name in pages
        ] + super().get_urls()

    def page_context(self, request, title: str) -> dict:
        return {**self.admin_site.each_context(request), "title": title, "opts": self.model._meta}
