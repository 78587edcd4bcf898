"""An editor's work on a template in the admin: the bullet editor, drafts and
publishing, the signed preview, and the history with its diff and revert."""

import datetime
import re
from urllib.parse import urlencode

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core import signing
from django.urls import reverse

from roles.models import Role, Section
from roles.preview import SALT, draft_pk_from, preview_url

pytestmark = pytest.mark.django_db

FORM_ENCODED = "application/x-www-form-urlencoded"
SLUG = "nlp-engineer"


@pytest.fixture
def editing(client, editor, seeded, admin_form_data):
    """Save the NLP template's draft as the editor's browser would, changed by `change(data)`."""
    client.force_login(editor)
    draft = Role.objects.drafts().get(slug=SLUG)
    url = reverse("admin:roles_role_change", args=[draft.pk])

    def save(change=lambda data: None, **buttons):
        data = admin_form_data(client.get(url))
        change(data)
        data.update(buttons)
        return client.post(url, urlencode(data, doseq=True), content_type=FORM_ENCODED)

    save.draft = draft
    save.url = url
    return save


def prefix_of(page, section: Section) -> str:
    return next(
        inline.formset.prefix
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.section == section
    )


def add_bullet(data: dict, prefix: str, text: str, position: str = "") -> None:
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-{index}-text"] = text
    data[f"{prefix}-{index}-position"] = position
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)


def bullets(draft: Role, section: Section) -> list[tuple[int, str]]:
    return list(draft.items.filter(section=section).values_list("position", "text"))


def versions_shown(client, draft) -> list:
    """The versions the template's history page lists, newest first."""
    return list(
        client.get(reverse("admin:roles_role_history", args=[draft.pk])).context["versions"]
    )


def public_page(client, slug=SLUG):
    client.logout()
    return client.get(reverse("roles:detail", args=[slug]))


class TestTheBulletEditor:
    def test_sections_read_as_english_and_bullets_as_wide_text(self, client, editing):
        page = client.get(editing.url).content.decode()

        for label in (
            "Add a responsibility",
            "Add a hard skill",
            "Add an education requirement",
            "Add a preferred qualification",
        ):
            assert label in page
        assert "Add another responsibilit" not in page.lower()
        assert '<textarea name="items-0-text" cols="40" rows="1" class="bullet-text"' in page

    def test_required_or_preferred_is_asked_only_where_it_means_something(self, client, editing):
        page = client.get(editing.url)

        asked = {
            inline.formset.section
            for inline in page.context["inline_admin_formsets"]
            if "requirement" in inline.formset.empty_form.fields
        }
        assert asked == {Section.EDUCATION, Section.CERTIFICATION}

    def test_a_new_bullet_goes_to_the_end_of_its_section(self, client, editing):
        page = client.get(editing.url)
        prefix = prefix_of(page, Section.RESPONSIBILITY)

        response = editing(lambda data: add_bullet(data, prefix, "Mentors junior engineers."))

        assert response.status_code == 302
        saved = bullets(editing.draft, Section.RESPONSIBILITY)
        assert saved[-1][1] == "Mentors junior engineers."
        assert [position for position, _ in saved] == list(range(1, len(saved) + 1))

    def test_the_order_numbers_reorder_bullets_without_javascript(self, client, editing):
        page = client.get(editing.url)
        prefix = prefix_of(page, Section.HARD_SKILL)
        before = editing.draft.items_in(Section.HARD_SKILL)

        def move_last_to_first(data):
            last = int(data[f"{prefix}-TOTAL_FORMS"]) - 1
            data[f"{prefix}-{last}-position"] = "0"

        assert editing(move_last_to_first).status_code == 302
        after = [text for _, text in bullets(editing.draft, Section.HARD_SKILL)]
        assert after == [before[-1], *before[:-1]]


