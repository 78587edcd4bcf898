import re
from html import unescape

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse

from roles.history import versions_of
from roles.models import Role, Skill, SkillSlugRedirect
from roles.skills import skill_rename

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:roles_skill_changelist")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def skill(slug: str) -> Skill:
    return Skill.objects.get(slug=slug)


def action(*slugs: str, **extra) -> dict:
    """The changelist's POST running the merge action on the skills `slugs`."""
    ids = [str(skill(slug).pk) for slug in slugs]
    return {"action": "merge_selected", "_selected_action": ids, **extra}


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def html_of(response) -> str:
    assert response.status_code == 200
    return unescape(response.content.decode())


class TestMergePermission:
    def test_editors_are_offered_the_merge_action(self, editor_client, seeded):
        response = editor_client.get(CHANGELIST)

        choices = dict(response.context["action_form"].fields["action"].choices)
        assert choices["merge_selected"] == "Merge selected skills into one"

    def test_staff_who_may_change_skills_but_not_merge_them_cannot(
        self, client, django_user_model, seeded
    ):
        user = django_user_model.objects.create_user("clerk", password="x", is_staff=True)
        user.user_permissions.add(
            *Permission.objects.filter(
                codename__in=["view_skill", "change_skill", "delete_skill", "view_role"]
            )
        )
        client.force_login(user)

        choices = dict(client.get(CHANGELIST).context["action_form"].fields["action"].choices)
        posted = client.post(
            CHANGELIST,
            action("tensorflow", "tensorflow-lite", survivor=skill("tensorflow").pk, merge="1"),
        )

        assert "merge_selected" not in choices
        assert posted.status_code == 302
        assert Skill.objects.filter(slug="tensorflow-lite").exists()


class TestMergeConfirmation:
    def test_asks_which_skill_to_keep_and_lists_the_templates_that_change(
        self, editor_client, seeded
    ):
        response = editor_client.post(CHANGELIST, action("tensorflow", "tensorflow-lite", index=0))

        html = html_of(response)
        assert response.templates[0].name == "admin/roles/skill/merge_confirmation.html"
        radios = re.findall(r'<input type="radio" name="survivor" value="(\d+)"[^>]*>', html)
        assert radios == [str(skill("tensorflow").pk), str(skill("tensorflow-lite").pk)]
        assert "TensorFlow (tensorflow), in 3 templates" in html
        assert "TensorFlow Lite (tensorflow-lite), in 1 template" in html
        # The skill in most templates is chosen to start with.
        assert re.search(rf'value="{skill("tensorflow").pk}"[^>]*checked', html)
        edge = Role.objects.drafts().get(slug="edge-ai-engineer")
        edge_link = reverse("admin:roles_role_change", args=[edge.pk])
        assert f'<a href="{edge_link}">Edge AI Engineer</a></th><td>TensorFlow Lite</td>' in html
        assert "Templates that ask for these skills (4)" in html
        assert f'<a href="{CHANGELIST}" class="button cancel-link">Cancel</a>' in html
        assert '<li aria-current="page">Merge skills into one</li>' in html
        assert Skill.objects.filter(slug="tensorflow-lite").exists()  # nothing merged yet

    def test_one_skill_alone_is_not_merged(self, editor_client, seeded):
        response = editor_client.post(CHANGELIST, action("tensorflow", index=0))

        assert response.status_code == 302
        assert messages_of(response) == ["Select two or more skills to merge."]

    def test_merging_moves_the_templates_and_says_so(self, editor_client, editor, seeded):
        lite = skill("tensorflow-lite")

        response = editor_client.post(
            f"{CHANGELIST}?kind__exact=framework",
            action("tensorflow", "tensorflow-lite", survivor=skill("tensorflow").pk, merge="1"),
        )

        assert (response.status_code, response["Location"]) == (
            302,
            f"{CHANGELIST}?kind__exact=framework",
        )
        assert not Skill.objects.filter(pk=lite.pk).exists()
        for edge in Role.objects.filter(slug="edge-ai-engineer"):  # draft and published copy
            assert "tensorflow" in edge.skills.values_list("slug", flat=True)
        draft = Role.objects.drafts().get(slug="edge-ai-engineer")
        assert versions_of(draft).first().revision.user == editor
        assert SkillSlugRedirect.objects.get(old_slug="tensorflow-lite").skill.slug == "tensorflow"
        [message] = messages_of(response)
        assert message.startswith("TensorFlow Lite merged into <a href=")
        assert "1 template(s) changed" in message

    def test_a_skill_to_keep_outside_the_selection_is_refused(self, editor_client, seeded):
        response = editor_client.post(
            CHANGELIST,
            action("tensorflow", "tensorflow-lite", survivor=skill("pytorch").pk, merge="1"),
        )

        assert "Choose the skill to keep." in html_of(response)
        assert response.context["form"].errors["survivor"]
        assert Skill.objects.filter(slug__in=["tensorflow", "tensorflow-lite"]).count() == 2


