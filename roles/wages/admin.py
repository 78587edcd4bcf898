"""Areas and Occupation wages in the admin, read only, and the page that imports BLS files.

Importing is two steps: the upload is checked and counted in a dry run (nothing is
saved), the editor reviews what would change, then commits the same file, kept
server-side meanwhile (roles.wages.uploads)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import AdminForm
from django.core.exceptions import BadRequest, PermissionDenied
from django.core.validators import FileExtensionValidator
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path

from roles.wages.importer import (
    DEFAULT_TOP_CODE_BOUND,
    OewsFileError,
    failure_message,
    import_oews,
)
from roles.wages.models import Area, OccupationWage
from roles.wages.presentation import stand_in_occupations
from roles.wages.uploads import (
    UploadTokenError,
    WageUpload,
    upload_discard,
    upload_get,
    upload_store,
)

IMPORT_PERMISSION = "roles.import_occupationwage"
BLS_TABLES_URL = "https://www.bls.gov/oes/tables.htm"


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
        label="BLS file",
        validators=[FileExtensionValidator(["csv", "xlsx", "xlsm"])],
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx,.xlsm"}),
        help_text="An OEWS file as BLS distributes it (.xlsx), or a .csv with the same columns.",
    )
    year = forms.IntegerField(
        required=False,
        min_value=1997,
        max_value=2100,
        help_text="The May of the estimates, e.g. 2025 for May 2025. BLS's own files have no "
        "YEAR column, so give it for them; leave it empty for a file that has one.",
    )
    top_code_bound = forms.IntegerField(
        label="Top-code bound",
        min_value=1,
        initial=DEFAULT_TOP_CODE_BOUND,
        help_text="The annual wage that BLS's # marker stands for (“at or above”), from the "
        "file's footnotes: $239,200 for May 2022 and later files. Whole dollars.",
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
        def view(function):
            return self.admin_site.admin_view(function)

        return [
            path("import/", view(self.import_view), name="roles_occupationwage_import"),
            path(
                "import/<str:token>/",
                view(self.import_review_view),
                name="roles_occupationwage_import_review",
            ),
            *super().get_urls(),
        ]

    def _import_context(self, request, title: str) -> dict:
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.opts,
            "has_view_permission": self.has_view_permission(request),
        }

    def import_view(self, request):
        """Upload a file: a dry run counts what it would change, then the review page."""
        if not request.user.has_perm(IMPORT_PERMISSION):
            raise PermissionDenied
        form = WageImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = upload_store(
                file=form.cleaned_data["file"],
                year=form.cleaned_data["year"],
                top_code_bound=form.cleaned_data["top_code_bound"],
                user_id=request.user.pk,
            )
            try:
                upload.summary = self._import(upload, dry_run=True)
            except OewsFileError as error:
                upload_discard(upload.token)
                form.add_error("file", failure_message(upload.name, error))
            else:
                upload.save_record()
                return redirect("admin:roles_occupationwage_import_review", upload.token)
        context = {
            **self._import_context(request, "Import BLS wage file"),
            "adminform": AdminForm(
                form,
                [
                    (None, {"fields": ["file"]}),
                    ("Options", {"fields": ["year", "top_code_bound"]}),
                ],
                prepopulated_fields={},
                model_admin=self,
            ),
            "errors": form.errors,
            "bls_tables_url": BLS_TABLES_URL,
            "occupations": stand_in_occupations(),
        }
        return TemplateResponse(request, "admin/roles/occupationwage/import.html", context)

    def import_review_view(self, request, token):
        """What the dry run counted; "Commit this import" saves the same file for real."""
        if not request.user.has_perm(IMPORT_PERMISSION):
            raise PermissionDenied
        try:
            upload = upload_get(token, user_id=request.user.pk)
        except UploadTokenError:
            raise BadRequest("Not an upload token.") from None
        if upload is None or upload.summary is None:
            raise Http404("This upload is gone: committed, discarded or expired.")
        if request.method == "POST":
            return self._commit_or_discard(request, upload)
        context = {
            **self._import_context(request, f"Review the import of {upload.name}"),
            "upload": upload,
            "summary": upload.summary,
            "changes": upload.summary.inserted + upload.summary.updated,
        }
        return TemplateResponse(request, "admin/roles/occupationwage/import_review.html", context)

    def _commit_or_discard(self, request, upload: WageUpload):
        if "_commit" in request.POST:
            try:
                summary = self._import(upload, dry_run=False)
            except OewsFileError as error:  # the file passed its dry run: data changed since
                self.message_user(request, failure_message(upload.name, error), messages.ERROR)
            else:
                self.message_user(request, f"Imported {upload.name}: {summary}", messages.SUCCESS)
        else:
            self.message_user(request, f"Discarded {upload.name}: nothing was imported.")
        upload_discard(upload.token)
        return redirect("admin:roles_occupationwage_import")

    def _import(self, upload: WageUpload, *, dry_run: bool):
        return import_oews(
            upload.path,
            year=upload.year,
            dry_run=dry_run,
            top_code_bound=upload.top_code_bound,
        )