class TestDraftsAndPublishing:
    def test_saving_changes_the_draft_not_the_public_page(self, client, editing):
        response = editing(lambda data: data.update(summary="A new summary for editors."))

        assert response.status_code == 302
        assert "A new summary for editors." not in public_page(client).content.decode()
        assert Role.objects.drafts().get(slug=SLUG).has_unpublished_changes

    def test_save_and_publish_puts_it_on_the_site_with_who_and_when(self, client, editor, editing):
        with time_machine.travel(datetime.datetime(2027, 3, 4, 10, tzinfo=datetime.UTC)):
            client.force_login(editor)  # a session of that day
            response = editing(
                lambda data: data.update(summary="A new summary for visitors."), _publish="1"
            )

        assert response.status_code == 302
        page = public_page(client).content.decode()
        assert "A new summary for visitors." in page
        assert "Last reviewed March 4, 2027." in page
        draft = Role.objects.drafts().get(slug=SLUG)
        assert draft.published_by.username == "editor"
        assert draft.live_copy.published_by.username == "editor"
        assert not draft.has_unpublished_changes

    def test_the_changelist_says_which_templates_wait_for_publishing(self, client, editing):
        editing(lambda data: data.update(summary="Changed."))

        response = client.get(reverse("admin:roles_role_changelist"), {"status": "changed"})

        assert [role.slug for role in response.context["cl"].result_list] == [SLUG]

    def test_withdrawing_takes_the_page_off_the_site_until_published_again(
        self, client, editor, editing
    ):
        changelist = reverse("admin:roles_role_changelist")
        action = {"action": "withdraw_selected", "_selected_action": [editing.draft.pk]}

        assert client.post(changelist, action).status_code == 302
        assert public_page(client).status_code == 404
        client.force_login(editor)
        action["action"] = "publish_selected"
        assert client.post(changelist, action).status_code == 302
        assert public_page(client).status_code == 200


class TestThePreview:
    def test_anyone_with_the_link_sees_the_draft_as_it_will_be_published(self, client, editing):
        editing(lambda data: data.update(summary="Draft summary, not yet live."))
        link = preview_url(Role.objects.drafts().get(slug=SLUG))
        client.logout()

        response = client.get(link)

        page = response.content.decode()
        assert response.status_code == 200
        assert "Draft summary, not yet live." in page
        assert "Preview of a draft" in page
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert '<meta name="robots" content="noindex, nofollow">' in page
        assert "no-store" in response["Cache-Control"]

    def test_the_change_page_links_to_the_preview(self, client, editing):
        page = client.get(editing.url).content.decode()

        token = re.search(r'href="/preview/roles/([^/"]+)/"', page).group(1)
        assert draft_pk_from(token) == editing.draft.pk

    def test_a_forged_or_guessed_link_finds_nothing(self, client, seeded):
        draft = Role.objects.drafts().get(slug=SLUG)
        forged = signing.dumps(draft.pk, salt="someone else's salt")
        unsigned = str(draft.pk)

        for token in (forged, unsigned, signing.dumps("x", salt=SALT)):
            response = client.get(reverse("roles:preview", args=[token]))
            assert response.status_code == 404
            assert "This preview link is not valid any more" in response.content.decode()
            assert response["X-Robots-Tag"] == "noindex, nofollow"

    def test_a_link_expires_after_two_weeks(self, client, seeded):
        draft = Role.objects.drafts().get(slug=SLUG)
        with time_machine.travel(datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC)):
            link = preview_url(draft)
        with time_machine.travel(datetime.datetime(2027, 1, 14, tzinfo=datetime.UTC)):
            assert client.get(link).status_code == 200
        with time_machine.travel(datetime.datetime(2027, 1, 16, tzinfo=datetime.UTC)):
            assert client.get(link).status_code == 404