class TestChangePage:
    def test_shows_the_templates_that_use_the_skill_and_its_old_addresses(
        self, editor_client, seeded
    ):
        pytorch = skill("pytorch")
        pytorch.slug = "torch"
        pytorch.save()
        skill_rename(skill=pytorch, old_slug="pytorch")

        html = html_of(editor_client.get(reverse("admin:roles_skill_change", args=[pytorch.pk])))

        links = re.findall(r'<ul class="skill-usage">(.*?)</ul>', html)[0]
        titles = re.findall(
            r'<li><a href="/admin/roles/role/(\d+)/change/">([^<]+)</a></li>', links
        )
        drafts = Role.objects.drafts().filter(skills=pytorch).order_by("title")
        assert titles == [(str(d.pk), d.title) for d in drafts]
        assert len(titles) == 3
        assert "<li><code>/skills/pytorch/</code> (moved here " in html

    def test_an_unused_skill_says_so(self, editor_client, seeded):
        unused = Skill.objects.create(name="COBOL", slug="cobol", kind="language")

        html = html_of(editor_client.get(reverse("admin:roles_skill_change", args=[unused.pk])))

        assert "None yet." in html
        assert "None: it has always been at this address." in html

    def test_changing_the_slug_leaves_a_redirect(self, editor_client, seeded, admin_form_data):
        url = reverse("admin:roles_skill_change", args=[skill("pytorch").pk])
        data = admin_form_data(editor_client.get(url)) | {"slug": "torch"}

        response = editor_client.post(url, data)

        assert response.status_code == 302, response.context["adminform"].errors
        assert SkillSlugRedirect.objects.get(old_slug="pytorch").skill.slug == "torch"

    def test_saving_without_a_new_slug_leaves_no_redirect(
        self, editor_client, seeded, admin_form_data
    ):
        url = reverse("admin:roles_skill_change", args=[skill("pytorch").pk])
        data = admin_form_data(editor_client.get(url)) | {"name": "PyTorch 2"}

        response = editor_client.post(url, data)

        assert response.status_code == 302
        assert not SkillSlugRedirect.objects.exists()

    def test_a_new_skill_at_an_old_address_takes_it_over(self, editor_client, seeded):
        pytorch = skill("pytorch")
        pytorch.slug = "torch"
        pytorch.save()
        skill_rename(skill=pytorch, old_slug="pytorch")

        response = editor_client.post(
            reverse("admin:roles_skill_add"),
            {"name": "PyTorch Lightning", "slug": "pytorch", "kind": "framework"},
        )

        assert response.status_code == 302
        assert not SkillSlugRedirect.objects.exists()


class TestChangelist:
    def test_the_templates_count_links_to_the_templates_asking_for_the_skill(
        self, editor_client, seeded
    ):
        html = html_of(editor_client.get(CHANGELIST, {"q": "PyTorch"}))
        pytorch = skill("pytorch")

        href = f"/admin/roles/role/?skills__id__exact={pytorch.pk}"
        assert (
            f'<a href="{href}">3<span class="visually-hidden"> templates ask for PyTorch</span></a>'
            in html
        )
        response = editor_client.get(href)
        assert response.status_code == 200
        assert {role.slug for role in response.context["cl"].result_list} == {
            "machine-learning-engineer",
            "computer-vision-engineer",
            "deep-learning-engineer",
        }
        assert all(role.copy == "draft" for role in response.context["cl"].result_list)
        # The list says what it is filtered by, and the filter can be cleared there.
        selected = re.findall(r'<li class="selected">\s*(<a href=.*?</a>)', html_of(response))
        assert f'<a href="?skills__id__exact={pytorch.pk}">PyTorch (3)</a>' in selected

    def test_an_unused_skill_counts_zero_without_a_link(self, editor_client, seeded):
        Skill.objects.create(name="COBOL", slug="cobol", kind="language")

        response = editor_client.get(CHANGELIST, {"q": "cobol"})

        assert response.context["cl"].result_list[0].role_count == 0
        assert "?skills__id__exact=" not in html_of(response)


def _make_skills(count: int) -> None:
    """`count` more skills, each in a template or two, with old addresses."""
    roles = list(Role.objects.all())
    skills = Skill.objects.bulk_create(
        Skill(name=f"Extra skill {i}", slug=f"extra-skill-{i}", kind="framework")
        for i in range(count)
    )
    Role.skills.through.objects.bulk_create(
        Role.skills.through(role=roles[i % len(roles)], skill=skill)
        for i, skill in enumerate(skills)
    )
    SkillSlugRedirect.objects.bulk_create(
        SkillSlugRedirect(old_slug=f"old-skill-{i}", skill=skill) for i, skill in enumerate(skills)
    )


@pytest.mark.parametrize("extra", [0, 100])
def test_the_skill_changelist_runs_a_fixed_number_of_queries(
    editor_client, seeded, django_assert_max_num_queries, extra
):
    _make_skills(extra)

    # Sign-in (session, user, second factor, two for permissions), the list (filtered
    # and total counts, the page with its template counts, kind facets) and the
    # session's save (three with its savepoint): the same at 69 skills and at 169.
    with django_assert_max_num_queries(12):
        response = editor_client.get(CHANGELIST)

    assert response.status_code == 200
    assert response.context["cl"].result_count == Skill.objects.count()
