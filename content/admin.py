from django import forms
from django.contrib import admin, messages
from django.template.defaultfilters import pluralize
from django.utils import formats, timezone
from reversion.admin import VersionAdmin

from content.models import Article, PlacementFigure, ServicePage, Status, Testimonial
from content.preview import preview_url
from roles.admin import SkillsWidget
from roles.models import Role


class RoleChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, role):
        return role.title if role.published else f"{role.title} (withdrawn from the site)"


class PublishableAdmin(VersionAdmin):
    """Editors write a draft, preview it by its signed link, then publish it (the
    Status field, or the list's actions). Every save is a version (django-reversion)."""

    list_display = ["title", "status_label", "published_on", "updated_at"]
    list_filter = ["status"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    show_facets = admin.ShowFacets.ALWAYS
    actions = ["publish_selected", "unpublish_selected"]
    readonly_fields = ["visibility"]
    change_form_template = "admin/content/change_form.html"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "body":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 24, "class": "vLargeTextField"})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def view_on_site(self, page):
        # Only a page visitors can open: a draft's address is a 404.
        return page.get_absolute_url() if page.is_public else None

    def change_view(self, request, object_id, form_url="", extra_context=None):
        page = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if page is not None:
            extra_context["preview_url"] = preview_url(page)
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description="Status", ordering="status")
    def status_label(self, page):
        if page.status == Status.PUBLISHED and not page.is_public:
            return "Scheduled"
        return page.get_status_display()

    @admin.display(description="Published", ordering="published_at")
    def published_on(self, page):
        if page.published_at is None:
            return "-"
        return formats.date_format(timezone.localtime(page.published_at))

    @admin.display(description="On the site")
    def visibility(self, page):
        if page.pk is None:
            return "Not yet: save it as a draft, preview it, then publish it."
        if page.is_public:
            return "Yes, since " + formats.date_format(
                timezone.localtime(page.published_at), "DATETIME_FORMAT"
            )
        if page.status == Status.PUBLISHED:
            return "From " + formats.date_format(
                timezone.localtime(page.published_at), "DATETIME_FORMAT"
            )
        return "No: a draft. Preview it from the link above; publish it with Status."

    @admin.action(description="Publish the selected pages", permissions=["change"])
    def publish_selected(self, request, queryset):
        pages = list(queryset.exclude(status=Status.PUBLISHED))
        for page in pages:
            page.publish()
        self.message_user(
            request, f"Published {len(pages)} page{pluralize(len(pages))}.", messages.SUCCESS
        )

    @admin.action(description="Take the selected pages off the site", permissions=["change"])
    def unpublish_selected(self, request, queryset):
        pages = list(queryset.filter(status=Status.PUBLISHED))
        for page in pages:
            page.unpublish()
        self.message_user(
            request,
            f"Took {len(pages)} page{pluralize(len(pages))} off the site; "
            f"{'it is a draft' if len(pages) == 1 else 'they are drafts'} again.",
            messages.SUCCESS,
        )


@admin.register(ServicePage)
class ServicePageAdmin(PublishableAdmin):
    list_display = ["title", "position", "status_label", "published_on", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body", "position"]}),
        ("Publishing", {"fields": ["status", "published_at", "visibility"]}),
    ]


@admin.register(Article)
class ArticleAdmin(PublishableAdmin):
    list_filter = [
        "status",
        ("families", admin.RelatedOnlyFieldListFilter),
        ("skills", admin.RelatedOnlyFieldListFilter),
        ("roles", admin.RelatedOnlyFieldListFilter),
    ]
    autocomplete_fields = ["families", "skills"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body"]}),
        ("Tags", {"fields": ["families", "skills", "roles"]}),
        ("Publishing", {"fields": ["status", "published_at", "visibility"]}),
    ]

    class Media:
        js = ["js/admin-autocomplete-labels.js"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "skills":
            kwargs["widget"] = SkillsWidget(db_field, self.admin_site)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "roles":
            # Published copies only (see Article.roles), as checkboxes: the role admin's
            # autocomplete searches drafts, and a template added from here would be one.
            return RoleChoices(
                queryset=Role.objects.live().order_by("title"),
                widget=forms.CheckboxSelectMultiple,
                required=False,
                label=db_field.verbose_name.capitalize(),
                help_text=db_field.help_text,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Testimonial)
class TestimonialAdmin(admin.ModelAdmin):
    list_display = ["person_name", "company", "short_quote", "is_published", "position"]
    list_editable = ["is_published", "position"]
    list_filter = ["is_published"]
    search_fields = ["person_name", "company", "quote"]

    @admin.display(description="Quote")
    def short_quote(self, testimonial):
        return testimonial.quote[:80]


@admin.register(PlacementFigure)
class PlacementFigureAdmin(admin.ModelAdmin):
    list_display = ["figure", "label", "source", "as_of", "is_published", "position"]
    list_editable = ["is_published", "position"]
    list_filter = ["is_published"]
