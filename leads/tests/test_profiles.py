"""Recruiters' public profiles: opted into by the recruiter, a photo made safe,
shown on the about page and on the role pages of their families, and "Speak with
<name>" routes the request to them."""

import io
import re
import struct
import zlib
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from PIL import Image

from leads.forms import FormToken
from leads.models import Lead, RecruiterProfile
from leads.services.profiles import photo_from_upload
from leads.tests.conftest import CONTACT, form_data, signed_token
from leads.tests.test_intake import submit
from roles.models import Area, AreaType, RoleFamily

pytestmark = pytest.mark.django_db

MINE = reverse("admin:leads_recruiterprofile_mine")


def image_file(kind="JPEG", size=(800, 600), name="me.jpg", exif=None) -> SimpleUploadedFile:
    out = io.BytesIO()
    image = Image.new("RGB", size, (200, 120, 40))
    if exif is not None:
        image.save(out, kind, exif=exif)
    else:
        image.save(out, kind)
    return SimpleUploadedFile(name, out.getvalue(), content_type=f"image/{kind.lower()}")


def text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def rita(make_recruiter):
    return make_recruiter("rita", first_name="Rita", last_name="Moreno")


@pytest.fixture
def published(rita, roles):
    """Rita has shown her profile: machine learning, Seattle, with a photo."""
    profile = RecruiterProfile.objects.create(
        user=rita,
        is_public=True,
        public_name="Rita Moreno",
        slug="rita-moreno",
        headline="Senior recruiter, NLP and LLM engineers",
        bio="Ten years placing ML engineers.",
    )
    profile.photo, profile.photo_digest = photo_from_upload(image_file())
    profile.save()
    profile.families.add(RoleFamily.objects.get(slug="machine-learning"))
    seattle = Area.objects.create(
        code="42660", title="Seattle-Tacoma-Bellevue, WA", type=AreaType.METRO, state="WA"
    )
    profile.markets.add(seattle)
    return profile


class TestThePhoto:
    def test_is_a_square_jpeg_without_the_files_metadata(self):
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # Make
        exif[0x8825] = {2: (47.0, 36.0, 0.0)}  # GPS latitude

        data, digest = photo_from_upload(image_file(exif=exif, size=(1200, 900)))

        with Image.open(io.BytesIO(data)) as photo:
            assert (photo.format, photo.size) == ("JPEG", (480, 480))
            assert not photo.getexif()
        assert re.fullmatch(r"[0-9a-f]{16}", digest)

    @pytest.mark.parametrize("kind", ["PNG", "WEBP"])
    def test_png_and_webp_are_accepted(self, kind):
        data, _ = photo_from_upload(image_file(kind=kind, name=f"me.{kind.lower()}"))

        assert data.startswith(b"\xff\xd8")  # a JPEG

    def test_a_canvas_too_big_to_open_is_refused_for_its_size(self):
        # Past Pillow's own limit (about 179 megapixels) the header alone is refused:
        # a PNG that claims 20000 x 10000 pixels, and holds none.
        def chunk(kind: bytes, data: bytes) -> bytes:
            body = kind + data
            return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

        header = struct.pack(">IIBBBBB", 20000, 10000, 8, 2, 0, 0, 0)
        png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")

        with pytest.raises(ValidationError, match="at most 40 megapixels"):
            photo_from_upload(SimpleUploadedFile("huge.png", png))

    @pytest.mark.parametrize(
        ("upload", "message"),
        [
            (SimpleUploadedFile("me.jpg", b"not an image at all"), "not a photo we can read"),
            (
                SimpleUploadedFile("me.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
                "not a photo",
            ),
            (image_file(kind="GIF", name="me.gif"), "Upload a JPEG, PNG or WebP photo."),
            (
                SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (5 * 1024 * 1024)),
                "larger than 5 MB",
            ),
            (image_file(size=(8000, 6000)), "at most 40 megapixels"),
        ],
    )
    def test_anything_else_is_refused_with_a_reason(self, upload, message):
        with pytest.raises(Exception, match=message):
            photo_from_upload(upload)

    def test_is_served_with_its_digest_and_cached_for_good(self, client, published):
        response = client.get(published.photo_url)

        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert "immutable" in response["Cache-Control"]
        old = reverse("leads:recruiter-photo", args=["rita-moreno", "0" * 16])
        assert client.get(old).status_code == 404

    def test_of_a_profile_not_shown_is_not_served_to_visitors(self, client, published):
        url = published.photo_url
        RecruiterProfile.objects.filter(pk=published.pk).update(is_public=False)

        assert client.get(url).status_code == 404