class TestHistory:
    def test_each_save_is_a_version_with_who_and_what(self, client, editing):
        editing(lambda data: data.update(summary="Version two."))

        page = client.get(reverse("admin:roles_role_history", args=[editing.draft.pk]))

        versions = list(page.context["versions"])
        assert versions[0].revision.user.username == "editor"
        assert versions[0].revision.get_comment() == "Changed Summary."
        assert versions[-1].revision.get_comment() == "Seeded from the agency's page"

    def test_the_compare_page_shows_what_changed_between_two_versions(self, client, editing):
        old_summary = editing.draft.summary
        page = client.get(editing.url)
        prefix = prefix_of(page, Section.SOFT_SKILL)

        def change(data):
            data["summary"] = "Version two."
            add_bullet(data, prefix, "Writes clearly for non-specialists.")

        editing(change)
        versions = versions_shown(client, editing.draft)
        assert versions[0].revision.get_comment() == "Changed Summary. Added 1 bullet."
        compare = reverse("admin:roles_role_compare", args=[editing.draft.pk])

        response = client.get(compare, {"from": versions[-1].pk, "to": versions[0].pk})

        page = response.content.decode()
        assert response.status_code == 200
        assert old_summary in page
        assert "Version two." in page
        assert "Writes clearly for non-specialists." in page

    def test_revert_brings_an_earlier_version_back_as_a_new_draft_version(self, client, editing):
        old_summary = editing.draft.summary
        old_bullets = bullets(editing.draft, Section.RESPONSIBILITY)
        page = client.get(editing.url)
        prefix = prefix_of(page, Section.RESPONSIBILITY)

        def change(data):
            data["summary"] = "Version two."
            add_bullet(data, prefix, "A bullet to undo.")

        editing(change, _publish="1")
        versions = versions_shown(client, editing.draft)
        seeded = versions[-1]

        response = client.post(
            reverse("admin:roles_role_revert", args=[editing.draft.pk, seeded.pk])
        )

        assert response.status_code == 302
        draft = Role.objects.drafts().get(slug=SLUG)
        assert draft.summary == old_summary
        assert bullets(draft, Section.RESPONSIBILITY) == old_bullets
        assert "Version two." in public_page(client).content.decode()  # until published again
        client.force_login(draft.published_by)  # the editor, signed out to read the site
        history = client.get(reverse("admin:roles_role_history", args=[draft.pk]))
        assert history.context["versions"][0].revision.get_comment().startswith("Reverted to")

    def test_revert_needs_a_post_and_the_change_permission(
        self, client, editing, django_user_model
    ):
        version = versions_shown(client, editing.draft)[0]
        url = reverse("admin:roles_role_revert", args=[editing.draft.pk, version.pk])
        assert client.get(url).status_code == 302  # back to the history, nothing done

        viewer = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
        viewer.user_permissions.add(
            *Group.objects.get(name="Editors").permissions.filter(codename="view_role")
        )
        client.force_login(viewer)
        assert client.post(url).status_code == 403


class TestWhatEditorsType:
    def test_a_slug_another_template_has_is_an_error_beside_the_field(self, client, editing):
        response = editing(lambda data: data.update(slug="machine-learning-engineer"))

        assert response.status_code == 200
        assert response.context["adminform"].form.errors["slug"] == [
            "Another template already has this address. Choose another slug."
        ]

    def test_a_new_template_with_a_taken_slug_is_an_error_too(self, client, editing):
        draft = editing.draft
        data = {"title": "NLP", "slug": SLUG, "family": draft.family_id, "seniority": "mid"}

        response = client.post(reverse("admin:roles_role_add"), data)

        assert "Another template already has this address." in response.content.decode()

    def test_paragraphs_typed_in_a_browser_stay_paragraphs(self, client, editing):
        overview = "First paragraph.\r\n\r\nSecond paragraph."

        editing(lambda data: data.update(overview=overview), _publish="1")

        draft = Role.objects.drafts().get(slug=SLUG)
        assert draft.overview == "First paragraph.\n\nSecond paragraph."
        assert draft.overview_paragraphs() == ["First paragraph.", "Second paragraph."]
        assert public_page(client).content.decode().count("paragraph.</p>") == 2

    def test_a_new_bullet_left_empty_is_ignored(self, client, editing):
        page = client.get(editing.url)
        prefix = prefix_of(page, Section.SOFT_SKILL)
        before = bullets(editing.draft, Section.SOFT_SKILL)

        response = editing(lambda data: add_bullet(data, prefix, "  ", position="9"))

        assert response.status_code == 302
        assert bullets(editing.draft, Section.SOFT_SKILL) == before

    def test_a_save_over_someone_elses_newer_save_is_refused_and_keeps_the_typing(
        self, client, editing, admin_form_data
    ):
        first_tab = admin_form_data(client.get(editing.url))
        assert (
            editing(lambda data: data.update(summary="Saved in the second tab.")).status_code == 302
        )
        first_tab["overview"] = "Typed in the first tab."

        response = client.post(
            editing.url, urlencode(first_tab, doseq=True), content_type=FORM_ENCODED
        )

        page = response.content.decode()
        assert response.status_code == 200
        assert "after you opened it, so nothing was saved" in page
        assert "Typed in the first tab." in page
        draft = Role.objects.drafts().get(slug=SLUG)
        assert draft.summary == "Saved in the second tab."
        assert draft.overview != "Typed in the first tab."
