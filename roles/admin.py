import json
import re

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.models import LogEntry
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q
from django.http import Http404
from django.shortcuts import redirect
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode

from roles.history import Snapshot, diff, version_record, version_revert, versions_of
from roles.models import (
    SECTIONS_WITH_REQUIREMENT,
    Area,
    AreaType,
    Copy,
    PayTransparencyLaw,
    Role,
    RoleFamily,
    RoleItem,
    SearchSynonym,
    Section,
    Skill,
)
from roles.preview import preview_url
from roles.services import PublishError, role_publish, role_withdraw
from roles.skills import MergeError, skill_merge, skill_rename

# The wage admins live with the rest of the wages; autodiscovery imports only this module.
from roles.wages import admin as wages_admin  # noqa: F401

# How each section's bullets read in the editor: "Add a responsibility".
SECTION_NOUNS = {
    Section.RESPONSIBILITY: ("responsibility", "a"),
    Section.HARD_SKILL: ("hard skill", "a"),
    Section.SOFT_SKILL: ("soft skill", "a"),
    Section.EDUCATION: ("education requirement", "an"),
    Section.CERTIFICATION: ("certification", "a"),
    Section.PREFERRED_QUALIFICATION: ("preferred qualification", "a"),
}
# Placed after every bullet there is; the formset then numbers them 1, 2, 3...
END_OF_SECTION = 30_000


class BulletForm(forms.ModelForm):
    class Meta:
        model = RoleItem
        fields = ["text", "requirement", "position"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 1, "class": "bullet-text"}),
            "position": forms.NumberInput(attrs={"class": "bullet-position", "min": 1}),
        }
        labels = {"position": "Order", "requirement": "Required or preferred"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A new bullet without a place goes to the end of its section.
        self.fields["position"].required = False

    def has_changed(self):
        # A bullet added and left empty is not a bullet: ignored, not an error the
        # editor cannot clear (new rows have no Remove box, and the script numbers them).
        if self.instance.pk is None and not self.data.get(self.add_prefix("text"), "").strip():
            return False
        return super().has_changed()

    def clean_text(self):
        return one_line_endings(self.cleaned_data["text"])


def one_line_endings(text: str) -> str:
    """Browsers post line breaks as CRLF; the site splits paragraphs on "\n\n"."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def version_comment(message: list[dict]) -> str:
    """A save's line in the template's history: the fields as the admin words them,
    then the bullets counted ("Added 2 bullets."), not one sentence per bullet."""
    own = [entry for entry in message if "name" not in next(iter(entry.values()))]
    words = [LogEntry(change_message=json.dumps(own)).get_change_message()] if own else []
    for action, verb in (("added", "Added"), ("changed", "Changed"), ("deleted", "Removed")):
        count = sum(1 for entry in message if "name" in entry.get(action, {}))
        if count:
            words.append(f"{verb} {count} bullet{'s' if count > 1 else ''}.")
    return " ".join(w for w in words if w) or "Saved with no changes"


class RoleForm(forms.ModelForm):
    """The draft's own fields, plus a guard against two editors saving over each other."""

    # When the draft was last saved, as the editor's page loaded it.
    loaded_edited_at = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        edited_at = self.instance.edited_at
        self.fields["loaded_edited_at"].initial = edited_at.isoformat() if edited_at else ""

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        # Unique among drafts; the form alone does not see the (copy, slug) constraint.
        if Role.objects.drafts().filter(slug=slug).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                "Another template already has this address. Choose another slug."
            )
        return slug

    def clean(self):
        cleaned = super().clean()
        for name in ("overview", "summary", "seniority_note", "soc_rationale"):
            if isinstance(cleaned.get(name), str):
                cleaned[name] = one_line_endings(cleaned[name])
        if self.instance.pk is not None:
            saved = Role.objects.filter(pk=self.instance.pk).values_list("edited_at", flat=True)
            current = saved.first()
            loaded = self.cleaned_data.get("loaded_edited_at") or ""
            if (current.isoformat() if current else "") != loaded:
                when = formats.date_format(timezone.localtime(current), "DATETIME_FORMAT")
                raise forms.ValidationError(
                    f"Someone saved this template at {when}, after you opened it, so nothing "
                    "was saved: your changes would have replaced theirs. Your changes are "
                    "still in this form: copy what you need, open the template again in a "
                    "new tab, and apply them there."
                )
        return cleaned