class TestMyPublicProfile:
    def test_a_recruiter_publishes_their_own_profile_with_a_photo(self, client, rita, roles):
        client.force_login(rita)
        family = RoleFamily.objects.get(slug="machine-learning")

        page = client.get(MINE)
        assert page.status_code == 200
        assert 'value="Rita Moreno"' in page.content.decode()  # from their account
        response = client.post(
            MINE,
            {
                "is_public": "on",
                "public_name": "Rita Moreno",
                "headline": "Senior recruiter",
                "bio": "I place ML engineers.",
                "families": [family.pk],
                "photo_upload": image_file(),
            },
        )

        assert response.status_code == 302
        profile = RecruiterProfile.objects.get(user=rita)
        assert (profile.is_public, profile.slug) == (True, "rita-moreno")
        assert len(profile.photo_digest) == 16
        assert "Saved: your profile is on the site." in text(client.get(MINE))

    def test_showing_needs_a_name_headline_and_bio_and_keeps_the_typing(self, client, rita):
        client.force_login(rita)

        response = client.post(MINE, {"is_public": "on", "public_name": "Rita", "bio": "Hi there"})

        assert response.status_code == 200
        assert "Needed to show your profile on the site" in text(response)
        assert "Hi there" in response.content.decode()
        assert not RecruiterProfile.objects.filter(is_public=True).exists()

    def test_a_bad_photo_is_a_field_error(self, client, rita):
        client.force_login(rita)

        response = client.post(
            MINE, {"public_name": "Rita", "photo_upload": SimpleUploadedFile("x.jpg", b"nope")}
        )

        assert response.status_code == 200
        assert "not a photo we can read" in text(response)

    def test_the_slug_stays_when_the_name_changes(self, client, published):
        client.force_login(published.user)

        client.post(
            MINE,
            {
                "is_public": "on",
                "public_name": "Rita M. Moreno",
                "headline": "Senior recruiter",
                "bio": "Bio",
            },
        )

        published.refresh_from_db()
        assert (published.public_name, published.slug) == ("Rita M. Moreno", "rita-moreno")

    def test_staff_outside_recruiters_cannot_open_it(self, client, django_user_model):
        editor = django_user_model.objects.create_user("ed", password="x", is_staff=True)
        client.force_login(editor)

        response = client.get(MINE)

        assert response.status_code == 302
        assert not RecruiterProfile.objects.exists()
        assert "My public profile" not in client.get(reverse("admin:index")).content.decode()

    def test_a_superuser_outside_recruiters_is_not_told_they_are_shown(self, admin_client):
        # Only recruiters appear on the site: the page would promise what never happens.
        index = admin_client.get(reverse("admin:index"))
        assert "My public profile" not in index.content.decode()

        response = admin_client.post(
            MINE, {"is_public": "on", "public_name": "Ada", "headline": "Boss", "bio": "Hi"}
        )

        assert response.status_code == 302
        assert not RecruiterProfile.objects.filter(is_public=True).exists()
        assert "Only members of the Recruiters group appear on the site" in text(
            admin_client.get(response.url)
        )

    def test_a_recruiter_finds_the_page_from_every_admin_page(self, client, rita):
        client.force_login(rita)

        assert "My public profile" in client.get(reverse("admin:index")).content.decode()
        assert client.get(MINE).status_code == 200

    def test_two_recruiters_are_not_shown_under_one_name(self, client, published, make_recruiter):
        other = make_recruiter("rm2", first_name="Rita", last_name="Moreno")
        client.force_login(other)

        response = client.post(
            MINE,
            {"is_public": "on", "public_name": "rita moreno", "headline": "H", "bio": "B"},
        )

        assert response.status_code == 200
        assert text(response).count("Another recruiter is shown under this name") == 1
        assert response.context["form"].errors.keys() == {"public_name"}
        assert not RecruiterProfile.objects.filter(user=other, is_public=True).exists()

    def test_the_database_holds_one_shown_profile_per_name(self, published, make_recruiter):
        hidden = RecruiterProfile.objects.create(
            user=make_recruiter("rm3"), public_name="RITA MORENO", slug="rita-moreno-2"
        )

        hidden.is_public = True
        with pytest.raises(IntegrityError), transaction.atomic():
            hidden.save()

    def test_a_profile_taken_down_stays_down_until_a_manager_lets_it_back(
        self, client, admin_user, published
    ):
        changelist = reverse("admin:leads_recruiterprofile_changelist")
        show_again = {"is_public": "on", "public_name": "Rita Moreno", "headline": "H", "bio": "B"}
        client.force_login(admin_user)
        client.post(changelist, {"action": "take_off_the_site", "_selected_action": [published.pk]})
        client.force_login(published.user)

        page = text(client.get(MINE))
        assert f"{admin_user.username} took your profile off the site on" in page
        landing = text(client.get(reverse("admin:leads_lead_my_work")))
        assert f"{admin_user.username} took your public profile off the site on" in landing
        refused = client.post(MINE, show_again)
        assert "A manager took your profile off the site" in text(refused)
        published.refresh_from_db()
        assert published.is_public is False

        client.force_login(admin_user)
        client.post(
            changelist, {"action": "allow_back_on_the_site", "_selected_action": [published.pk]}
        )
        client.force_login(published.user)
        assert "took your profile off the site" not in text(client.get(MINE))
        client.post(MINE, show_again)
        published.refresh_from_db()
        assert (published.is_public, published.taken_down_at) == (True, None)

    def test_a_chosen_photo_must_be_chosen_again_after_an_error_and_says_so(self, client, rita):
        client.force_login(rita)

        response = client.post(
            MINE, {"is_public": "on", "public_name": "Rita", "photo_upload": image_file()}
        )

        assert "Needed to show your profile on the site" in text(response)
        assert "Choose your photo again" in text(response)
        assert "Choose your photo again" not in text(client.post(MINE, {"is_public": "on"}))

    def test_the_page_has_the_admins_form_layout_and_breadcrumbs(self, client, rita):
        client.force_login(rita)

        html = client.get(MINE).content.decode()

        assert "admin/css/forms" in html
        assert '<ol class="breadcrumbs">' in html
        assert '<li aria-current="page">My public profile</li>' in html

    def test_the_admin_list_can_only_take_a_profile_down(self, admin_client, published):
        change = admin_client.get(
            reverse("admin:leads_recruiterprofile_change", args=[published.pk])
        )
        assert 'name="is_public"' not in change.content.decode()
        listing = text(admin_client.get(reverse("admin:leads_recruiterprofile_changelist")))
        assert "Shown on the site" in listing
        assert "show my profile" not in listing.lower()  # the recruiter's words, not a manager's

        admin_client.post(
            reverse("admin:leads_recruiterprofile_changelist"),
            {"action": "take_off_the_site", "_selected_action": [published.pk]},
        )

        published.refresh_from_db()
        assert published.is_public is False


