"""Areas and Occupation wages in the admin, read only, and the page that imports BLS files."""

import tempfile
from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path

from roles.wages.importer import OewsFileError, failure_message, import_oews
from roles.wages.models import Area, OccupationWage


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
