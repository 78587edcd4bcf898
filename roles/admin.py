import tempfile
from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path

from roles.models import Area, OccupationWage, Role, RoleFamily, RoleItem, Section, Skill
from roles.oews import OewsFileError, failure_message, import_oews


class SectionItemInline(admin.TabularInline):
    """The bullets of one section, in order. One inline per section keeps the
    change page in the same order as the role page."""

    model = RoleItem
    fields = ["position", "text", "requirement"]
    extra = 0
    section: Section

    def get_queryset(self, request):
        return super().get_queryset(request).filter(section=self.section)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        section = self.section

        class SectionFormSet(formset):
            def save_new(self, form, commit=True):
                form.instance.section = section
                return super().save_new(form, commit=commit)

        return SectionFormSet


def section_inline(section: Section) -> type[SectionItemInline]:
    return type(
        f"{section.name.title().replace('_', '')}Inline",
        (SectionItemInline,),
        {
            "section": section,
            "verbose_name": section.label[:-1],
            "verbose_name_plural": section.label,
        },
    )


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "family",
        "seniority",
        "experience_label",
        "published",
        "last_reviewed",
    ]
    list_filter = ["family", "seniority", "published"]
    list_select_related = ["family"]
    search_fields = ["title", "summary", "overview", "items__text", "skills__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["skills", "parent"]
    inlines = [section_inline(section) for section in Section]
    show_facets = admin.ShowFacets.ALWAYS
    fieldsets = [
        (None, {"fields": ["title", "slug", "family", "parent", "published", "last_reviewed"]}),
        ("Overview", {"fields": ["summary", "overview"]}),
        (
            "Experience and seniority",
            {
                "fields": [
                    ("experience_min_years", "experience_max_years"),
                    "seniority",
                    "seniority_basis",
                    "seniority_note",
                ]
            },
        ),
        (
            "Salary",
            {
                "fields": [
                    "national_average_salary",
                    "national_average_salary_source",
                    ("soc_code", "soc_title"),
                    "soc_rationale",
                ]
            },
        ),
        ("Skills", {"fields": ["skills"]}),
    ]

    @admin.display(description="Experience")
    def experience_label(self, role):
        return role.experience_label or "-"


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "role_count"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    show_facets = admin.ShowFacets.ALWAYS

    def get_queryset(self, request):
        # A GROUP BY query drops Meta.ordering; keep the list (and autocomplete) ordered.
        return super().get_queryset(request).annotate(role_count=Count("roles")).order_by("name")

    @admin.display(description="Roles", ordering="role_count")
    def role_count(self, skill):
        return skill.role_count


@admin.register(RoleFamily)
class RoleFamilyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class ReadOnlyAdmin(admin.ModelAdmin):
    """BLS figures change only through the importer, never by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Area)
class AreaAdmin(ReadOnlyAdmin):
    list_display = ["title", "code", "type", "state"]
    list_filter = ["type"]
    search_fields = ["title", "code", "state"]
    show_facets = admin.ShowFacets.ALWAYS


class WageImportForm(forms.Form):
    file = forms.FileField(
        help_text="A BLS OEWS file as BLS distributes it: .xlsx, or .csv with the same columns."
    )
    year = forms.IntegerField(
        required=False,
        min_value=1997,
        max_value=2100,
        help_text="Only for files without a YEAR column.",
    )
    dry_run = forms.BooleanField(
        required=False, help_text="Check the file and count; save nothing."
    )


@admin.register(OccupationWage)
class OccupationWageAdmin(ReadOnlyAdmin):
    list_display = ["soc_title", "area", "year", "employment", "median_figure", "p90_figure"]
    list_filter = ["year", "area__type", "soc_title"]
    search_fields = ["area__title", "area__code", "soc_code", "soc_title"]
    list_select_related = ["area"]
    show_facets = admin.ShowFacets.ALWAYS
    change_list_template = "admin/roles/occupationwage/change_list.html"

    @admin.display(description="Median", ordering="median")
    def median_figure(self, wage):
        return str(wage.figures["median"])

    @admin.display(description="90th percentile", ordering="p90")
    def p90_figure(self, wage):
        return str(wage.figures["p90"])

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name="roles_occupationwage_import"), *super().get_urls()]

    def import_view(self, request):
        """The management command's importer, on an uploaded file, reporting the same way."""
        if not request.user.has_perm("roles.import_occupationwage"):
            raise PermissionDenied
        form = WageImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            suffix = Path(upload.name).suffix.lower()
            with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
                handle.flush()
                try:
                    summary = import_oews(
                        Path(handle.name),
                        year=form.cleaned_data["year"],
                        dry_run=form.cleaned_data["dry_run"],
                    )
                except OewsFileError as error:
                    self.message_user(request, failure_message(upload.name, error), messages.ERROR)
                else:
                    self.message_user(
                        request, f"Imported {upload.name}: {summary}", messages.SUCCESS
                    )
                    return redirect("admin:roles_occupationwage_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": "Import BLS wage file",
            "opts": self.model._meta,
            "form": form,
        }
        return TemplateResponse(request, "admin/roles/occupationwage/import.html", context)