class TestOnTheSite:
    def test_the_about_page_shows_published_recruiters_only(
        self, client, published, make_recruiter
    ):
        hidden = make_recruiter("hal")
        RecruiterProfile.objects.create(
            user=hidden, public_name="Hal Hidden", slug="hal-hidden", headline="x", bio="y"
        )

        page = text(client.get(reverse("about")))

        assert "Rita Moreno Senior recruiter, NLP and LLM engineers" in page
        assert "Specialties Machine learning" in page
        assert "Markets Seattle-Tacoma-Bellevue, WA" in page
        assert "Hal Hidden" not in page

    def test_without_a_photo_the_initials_take_its_place(self, client, published):
        RecruiterProfile.objects.filter(pk=published.pk).update(
            photo=None, photo_digest="", public_name="Rita de la Moreno"
        )

        for url in (reverse("about"), "/roles/nlp-engineer/"):
            html = client.get(url).content.decode()
            assert '<span class="recruiter-photo recruiter-initials' in html
            assert 'aria-hidden="true">RM</span>' in html

    def test_a_recruiter_who_left_disappears(self, client, published):
        published.user.is_active = False
        published.user.save()

        assert "Rita Moreno" not in text(client.get(reverse("about")))
        assert "profiles are on their way" in text(client.get(reverse("about")))

    def test_a_role_page_shows_the_recruiters_of_its_family(self, client, published):
        html = client.get("/roles/nlp-engineer/").content.decode()

        assert "Recruiters for machine learning roles" in html
        assert (
            'href="/contact/?role=nlp-engineer&amp;recruiter=rita-moreno">'
            "Speak with Rita Moreno</a>" in html
        )
        assert published.photo_url in html

    def test_the_contact_form_names_who_the_request_goes_to(self, client, published):
        page = text(client.get(CONTACT, {"recruiter": "rita-moreno", "role": "nlp-engineer"}))

        assert "Your request goes to Rita Moreno , Senior recruiter, NLP and LLM engineers." in page
        assert "goes to" not in text(client.get(CONTACT, {"recruiter": "nobody"}))


