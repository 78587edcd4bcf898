import pytest

from roles.history import versions_of
from roles.models import Role, Skill, SkillSlugRedirect
from roles.services import role_publish
from roles.skills import (
    MergeError,
    skill_for_old_slug,
    skill_merge,
    skill_rename,
    skill_slugs_moved,
)
from roles.tests.factories import RoleFactory, SkillFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user("editor", password="x", is_staff=True)


def rename(skill: Skill, slug: str) -> None:
    """As the admin saves a skill whose slug an editor changed."""
    old_slug, skill.slug = skill.slug, slug
    skill.save()
    skill_rename(skill=skill, old_slug=old_slug)


def published_template(*skills, by=None, **fields) -> Role:
    """A template's draft with `skills`, published: its published copy has them too."""
    draft = RoleFactory(published=False, skills=list(skills), **fields)
    role_publish(draft=draft, by=by)
    draft.refresh_from_db()
    return draft


def slugs(role: Role) -> set[str]:
    return set(role.skills.values_list("slug", flat=True))


def redirects() -> dict[str, str]:
    return dict(SkillSlugRedirect.objects.values_list("old_slug", "skill__slug"))


class TestRename:
    def test_the_old_slug_leads_to_the_skill(self):
        skill = SkillFactory(name="PyTorch", slug="pytorch")

        rename(skill, "torch")

        assert skill_for_old_slug("pytorch") == skill
        assert redirects() == {"pytorch": "torch"}

    def test_a_skill_renamed_twice_is_reached_from_both_old_slugs(self):
        skill = SkillFactory(slug="pytorch")

        rename(skill, "torch")
        rename(skill, "py-torch")

        assert redirects() == {"pytorch": "py-torch", "torch": "py-torch"}

    def test_renaming_back_drops_the_redirect_from_the_slug_taken_back(self):
        skill = SkillFactory(slug="pytorch")
        rename(skill, "torch")

        rename(skill, "pytorch")

        assert redirects() == {"torch": "pytorch"}

    def test_a_new_skill_takes_over_an_old_address(self):
        rename(SkillFactory(slug="pytorch"), "torch")
        newcomer = SkillFactory(name="PyTorch (the new one)", slug="pytorch")

        skill_rename(skill=newcomer, old_slug=None)

        assert redirects() == {}

    def test_saving_without_a_new_slug_records_nothing(self):
        skill = SkillFactory(slug="pytorch")

        skill_rename(skill=skill, old_slug="pytorch")

        assert redirects() == {}


