"""An editor's journey through a role template: edit, reorder by keyboard,
preview, publish, read the public page, and go back to an earlier version."""

import re

import pytest
from django.utils import dateformat, timezone
from playwright.sync_api import expect

from roles.models import RoleFamily, Skill

pytestmark = pytest.mark.django_db(transaction=True)

NEW_BULLET = "Reviews model cards with the legal team before each release."


def bullet(page, name: str):
    """The text box of one bullet in the editor, by its label ("Responsibility 3")."""
    return page.get_by_role("textbox", name=name, exact=True)


def public_responsibilities(page):
    return page.get_by_role("region", name="Responsibilities").get_by_role("listitem")


def test_an_editor_edits_previews_publishes_and_reverts_a_template(
    site, page, library, editor_login, sign_in, browser_errors, assert_accessible
):
    user, password = editor_login
    page.set_default_timeout(8000)
    sign_in(user, password)

    page.get_by_role("link", name="Roles", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Select role to change")
    assert_accessible(page)
    page.get_by_role("link", name="Natural Language Processing Engineer", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change role")
    assert_accessible(page)

    # A new responsibility goes to the end; two presses of "Move up" by keyboard lift it.
    responsibilities = page.get_by_role("group", name="Responsibilities")
    count = responsibilities.get_by_role("listitem").count()
    responsibilities.get_by_role("button", name="Add a responsibility").focus()
    page.keyboard.press("Enter")  # keyboard only, from adding to reordering
    expect(bullet(page, f"Responsibility {count + 1}")).to_be_focused()
    page.keyboard.type(NEW_BULLET)
    move_up = responsibilities.get_by_role("button", name=f"Move responsibility {count + 1} up")
    move_up.focus()
    page.keyboard.press("Enter")
    expect(bullet(page, f"Responsibility {count}")).to_have_value(NEW_BULLET)
    page.keyboard.press("Enter")  # focus stays on the moved bullet's button
    expect(bullet(page, f"Responsibility {count - 1}")).to_have_value(NEW_BULLET)
    expect(responsibilities.get_by_role("status")).to_have_text(
        f"Moved to position {count - 1} of {count + 1}."
    )
    assert_accessible(page)

    # With a mouse, the handle drags a hard skill below the next one.
    hard_skills = page.get_by_role("group", name="Hard skills")
    first, second = (bullet(page, f"Hard skill {n}").input_value() for n in (1, 2))
    below_second = hard_skills.locator("[data-bullet]").nth(1)
    box = below_second.bounding_box()
    hard_skills.locator(".bullet-handle").first.drag_to(
        below_second, target_position={"x": 40, "y": box["height"] - 4}
    )
    expect(bullet(page, "Hard skill 1")).to_have_value(second)
    expect(bullet(page, "Hard skill 2")).to_have_value(first)

    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()  # saved, not just sent
    expect(bullet(page, f"Responsibility {count - 1}")).to_have_value(NEW_BULLET)
    expect(bullet(page, "Hard skill 2")).to_have_value(first)

    # The preview shows the draft as the public page will; the public page is unchanged.
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Preview draft").click()
    preview = opened.value
    preview.wait_for_load_state()
    expect(preview.get_by_role("note")).to_contain_text("Preview of a draft")
    expect(public_responsibilities(preview).nth(count - 2)).to_have_text(NEW_BULLET)
    assert_accessible(preview)
    preview.close()
    site.go("/roles/nlp-engineer/")
    expect(page.get_by_text(NEW_BULLET)).to_have_count(0)
    page.go_back()

    # Publishing puts it on the site, reviewed today.
    page.get_by_role("button", name="Save and publish").click()
    expect(page.get_by_text("is published")).to_be_visible()
    page.get_by_role("link", name="view the public page").click()
    expect(public_responsibilities(page).nth(count - 2)).to_have_text(NEW_BULLET)
    today = dateformat.format(timezone.localdate(), "F j, Y")
    expect(page.get_by_text(f"Last reviewed {today}.")).to_be_visible()
    page.go_back()

    # The history compares versions and takes the template back to the seed's.
    page.get_by_role("link", name="History").click()
    assert_accessible(page)
    page.get_by_role("radio", name=re.compile("^Compare from")).last.check()  # the seed's
    page.get_by_role("button", name="Compare the chosen versions").click()
    expect(page.get_by_text(NEW_BULLET)).to_be_visible()
    assert_accessible(page)
    page.go_back()
    page.get_by_role("button", name="Revert to this version").last.click()
    expect(page.get_by_text("is back to its version of")).to_be_visible()
    expect(page.get_by_text(NEW_BULLET)).to_have_count(0)
    page.get_by_role("button", name="Save and publish").click()
    expect(page.get_by_text("is published")).to_be_visible()
    site.go("/roles/nlp-engineer/")
    expect(page.get_by_text(NEW_BULLET)).to_have_count(0)

    assert browser_errors == []


def test_every_page_an_editor_works_on_passes_axe(
    site, page, wages, editor_login, sign_in, browser_errors, assert_accessible
):
    user, password = editor_login
    sign_in(user, password)
    pages = {
        "/admin/": "Leads and role templates",
        "/admin/roles/": "Role library administration",
        "/admin/roles/role/?status=live&seniority__exact=mid": "Select role to change",
        "/admin/roles/role/add/": "Add role",
        "/admin/roles/rolefamily/": "Select role family to change",
        f"/admin/roles/rolefamily/{RoleFamily.objects.first().pk}/change/": "Change role family",
        "/admin/roles/skill/?kind__exact=framework": "Select skill to change",
        f"/admin/roles/skill/{Skill.objects.get(slug='pytorch').pk}/change/": "Change skill",
        "/admin/roles/skill/add/": "Add skill",
        "/admin/roles/area/?type__exact=metro": "Select area to view",
        "/admin/roles/occupationwage/": "Select occupation wage to view",
    }

    for path, heading in pages.items():
        site.go(path)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert_accessible(page)

    assert browser_errors == []
