from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from roles.models import Area, AreaType, PayTransparencyLaw, Role, RoleItem, Section, Skill

pytestmark = pytest.mark.django_db

FORM_ENCODED = "application/x-www-form-urlencoded"


def test_editors_group_holds_exactly_the_role_library_search_law_and_wage_permissions():
    group = Group.objects.get(name="Editors")

    codenames = set(group.permissions.values_list("content_type__app_label", "codename"))
    expected = {
        ("roles", f"{action}_{model}")
        for model in [
            "rolefamily",
            "skill",
            "role",
            "roleitem",
            "searchsynonym",
            "paytransparencylaw",
        ]
        for action in ["add", "change", "delete", "view"]
    }
    expected |= {
        ("roles", "view_area"),
        ("roles", "view_occupationwage"),
        ("roles", "import_occupationwage"),
        ("roles", "merge_skill"),
    }
    # ...and the public site's pages, articles, testimonials and figures (content app).
    expected |= {
        ("content", f"{action}_{model}")
        for model in ["servicepage", "article", "testimonial", "placementfigure"]
        for action in ["add", "change", "delete", "view"]
    }
    assert codenames == expected


def test_an_editor_reaches_roles_but_not_users(client, editor, seeded):
    client.force_login(editor)

    assert client.get(reverse("admin:roles_role_changelist")).status_code == 200
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403


@pytest.mark.parametrize(
    ("model", "query"),
    [
        ("role", {"q": "quantization", "seniority__exact": "mid"}),
        ("role", {"family__id__exact": "1", "status": "live"}),
        ("skill", {"q": "torch", "kind__exact": "framework"}),
        ("rolefamily", {"q": "machine"}),
    ],
)
def test_changelists_search_and_filter(admin_client, seeded, model, query):
    response = admin_client.get(reverse(f"admin:roles_{model}_changelist"), query)

    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1


def test_role_search_finds_bullets(admin_client, seeded):
    response = admin_client.get(reverse("admin:roles_role_changelist"), {"q": "quantization"})

    assert [r.slug for r in response.context["cl"].result_list] == ["edge-ai-engineer"]


def test_skill_list_shows_role_counts(admin_client, seeded):
    response = admin_client.get(reverse("admin:roles_skill_changelist"), {"q": "PyTorch"})

    assert response.context["cl"].result_list[0].role_count == 3


@pytest.mark.parametrize("model", ["role", "skill", "rolefamily"])
def test_add_pages_render(admin_client, model):
    assert admin_client.get(reverse(f"admin:roles_{model}_add")).status_code == 200


def test_role_change_page_has_one_inline_per_section_in_seed_order(admin_client, seeded):
    role = Role.objects.drafts().get(slug="machine-learning-engineer")

    response = admin_client.get(reverse("admin:roles_role_change", args=[role.pk]))

    assert response.status_code == 200
    titles = [
        formset.opts.verbose_name_plural for formset in response.context["inline_admin_formsets"]
    ]
    assert titles == [section.label for section in Section]
    counts = [
        len(formset.formset.queryset) for formset in response.context["inline_admin_formsets"]
    ]
    assert counts == [8, 6, 4, 2, 2, 3]
    assert b"View public page" in response.content  # its published copy
    assert b"View on site" not in response.content  # the draft has no page of its own


def test_saving_a_role_adds_a_bullet_to_the_right_section(admin_client, seeded, admin_form_data):
    role = Role.objects.drafts().get(slug="nlp-engineer")
    url = reverse("admin:roles_role_change", args=[role.pk])
    page = admin_client.get(url)
    data = admin_form_data(page)
    prefix = page.context["inline_admin_formsets"][2].formset.prefix  # soft skills
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(total + 1)
    data[f"{prefix}-{total}-position"] = "9"
    data[f"{prefix}-{total}-text"] = "Patience with ambiguous requirements"

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].errors
    item = RoleItem.objects.get(text="Patience with ambiguous requirements")
    assert (item.role, item.section) == (role, Section.SOFT_SKILL)
    assert role.items_in(Section.SOFT_SKILL)[-1] == item.text


def test_skill_autocomplete_answers(admin_client, seeded):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"term": "tens", "app_label": "roles", "model_name": "role", "field_name": "skills"},
    )

    assert {r["text"] for r in response.json()["results"]} == {"TensorFlow", "TensorFlow Lite"}


def test_skills_need_a_permission_to_change(client, django_user_model, seeded):
    user = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_skill"))
    client.force_login(user)
    skill = Skill.objects.get(slug="pytorch")

    response = client.post(reverse("admin:roles_skill_change", args=[skill.pk]), {"name": "X"})

    assert response.status_code == 403