class TestSpeakWith:
    def test_the_request_goes_to_the_recruiter_asked_for(self, published, make_recruiter):
        make_recruiter("ann")  # first in the round robin otherwise

        lead = submit(context={"recruiter": "rita-moreno"}).lead

        assert lead.assigned_to == published.user

    def test_a_recruiter_not_taking_leads_is_covered_by_the_round_robin(
        self, published, make_recruiter
    ):
        published.accepts_leads = False
        published.save()
        ann = make_recruiter("ann")

        assert submit(context={"recruiter": "rita-moreno"}).lead.assigned_to == ann

    def test_the_thank_you_page_names_the_recruiter_the_request_went_to(self, client, published):
        data = form_data(token=signed_token(context={"recruiter": "rita-moreno"}))

        response = client.post(CONTACT, data)

        assert response["Location"] == "/contact/thanks/?recruiter=rita-moreno"
        page = text(client.get(response["Location"]))
        assert "Rita Moreno will reply within one business day." in page
        assert "jane" not in response["Location"].lower()

    def test_the_thank_you_page_names_nobody_when_the_round_robin_took_over(
        self, client, published, make_recruiter
    ):
        RecruiterProfile.objects.filter(pk=published.pk).update(accepts_leads=False)
        make_recruiter("ann")
        data = form_data(token=signed_token(context={"recruiter": "rita-moreno"}))

        response = client.post(CONTACT, data)

        assert response["Location"] == "/contact/thanks/"
        assert "A recruiting expert will reply" in text(client.get(response["Location"]))
        assert "A recruiting expert will reply" in text(
            client.get("/contact/thanks/", {"recruiter": "<b>nobody</b>"})
        )

    def test_the_choice_travels_in_the_signed_token_from_the_form(self, client, published):
        page = client.get(CONTACT, {"recruiter": "rita-moreno"}).content.decode()
        token = re.search(r'name="token" value="([^"]+)"', page)[1]

        assert FormToken.read(token).context["recruiter"] == "rita-moreno"
        assert Lead.objects.count() == 0


def test_the_photos_bytes_are_read_only_where_served(published):
    profile = RecruiterProfile.objects.get(pk=published.pk)

    assert "photo" in profile.get_deferred_fields()
    assert len(profile.photo_digest) == 16
