from django.contrib import admin
from django.db.models import Count

from roles.models import Role, RoleFamily, RoleItem, Section, Skill


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