def test_the_flagship_template_saves_unchanged_as_a_browser_posts_it(
    admin_client, seeded, admin_form_data
):
    role = Role.objects.drafts().get(slug="machine-learning-engineer")
    url = reverse("admin:roles_role_change", args=[role.pk])
    data = admin_form_data(admin_client.get(url))
    # A browser posts this form url-encoded (it has no file field).
    response = admin_client.post(url, urlencode(data, doseq=True), content_type=FORM_ENCODED)

    assert response.status_code == 302


def test_a_template_with_a_hundred_bullets_per_section_saves(admin_client, seeded, admin_form_data):
    role = Role.objects.drafts().get(slug="nlp-engineer")
    url = reverse("admin:roles_role_change", args=[role.pk])
    page = admin_client.get(url)
    data = admin_form_data(page)
    for inline in page.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        existing = int(data[f"{prefix}-TOTAL_FORMS"])
        for index in range(existing, 100):
            data[f"{prefix}-{index}-position"] = str(index + 1)
            data[f"{prefix}-{index}-text"] = f"{prefix} bullet {index + 1}"
        data[f"{prefix}-TOTAL_FORMS"] = "100"

    response = admin_client.post(url, urlencode(data, doseq=True), content_type=FORM_ENCODED)

    assert response.status_code == 302, response.context["adminform"].errors
    assert [len(role.items_in(section)) for section in Section] == [100] * len(Section)


def test_a_save_the_server_refuses_is_explained_inside_the_admin(
    admin_client, seeded, admin_form_data, settings
):
    role = Role.objects.drafts().get(slug="nlp-engineer")
    url = reverse("admin:roles_role_change", args=[role.pk])
    data = admin_form_data(admin_client.get(url))
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10  # as if the template had outgrown the limit

    response = admin_client.post(url, urlencode(data, doseq=True), content_type=FORM_ENCODED)

    page = response.content.decode()
    assert response.status_code == 400
    assert response.templates[0].name == "admin/400.html"
    assert "nothing was saved" in page
    assert "Your typing is still in the form." in page
    assert "at most 10 fields" in page
    assert 'id="site-name"' in page  # the admin's own header, not the public site's


def test_a_refused_public_form_gets_the_public_page(client, seeded):
    fields = {f"field{n}": "x" for n in range(300)}

    response = client.post(reverse("leads:contact"), fields)

    assert response.status_code == 400
    assert response.templates[0].name == "400.html"


def test_an_editor_keeps_the_pay_transparency_laws(client, editor):
    client.force_login(editor)

    listing = client.get(reverse("admin:roles_paytransparencylaw_changelist"), {"q": "WA"})
    response = client.post(
        reverse("admin:roles_paytransparencylaw_add"),
        {
            "jurisdiction": "Hawaii",
            "postal_code": "HI",
            "fips_code": "15",
            "law": "HRS § 378-2.4",
            "effective": "2024-01-01",
            "disclosure": "Employers with 50 or more employees must disclose a pay range.",
            "citation_url": "https://www.capitol.hawaii.gov/",
        },
    )

    assert "RCW 49.58.110" in listing.content.decode()
    assert response.status_code == 302
    assert PayTransparencyLaw.objects.filter(jurisdiction="Hawaii", postal_code="HI").exists()


def test_a_law_names_its_state_as_bls_does_with_codes_checked_field_by_field(client, editor):
    Area.objects.create(code="15", title="Hawaii", type=AreaType.STATE, state="Hawaii")
    client.force_login(editor)
    url = reverse("admin:roles_paytransparencylaw_add")
    law = {
        "law": "HRS § 378-2.4",
        "effective": "2024-01-01",
        "disclosure": "A wage range and a general description of benefits.",
        "citation_url": "https://www.capitol.hawaii.gov/",
    }

    refused = client.post(
        url, law | {"jurisdiction": "Hawai", "postal_code": "h", "fips_code": "1"}
    )
    saved = client.post(
        url, law | {"jurisdiction": "hawaii", "postal_code": "hi", "fips_code": "15"}
    )

    errors = refused.context["adminform"].form.errors
    assert errors["jurisdiction"] == [
        "Name the state as BLS does, e.g. Washington or District of Columbia."
    ]
    assert errors["postal_code"] == ["Enter the state's two-letter code, e.g. WA."]
    assert errors["fips_code"] == ["Enter the state's two-digit FIPS code, e.g. 53."]
    assert saved.status_code == 302
    assert PayTransparencyLaw.objects.filter(jurisdiction="Hawaii", postal_code="HI").exists()