class BulletFormSet(forms.BaseInlineFormSet):
    """One section's bullets, numbered 1, 2, 3... in the order the editor left them."""

    section: Section

    def save_new(self, form, commit=True):
        form.instance.section = self.section
        if form.instance.position is None:
            form.instance.position = END_OF_SECTION
        return super().save_new(form, commit=commit)

    def save(self, commit=True):
        saved = super().save(commit=commit)
        deleted = {id(form) for form in self.deleted_forms}
        kept = [
            (_place(form.cleaned_data.get("position")), index, form.instance)
            for index, form in enumerate(self.forms)
            if id(form) not in deleted and form.instance.pk is not None
        ]
        renumbered = []
        for number, (_, _, item) in enumerate(sorted(kept, key=lambda k: k[:2]), start=1):
            if item.position != number:
                item.position = number
                renumbered.append(item)
        RoleItem.objects.bulk_update(renumbered, ["position"])
        return saved


class SkillsWidget(AutocompleteSelectMultiple):
    """The skills picker without select2's "clear all" cross: a mouse-only control
    that select2 puts inside its list of chosen skills, which makes that list
    invalid for screen readers (axe `list`). Each chosen skill keeps its own remove."""

    def build_attrs(self, base_attrs, extra_attrs=None):
        return super().build_attrs(base_attrs, extra_attrs) | {"data-allow-clear": "false"}


def _place(position: int | None) -> int:
    """Where a bullet sorts: where the editor put it (0 included), else at the end."""
    return END_OF_SECTION if position is None else position


class SectionItemInline(admin.TabularInline):
    """The bullets of one section, in order, as wide text that grows with its
    sentence. One inline per section keeps the page in the role page's order.
    static/js/admin-bullets.js adds, moves and drags bullets; without it the
    Order numbers still decide."""

    model = RoleItem
    form = BulletForm
    formset = BulletFormSet
    template = "admin/roles/role/bullets_inline.html"
    extra = 0
    section: Section

    def get_queryset(self, request):
        return super().get_queryset(request).filter(section=self.section)

    def get_fields(self, request, obj=None):
        if self.section in SECTIONS_WITH_REQUIREMENT:
            return ["text", "requirement", "position"]
        return ["text", "position"]

    def get_formset(self, request, obj=None, **kwargs):
        return type(
            "SectionFormSet",
            (super().get_formset(request, obj, **kwargs),),
            {"section": self.section},
        )


def section_inline(section: Section) -> type[SectionItemInline]:
    noun, article = SECTION_NOUNS[section]
    return type(
        f"{section.name.title().replace('_', '')}Inline",
        (SectionItemInline,),
        {
            "section": section,
            "verbose_name": noun,
            "verbose_name_plural": section.label,
            "add_label": f"Add {article} {noun}",
        },
    )


class StatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            ("live", "Published, up to date"),
            ("changed", "Published, with unpublished changes"),
            ("withdrawn", "Withdrawn from the site"),
            ("never", "Never published"),
        ]

    def queryset(self, request, queryset):
        published = Q(live_copy__published=True)
        changed = Q(edited_at__gt=F("published_at"))
        return {
            "live": queryset.filter(published & ~changed),
            "changed": queryset.filter(published & changed),
            "withdrawn": queryset.filter(live_copy__published=False),
            "never": queryset.filter(live_copy__isnull=True),
        }.get(self.value(), queryset)


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    """Editors work on drafts; visitors read the published copies (see `Copy`).

    Saving keeps a version (see roles.history); "Save and publish" or the Publish
    action puts the draft on the site; History compares and reverts versions.
    """

    form = RoleForm
    view_on_site = False  # the change page links to the public page when there is one
    list_display = ["title", "family", "seniority", "experience_label", "status", "published_on"]
    # By skill: what a skill's Templates count in the skill list links to.
    list_filter = [
        StatusFilter,
        "family",
        "seniority",
        ("skills", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["family", "live_copy"]
    search_fields = ["title", "summary", "overview", "items__text", "skills__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["skills", "parent"]
    inlines = [section_inline(section) for section in Section]
    show_facets = admin.ShowFacets.ALWAYS
    actions = ["publish_selected", "withdraw_selected"]
    readonly_fields = ["publishing"]
    change_form_template = "admin/roles/role/change_form.html"
    object_history_template = "admin/roles/role/history.html"
    fieldsets = [
        (None, {"fields": ["title", "slug", "family", "parent", "publishing", "loaded_edited_at"]}),
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

    class Media:
        css = {"all": ["css/admin-roles.css"]}
        js = [
            "vendor/sortablejs/Sortable.min.js",
            "js/admin-bullets.js",
            "js/admin-autocomplete-labels.js",
        ]

    def add_view(self, request, form_url="", extra_context=None):
        extra_context = {
            "max_form_fields": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
            **(extra_context or {}),
        }
        return super().add_view(request, form_url, extra_context)

    def get_queryset(self, request):
        return super().get_queryset(request).drafts()

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "skills":
            kwargs["widget"] = SkillsWidget(db_field, self.admin_site)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            kwargs["queryset"] = Role.objects.drafts()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="Experience")
    def experience_label(self, role):
        return role.experience_label or "-"

    @admin.display(description="Status")
    def status(self, role):
        if role.live_copy is None:
            return "Never published"
        if not role.live_copy.published:
            return "Withdrawn"
        if role.has_unpublished_changes:
            return "Unpublished changes"
        return "Published"

    @admin.display(description="Published", ordering="published_at")
    def published_on(self, role):
        return (
            formats.date_format(timezone.localtime(role.published_at)) if role.published_at else "-"
        )

    @admin.display(description="Publishing")
    def publishing(self, role):
        if role.pk is None or role.published_at is None:
            return "Not published yet. Save, preview, then publish."
        by = role.published_by.get_username() if role.published_by else "the seed import"
        when = formats.date_format(timezone.localtime(role.published_at), "DATETIME_FORMAT")
        return f"{self.status(role)}. Last published {when} by {by}."

    # Saving records a version; publishing is a separate, deliberate step.

    def save_model(self, request, obj, form, change):
        obj.edited_at = timezone.now()
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        message = self.construct_change_message(request, form, formsets, not change)
        version_record(draft=form.instance, by=request.user, comment=version_comment(message))

    def response_add(self, request, obj, post_url_continue=None):
        if "_publish" in request.POST:
            return self._publish_and_return(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_publish" in request.POST:
            return self._publish_and_return(request, obj)
        return super().response_change(request, obj)

    def _publish_and_return(self, request, draft):
        self._publish(request, draft)
        return redirect("admin:roles_role_change", draft.pk)

    def _publish(self, request, draft) -> bool:
        try:
            live = role_publish(draft=draft, by=request.user)
        except PublishError as error:
            self.message_user(request, f"“{draft}” was not published: {error}", messages.ERROR)
            return False
        self.message_user(
            request,
            format_html(
                '“{}” is published: <a href="{}">view the public page</a>.',
                draft,
                live.get_absolute_url(),
            ),
            messages.SUCCESS,
        )
        return True

    def delete_model(self, request, obj):
        role_withdraw(draft=obj, by=request.user)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for draft in queryset:
            role_withdraw(draft=draft, by=request.user)
        super().delete_queryset(request, queryset)

    @admin.action(description="Publish the selected templates", permissions=["change"])
    def publish_selected(self, request, queryset):
        for draft in queryset:
            self._publish(request, draft)

    @admin.action(
        description="Withdraw the selected templates from the site", permissions=["change"]
    )
    def withdraw_selected(self, request, queryset):
        withdrawn = [draft for draft in queryset if draft.live_copy_id]
        for draft in withdrawn:
            role_withdraw(draft=draft, by=request.user)
        self.message_user(
            request,
            f"Withdrew {len(withdrawn)} template{pluralize(len(withdrawn))} from the site; "
            "publish one to put it back.",
            messages.SUCCESS,
        )

    # Preview, history, compare and revert.

    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(function)

        return [
            path("<int:pk>/history/compare/", view(self.compare_view), name="roles_role_compare"),
            path(
                "<int:pk>/history/<int:version_id>/revert/",
                view(self.revert_view),
                name="roles_role_revert",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        role = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if role is not None:
            extra_context["preview_url"] = preview_url(role)
        extra_context["max_form_fields"] = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        return super().change_view(request, object_id, form_url, extra_context)

    def _draft_or_404(self, request, pk) -> Role:
        role = self.get_object(request, str(pk))
        if role is None:
            raise Http404("No such template.")
        if not self.has_view_or_change_permission(request, role):
            raise PermissionDenied
        return role

    def history_view(self, request, object_id, extra_context=None):
        """The template's versions, newest first: compare any two, revert to one."""
        role = self._draft_or_404(request, object_id)
        context = {
            **self.admin_site.each_context(request),
            "title": f"History of “{role}”",
            "subtitle": None,
            "opts": self.opts,
            "original": role,
            "object": role,
            "versions": versions_of(role),
            "can_revert": self.has_change_permission(request, role),
            "preview_url": preview_url(role),
        }
        return TemplateResponse(request, self.object_history_template, context)

    def compare_view(self, request, pk):
        role = self._draft_or_404(request, pk)
        versions = {str(v.pk): v for v in versions_of(role)}
        old = versions.get(request.GET.get("from", ""))
        new = versions.get(request.GET.get("to", ""))
        if old is None:
            self.message_user(request, "Choose a version to compare.", messages.WARNING)
            return redirect("admin:roles_role_history", role.pk)
        if new is not None and new.revision.date_created < old.revision.date_created:
            old, new = new, old
        changes = diff(
            Snapshot.of_version(old),
            Snapshot.of_version(new) if new else Snapshot.of_draft(role),
        )
        context = {
            **self.admin_site.each_context(request),
            "title": f"Changes to “{role}”",
            "subtitle": None,
            "opts": self.opts,
            "original": role,
            "old": old,
            "new": new,
            "changes": changes,
            "can_revert": self.has_change_permission(request, role),
        }
        return TemplateResponse(request, "admin/roles/role/compare.html", context)

    def revert_view(self, request, pk, version_id):
        role = self._draft_or_404(request, pk)
        if request.method != "POST":
            return redirect("admin:roles_role_history", role.pk)
        if not self.has_change_permission(request, role):
            raise PermissionDenied
        version = versions_of(role).filter(pk=version_id).first()
        if version is None:
            raise Http404("No such version of this template.")
        lost = version_revert(draft=role, version=version, by=request.user)
        when = formats.date_format(
            timezone.localtime(version.revision.date_created), "DATETIME_FORMAT"
        )
        message = f"“{role}” is back to its version of {when}; preview it, then publish."
        if lost:
            message += " Not restored: " + "; ".join(lost) + "."
        self.message_user(request, message, messages.SUCCESS)
        return redirect("admin:roles_role_change", role.pk)


class SkillChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, skill):
        count = skill.role_count
        return f"{skill.name} ({skill.slug}), in {count} template{pluralize(count)}"


class SkillMergeForm(forms.Form):
    survivor = SkillChoiceField(
        queryset=Skill.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        label="The skill to keep",
        help_text="Its name, kind and address stay; the others become it.",
    )

    def __init__(self, *args, skills, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the selected skills can be kept: a posted id outside them is refused.
        self.fields["survivor"].queryset = skills
        self.fields["survivor"].initial = max(skills, key=lambda skill: skill.role_count).pk


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    """Editors keep skills clean: a changed slug leaves a redirect behind, and
    duplicates merge into one (roles.skills)."""

    list_display = ["name", "slug", "kind", "templates"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    show_facets = admin.ShowFacets.ALWAYS
    actions = ["merge_selected"]
    readonly_fields = ["used_by", "old_slugs"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind"]}),
        ("Where it is used", {"fields": ["used_by", "old_slugs"]}),
    ]

    class Media:
        css = {"all": ["css/admin-skills.css"]}

    def get_queryset(self, request):
        # A GROUP BY query drops Meta.ordering; keep the list (and autocomplete) ordered.
        return (
            super()
            .get_queryset(request)
            .annotate(
                # Templates, not rows: each template's draft (its published copy is a second row).
                role_count=Count("roles", filter=Q(roles__copy=Copy.DRAFT))
            )
            .order_by("name")
        )

    @admin.display(description="Templates", ordering="role_count")
    def templates(self, skill):
        if not skill.role_count:
            return "0"
        ask = "templates ask" if skill.role_count > 1 else "template asks"
        return format_html(
            '<a href="{}?{}">{}<span class="visually-hidden"> {} for {}</span></a>',
            reverse("admin:roles_role_changelist"),
            urlencode({"skills__id__exact": skill.pk}),
            skill.role_count,
            ask,
            skill,
        )

    @admin.display(description="Templates that ask for it")
    def used_by(self, skill):
        drafts = skill.roles.drafts().order_by("title") if skill.pk else []
        if not drafts:
            return "None yet."
        return format_html(
            '<ul class="skill-usage">{}</ul>',
            format_html_join(
                "",
                '<li><a href="{}">{}</a></li>',
                ((reverse("admin:roles_role_change", args=[d.pk]), d.title) for d in drafts),
            ),
        )

    @admin.display(description="Old addresses")
    def old_slugs(self, skill):
        redirects = skill.slug_redirects.all() if skill.pk else []
        if not redirects:
            return "None: it has always been at this address."
        return format_html(
            '<ul class="skill-old-slugs">{}</ul>'
            '<p class="help">Links to these addresses lead to this skill.</p>',
            format_html_join(
                "",
                "<li><code>/skills/{}/</code> (moved here {})</li>",
                (
                    (r.old_slug, formats.date_format(timezone.localtime(r.created_at)))
                    for r in redirects
                ),
            ),
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Links to its previous address keep working; a new skill takes its address over.
        skill_rename(skill=obj, old_slug=form.initial["slug"] if change else None)

    def has_merge_permission(self, request):
        return request.user.has_perm(f"{self.opts.app_label}.merge_skill")

    @admin.action(description="Merge selected skills into one", permissions=["merge"])
    def merge_selected(self, request, queryset):
        """Asks which skill to keep, showing the templates that change, then merges."""
        skills = queryset.order_by("name")
        if len(skills) < 2:
            self.message_user(request, "Select two or more skills to merge.", messages.WARNING)
            return None
        form = SkillMergeForm(request.POST if "merge" in request.POST else None, skills=skills)
        if form.is_valid():
            survivor = form.cleaned_data["survivor"]
            merged = [skill for skill in skills if skill != survivor]
            try:
                drafts = skill_merge(survivor=survivor, merged=merged, by=request.user)
            except MergeError as error:
                self.message_user(request, str(error), messages.ERROR)
                return None
            self.message_user(
                request,
                format_html(
                    '{} merged into <a href="{}">{}</a>: {} template(s) changed, their '
                    "public pages too; the old addresses lead to {}.",
                    ", ".join(skill.name for skill in merged),
                    reverse("admin:roles_skill_change", args=[survivor.pk]),
                    survivor,
                    len(drafts),
                    survivor,
                ),
                messages.SUCCESS,
            )
            return None
        usage: dict[Role, list[str]] = {}
        for link in (
            Role.skills.through.objects.filter(skill__in=skills, role__copy=Copy.DRAFT)
            .select_related("role", "skill")
            .order_by("role__title", "skill__name")
        ):
            usage.setdefault(link.role, []).append(link.skill.name)
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge skills into one",
            "subtitle": None,
            "opts": self.opts,
            "form": form,
            "skills": skills,
            "usage": usage,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "changelist_url": request.get_full_path(),
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/roles/skill/merge_confirmation.html", context)


@admin.register(RoleFamily)
class RoleFamilyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    """What the public search reads as the same thing (roles.search): a change
    here applies to the next search."""

    list_display = ["term", "expansions_shown"]
    search_fields = ["term", "expansions"]
    fields = ["term", "expansions"]

    @admin.display(description="Expansions")
    def expansions_shown(self, synonym):
        return ", ".join(synonym.expansion_list())


class PayTransparencyLawForm(forms.ModelForm):
    """Codes checked field by field (the database's own checks would only say a
    constraint failed), and the state named as BLS names it, or it would match no area."""

    class Meta:
        model = PayTransparencyLaw
        fields = [
            "jurisdiction",
            "postal_code",
            "fips_code",
            "law",
            "effective",
            "disclosure",
            "citation_url",
        ]

    def clean_jurisdiction(self):
        name = self.cleaned_data["jurisdiction"].strip()
        titles = Area.objects.filter(type=AreaType.STATE).values_list("title", flat=True)
        states = {title.lower(): title for title in titles}
        if states and name.lower() not in states:
            raise forms.ValidationError(
                "Name the state as BLS does, e.g. Washington or District of Columbia."
            )
        return states.get(name.lower(), name)

    def clean_postal_code(self):
        code = self.cleaned_data["postal_code"].strip().upper()
        if not re.fullmatch(r"[A-Z]{2}", code):
            raise forms.ValidationError("Enter the state's two-letter code, e.g. WA.")
        return code

    def clean_fips_code(self):
        code = self.cleaned_data["fips_code"].strip()
        if not re.fullmatch(r"[0-9]{2}", code):
            raise forms.ValidationError("Enter the state's two-digit FIPS code, e.g. 53.")
        return code


@admin.register(PayTransparencyLaw)
class PayTransparencyLawAdmin(admin.ModelAdmin):
    """The salary-range posting laws the job description builder names for a market.
    An entry needs its citation: the statute or the official page."""

    form = PayTransparencyLawForm
    list_display = ["jurisdiction", "postal_code", "law", "effective"]
    search_fields = ["jurisdiction", "postal_code", "law"]
    fieldsets = [
        (None, {"fields": ["jurisdiction", "postal_code", "fips_code"]}),
        ("The law", {"fields": ["law", "effective", "disclosure", "citation_url"]}),
    ]
