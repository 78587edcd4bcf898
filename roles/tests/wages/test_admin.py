"""The wage admin: Areas and Occupation wages, read only, and the two-step import page."""

import csv
import io
import os
import re
import time
from html import unescape

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from roles.models import Area, OccupationWage
from roles.tests.wages.files import HEADER, METRO_FILE, SAN_JOSE, shipped_row
from roles.wages.uploads import uploads_clean

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:roles_occupationwage_import")
INDEX = reverse("admin:index")


def review_url(token: str) -> str:
    return reverse("admin:roles_occupationwage_import_review", args=[token])


def text(response) -> str:
    """The page as a reader gets it: tags dropped, entities decoded, white space folded."""
    assert response.status_code == 200
    return " ".join(unescape(re.sub(r"<[^>]*>", " ", response.content.decode())).split())


def csv_file(*rows, name="wages.csv", header=HEADER) -> SimpleUploadedFile:
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    return SimpleUploadedFile(name, out.getvalue().encode())


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    settings.WAGE_UPLOAD_DIR = tmp_path / "wage-uploads"
    return settings.WAGE_UPLOAD_DIR


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_user("ed", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return user


def upload(client, file, **options):
    """Upload a file; the token of its review page."""
    response = client.post(IMPORT, {"file": file, "top_code_bound": 239200, **options})
    assert response.status_code == 302, text(response)
    return response["Location"].rstrip("/").rsplit("/", 1)[-1]


class TestBrowsing:
    @pytest.mark.parametrize(
        ("model", "query"),
        [
            ("area", {"q": "San Jose", "type__exact": "4"}),
            ("occupationwage", {"q": "41940", "year": "2025"}),
            ("occupationwage", {"area__type__exact": "2", "soc_title": "Data Scientists"}),
        ],
    )
    def test_browsable_with_search_and_filters(self, admin_client, wages, model, query):
        response = admin_client.get(reverse(f"admin:roles_{model}_changelist"), query)

        assert response.status_code == 200
        assert response.context["cl"].result_count >= 1

    def test_read_only(self, admin_client, wages):
        wage = OccupationWage.objects.first()

        assert admin_client.get(reverse("admin:roles_occupationwage_add")).status_code == 403
        response = admin_client.post(reverse("admin:roles_occupationwage_change", args=[wage.pk]))
        assert response.status_code == 403


class TestImportPage:
    def test_an_admin_styled_form_with_breadcrumbs(self, client, editor):
        response = client.get(IMPORT)
        html = response.content.decode()

        assert response.status_code == 200
        assert html.count('<fieldset class="module aligned ') == 2
        assert '<div class="form-row field-top_code_bound">' in html
        assert 'name="top_code_bound" value="239200"' in html
        assert 'accept=".csv,.xlsx,.xlsm"' in html
        assert "Home Role library Occupation wages Import BLS wage file" in text(response)

    def test_says_where_to_download_the_files(self, client, editor):
        page = client.get(IMPORT)

        assert 'href="https://www.bls.gov/oes/tables.htm"' in page.content.decode()
        assert "Metropolitan and nonmetropolitan area" in text(page)
        assert "National ( national_M year _dl.xlsx )" in text(page)

    def test_lists_the_occupations_of_the_published_templates(self, client, editor, wages):
        page = text(client.get(IMPORT))

        assert (
            "15-1221 Computer and Information Research Scientists Computer Vision Engineer, "
            "Deep Learning Engineer, Natural Language Processing Engineer 2025" in page
        )
        assert "15-2051 Data Scientists Machine Learning Engineer 2025" in page
        assert "15-1244" not in page  # in the files, but no template stands in with it

    def test_an_occupation_without_wages_says_so(self, client, editor, seeded):
        assert "15-1252 Software Developers Edge AI Engineer none yet" in text(client.get(IMPORT))


class TestDryRunThenCommit:
    def test_uploading_counts_by_kind_of_area_and_saves_nothing(self, client, editor, wages):
        before = list(OccupationWage.objects.order_by("pk").values())
        file = csv_file(
            shipped_row("99", "15-2051"),
            shipped_row("06", "15-2051"),
            [*SAN_JOSE[:9], "190000", *SAN_JOSE[10:]],
            ["3500099", "New nonmetropolitan area, NM", "6", *SAN_JOSE[3:]],
        )

        token = upload(client, file)
        page = text(client.get(review_url(token)))

        assert list(OccupationWage.objects.order_by("pk").values()) == before
        assert "Nothing is saved yet. A dry run of wages.csv read 4 rows" in page
        for row in [
            "National 0 0 1",
            "State 0 0 1",
            "Territory 0 0 0",
            "Metropolitan area 0 1 0",
            "Nonmetropolitan area 1 0 0",
            "All areas 1 1 2",
        ]:
            assert row in page
        assert "1 area would be added to the list of markets." in page

    def test_commit_imports_the_kept_file_and_deletes_it(self, client, editor, upload_dir):
        token = upload(client, csv_file(SAN_JOSE), year="")
        assert len(list(upload_dir.iterdir())) == 2  # the file and its record

        response = client.post(review_url(token), {"_commit": "Commit this import"}, follow=True)

        assert response.redirect_chain == [(IMPORT, 302)]
        assert (
            "Imported wages.csv: 1 rows: 1 inserted, 0 updated, 0 unchanged; 1 new areas."
            in text(response)
        )
        assert OccupationWage.objects.get().median == 185080
        assert list(upload_dir.iterdir()) == []
        assert client.post(review_url(token), {"_commit": "Commit"}).status_code == 404

    def test_discard_imports_nothing_and_deletes_the_file(self, client, editor, upload_dir):
        token = upload(client, csv_file(SAN_JOSE))

        response = client.post(review_url(token), {"_discard": "Discard this file"}, follow=True)

        assert "Discarded wages.csv: nothing was imported." in text(response)
        assert not OccupationWage.objects.exists()
        assert list(upload_dir.iterdir()) == []

    def test_the_options_of_the_upload_apply_to_the_commit(self, client, editor):
        no_year = [*SAN_JOSE[:10], "#", "#"]  # p75 and p90 top-coded, no YEAR column
        file = csv_file(no_year, name="MSA_M2024_dl.csv", header=HEADER[:-1])
        token = upload(client, file, year="2024", top_code_bound="210000")

        assert "as May 2024 estimates, with BLS's # marker standing for $210,000" in text(
            client.get(review_url(token))
        )
        client.post(review_url(token), {"_commit": "Commit this import"})

        wage = OccupationWage.objects.get()
        assert (wage.year, wage.p75, wage.p90, wage.top_coded) == (2024, 210000, 210000, "p75,p90")

    def test_a_file_already_loaded_would_change_nothing(self, client, editor, wages):
        token = upload(client, csv_file(SAN_JOSE))

        assert "committing would change nothing" in text(client.get(review_url(token)))

    def test_a_malformed_file_is_reported_beside_the_field_and_not_kept(
        self, client, editor, upload_dir
    ):
        bad = [*SAN_JOSE[:8], "lots", *SAN_JOSE[9:]]

        response = client.post(IMPORT, {"file": csv_file(SAN_JOSE, bad), "top_code_bound": 1})

        assert (
            "Nothing was imported from wages.csv: row 3, column A_PCT25: 'lots' is not a number"
            in text(response)
        )
        assert response.context["adminform"].form.errors.keys() == {"file"}
        assert list(upload_dir.iterdir()) == []
        assert not OccupationWage.objects.exists()

    def test_a_broken_spreadsheet_is_named_as_uploaded_in_one_sentence(
        self, client, editor, upload_dir
    ):
        broken = SimpleUploadedFile("MSA_M2025_dl.xlsx", b"not a zip at all")

        response = client.post(IMPORT, {"file": broken, "top_code_bound": 1})

        page = text(response)
        assert (
            "Nothing was imported from MSA_M2025_dl.xlsx: it cannot be read as a spreadsheet "
            "(BadZipFile)." in page
        )
        assert ".." not in page
        assert list(upload_dir.iterdir()) == []

    @pytest.mark.parametrize(
        ("data", "field"),
        [
            ({"file": SimpleUploadedFile("wages.json", b"{}"), "top_code_bound": 1}, "file"),
            ({"top_code_bound": 239200}, "file"),
            ({"file": SimpleUploadedFile("w.csv", b"x"), "top_code_bound": "0"}, "top_code_bound"),
            ({"file": SimpleUploadedFile("w.csv", b"x"), "top_code_bound": 1, "year": 90}, "year"),
        ],
    )
    def test_form_errors_show_beside_their_field(self, client, editor, upload_dir, data, field):
        response = client.post(IMPORT, data)

        assert response.status_code == 200
        assert list(response.context["adminform"].form.errors) == [field]
        assert "Please correct the error below." in text(response)
        assert not upload_dir.exists() or list(upload_dir.iterdir()) == []

    def test_the_whole_shipped_metro_file(self, client, editor):
        token = upload(client, SimpleUploadedFile("metro.csv", METRO_FILE.read_bytes()))

        assert "All areas 1725 0 0" in text(client.get(review_url(token)))
        client.post(review_url(token), {"_commit": "Commit this import"})

        assert OccupationWage.objects.count() == 1725


class TestTokens:
    @pytest.mark.parametrize(
        "token", ["nope", "0" * 31, "0" * 33, "A" * 32, "..", "%2E%2E%2Fsecret", "0" * 31 + "g"]
    )
    def test_a_malformed_token_is_a_bad_request(self, client, editor, token):
        assert client.get(review_url(token)).status_code == 400
        assert client.post(review_url(token), {"_commit": "Commit"}).status_code == 400

    def test_an_unknown_token_is_not_found(self, client, editor):
        assert client.get(review_url("0" * 32)).status_code == 404
        assert client.post(review_url("0" * 32), {"_commit": "Commit"}).status_code == 404

    def test_another_editors_upload_is_not_found(self, client, editor, django_user_model):
        token = upload(client, csv_file(SAN_JOSE))
        other = django_user_model.objects.create_user("eve", password="x", is_staff=True)
        other.groups.add(Group.objects.get(name="Editors"))
        client.force_login(other)

        assert client.get(review_url(token)).status_code == 404
        assert client.post(review_url(token), {"_commit": "Commit"}).status_code == 404
        assert not OccupationWage.objects.exists()

    def test_an_expired_upload_is_not_found_and_deleted(self, client, editor, upload_dir, settings):
        token = upload(client, csv_file(SAN_JOSE))
        _age(upload_dir, settings.WAGE_UPLOAD_MAX_AGE_SECONDS + 60)

        assert client.get(review_url(token)).status_code == 404
        assert list(upload_dir.iterdir()) == []

    def test_abandoned_uploads_are_cleaned_up_at_the_next_upload(
        self, client, editor, upload_dir, settings
    ):
        old = upload(client, csv_file(SAN_JOSE))
        _age(upload_dir, settings.WAGE_UPLOAD_MAX_AGE_SECONDS + 60)
        (upload_dir / "notes.txt").write_text("not ours")

        new = upload(client, csv_file(SAN_JOSE))

        names = {path.name for path in upload_dir.iterdir()}
        assert names == {f"{new}.csv", f"{new}.json", "notes.txt"}
        assert old != new
        assert uploads_clean() == 0


def _age(directory, seconds: int) -> None:
    then = time.time() - seconds
    for path in directory.iterdir():
        os.utime(path, (then, then))


class TestPermission:
    @pytest.fixture
    def staff(self, client, django_user_model):
        """Staff who may browse the wages but not import them."""
        user = django_user_model.objects.create_user("s", password="x", is_staff=True)
        user.user_permissions.add(Permission.objects.get(codename="view_occupationwage"))
        client.force_login(user)
        return user

    def test_staff_without_the_permission_get_403(self, client, editor, staff):
        client.force_login(editor)
        token = upload(client, csv_file(SAN_JOSE))
        client.force_login(staff)

        assert client.get(IMPORT).status_code == 403
        assert client.post(IMPORT, {"file": csv_file(SAN_JOSE)}).status_code == 403
        assert client.get(review_url(token)).status_code == 403
        assert client.post(review_url(token), {"_commit": "Commit"}).status_code == 403
        assert not OccupationWage.objects.exists()

    def test_the_index_lists_the_import_page_only_for_those_who_may_import(
        self, client, editor, staff
    ):
        link = f'<a href="{IMPORT}">Import BLS wage file</a>'

        assert link not in client.get(INDEX).content.decode()
        client.force_login(editor)
        index = client.get(INDEX)
        assert link in index.content.decode()
        roles = next(app for app in index.context["app_list"] if app["app_label"] == "roles")
        names = [model["name"] for model in roles["models"]]
        assert names[names.index("Occupation wages") + 1] == "Import BLS wage file"

    def test_the_role_librarys_own_page_lists_it_too(self, client, editor):
        page = client.get(reverse("admin:app_list", args=["roles"])).content.decode()

        assert f'<a href="{IMPORT}">Import BLS wage file</a>' in page

    def test_the_changelist_links_to_it(self, client, editor, staff):
        changelist = reverse("admin:roles_occupationwage_changelist")

        assert "Import BLS wage file" not in text(client.get(changelist))
        client.force_login(editor)
        assert "Import BLS wage file" in text(client.get(changelist))


def test_areas_made_by_a_dry_run_are_rolled_back(client, editor):
    upload(client, csv_file(SAN_JOSE))

    assert not Area.objects.exists()