class TestMerge:
    def test_drafts_and_published_copies_get_the_survivor_instead(self, editor):
        torch, pytorch = SkillFactory(slug="torch"), SkillFactory(slug="pytorch")
        other = SkillFactory(slug="docker")
        draft = published_template(pytorch, other, by=editor)

        skill_merge(survivor=torch, merged=[pytorch], by=editor)

        assert slugs(draft) == {"torch", "docker"}
        assert slugs(draft.live_copy) == {"torch", "docker"}
        assert not Skill.objects.filter(slug="pytorch").exists()

    def test_a_role_gets_the_survivor_once_however_many_merged_skills_it_had(self, editor):
        torch = SkillFactory(slug="torch")
        pytorch, py_torch = SkillFactory(slug="pytorch"), SkillFactory(slug="py-torch")
        both = published_template(pytorch, py_torch, by=editor)
        with_survivor = published_template(torch, pytorch, by=editor)

        skill_merge(survivor=torch, merged=[pytorch, py_torch], by=editor)

        for role in (both, both.live_copy, with_survivor, with_survivor.live_copy):
            assert list(role.skills.values_list("slug", flat=True)) == ["torch"]

    def test_roles_without_the_merged_skills_are_left_alone(self, editor):
        torch, pytorch = SkillFactory(slug="torch"), SkillFactory(slug="pytorch")
        docker = SkillFactory(slug="docker")
        untouched = published_template(docker, by=editor)

        changed = skill_merge(survivor=torch, merged=[pytorch], by=editor)

        assert changed == []
        assert slugs(untouched) == slugs(untouched.live_copy) == {"docker"}
        assert versions_of(untouched).count() == 1  # its publication only

    def test_a_published_copy_without_its_drafts_skill_still_changes(self, editor):
        torch, pytorch = SkillFactory(slug="torch"), SkillFactory(slug="pytorch")
        draft = published_template(pytorch, by=editor)
        draft.skills.set([])  # an edit not published yet

        changed = skill_merge(survivor=torch, merged=[pytorch], by=editor)

        assert changed == []
        assert slugs(draft) == set()
        assert slugs(draft.live_copy) == {"torch"}

    def test_the_merged_skills_addresses_lead_to_the_survivor_old_ones_included(self, editor):
        torch = SkillFactory(slug="torch")
        pytorch = SkillFactory(slug="pytorch")
        rename(pytorch, "py-torch")  # pytorch -> py-torch
        rename(torch, "torch-2")  # torch -> torch-2, the survivor's own old address

        skill_merge(survivor=torch, merged=[pytorch], by=editor)

        assert redirects() == {"pytorch": "torch-2", "py-torch": "torch-2", "torch": "torch-2"}

    def test_each_changed_draft_keeps_a_version_saying_why(self, editor):
        torch = SkillFactory(name="PyTorch", slug="torch")
        pytorch = SkillFactory(name="Pytorch 2", slug="pytorch")
        py_torch = SkillFactory(name="Py-Torch", slug="py-torch")
        one = published_template(pytorch, by=editor, title="Vision Engineer")
        two = published_template(pytorch, py_torch, by=editor, title="Edge Engineer")

        changed = skill_merge(survivor=torch, merged=[pytorch, py_torch], by=editor)

        assert changed == [two, one]  # by title
        latest = versions_of(one).first()
        assert latest.revision.get_comment() == "Skill Pytorch 2 merged into PyTorch"
        assert latest.revision.user == editor
        assert latest.field_dict["skills"] == [torch.pk]
        assert (
            versions_of(two).first().revision.get_comment()
            == "Skills Py-Torch and Pytorch 2 merged into PyTorch"
        )

    def test_a_published_template_stays_up_to_date(self, editor):
        torch, pytorch = SkillFactory(slug="torch"), SkillFactory(slug="pytorch")
        draft = published_template(pytorch, by=editor)

        skill_merge(survivor=torch, merged=[pytorch], by=editor)

        draft.refresh_from_db()
        assert not draft.has_unpublished_changes

    def test_a_skill_cannot_be_merged_into_itself(self, editor):
        torch = SkillFactory(slug="torch")

        with pytest.raises(MergeError, match="cannot be merged into itself"):
            skill_merge(survivor=torch, merged=[torch], by=editor)
        with pytest.raises(MergeError, match="at least one skill"):
            skill_merge(survivor=torch, merged=[], by=editor)

    def test_a_skill_gone_meanwhile_stops_the_merge_before_anything_changes(self, editor):
        torch, pytorch = SkillFactory(slug="torch"), SkillFactory(slug="pytorch")
        gone = SkillFactory(slug="py-torch")
        draft = published_template(pytorch, by=editor)
        Skill.objects.filter(pk=gone.pk).delete()

        with pytest.raises(MergeError, match="deleted or merged meanwhile"):
            skill_merge(survivor=torch, merged=[pytorch, gone], by=editor)

        assert slugs(draft) == {"pytorch"}
        assert redirects() == {}


def test_only_old_addresses_are_looked_up_and_only_slugs(django_assert_num_queries):
    rename(SkillFactory(slug="pytorch"), "torch")

    assert skill_slugs_moved(["pytorch", "docker"]) == {"pytorch": "torch"}
    with django_assert_num_queries(0):
        assert skill_slugs_moved(["Py Torch", "a\x00b", ""]) == {}
