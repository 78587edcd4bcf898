"""The wage admin: Areas and Occupation wages, read only, and the import page."""

from html import unescape

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from roles.models import OccupationWage
from roles.tests.wages.files import HEADER, METRO_FILE

pytestmark = pytest.mark.django_db


def text(response) -> str:
    assert response.status_code == 200
    return " ".join(unescape(response.content.decode()).split())


class TestAdmin:
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

    def test_an_editor_imports_a_file_and_sees_the_summary(self, client, django_user_model):
        editor = django_user_model.objects.create_user("ed", password="x", is_staff=True)
        editor.groups.add(Group.objects.get(name="Editors"))
        client.force_login(editor)
        upload = SimpleUploadedFile("oews_metro_wages.csv", METRO_FILE.read_bytes())

        response = client.post(
            reverse("admin:roles_occupationwage_import"), {"file": upload}, follow=True
        )

        assert "Imported oews_metro_wages.csv: 1725 rows: 1725 inserted" in text(response)
        assert OccupationWage.objects.count() == 1725

    def test_a_malformed_upload_is_reported_like_the_command_and_nothing_saved(self, admin_client):
        good = ",".join(HEADER) + "\n"
        good += "99,U.S.,1,15-2051,Data Scientists,10,1,1,1,1,1,1,2025\n"
        bad = good + "99,U.S.,1,15-1221,Research,10,1,1,lots,1,1,1,2025\n"
        upload = SimpleUploadedFile("bad.csv", bad.encode())

        response = admin_client.post(reverse("admin:roles_occupationwage_import"), {"file": upload})

        expected = (
            "Nothing was imported from bad.csv: row 3, column A_PCT25: 'lots' is not a number"
        )
        assert expected in text(response)
        assert not OccupationWage.objects.exists()

    def test_importing_needs_the_permission(self, client, django_user_model):
        staff = django_user_model.objects.create_user("s", password="x", is_staff=True)
        client.force_login(staff)

        assert client.get(reverse("admin:roles_occupationwage_import")).status_code == 403
