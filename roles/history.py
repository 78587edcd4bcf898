"""Every version of a role template, what changed between two, and going back to one.

django-reversion stores the versions: each is one revision holding the draft (its
fields and skills) and its bullets, with who and why. Revisions are recorded
explicitly (`version_record`) where a template changes: the admin's save,
publishing, a revert, a re-sync from the seed, a skill merge. Nothing is recorded
behind the code's back, and published copies are never versioned (they are
copies of a recorded draft).
"""

import datetime
import difflib
from dataclasses import dataclass, field

import reversion
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from reversion.models import Version

from roles.models import Role, RoleFamily, RoleItem, Section, Skill

# The fields a version shows and a revert restores, with their labels, in form order.
VERSIONED_FIELDS = {
    "title": "Title",
    "slug": "Slug",
    "family_id": "Family",
    "parent_id": "Specialises",
    "summary": "Summary",
    "overview": "Overview",
    "experience_min_years": "Minimum years of experience",
    "experience_max_years": "Maximum years of experience",
    "seniority": "Seniority",
    "seniority_basis": "Seniority basis",
    "seniority_note": "Seniority note",
    "national_average_salary": "National average salary",
    "national_average_salary_source": "Salary source",
    "soc_code": "SOC code",
    "soc_title": "SOC title",
    "soc_rationale": "Why this occupation",
}


def version_record(*, draft: Role, by, comment: str) -> None:
    """Keep the draft as it is now (fields, skills, bullets) as a new version."""
    with reversion.create_revision(manage_manually=True):
        reversion.add_to_revision(draft)  # follows its bullets
        reversion.set_user(by)
        reversion.set_comment(comment)


def versions_of(draft: Role):
    """The draft's versions, newest first, with who made them."""
    return (
        Version.objects.get_for_object(draft)
        .select_related("revision", "revision__user")
        .order_by("-revision__date_created", "-pk")
    )


@dataclass
class Snapshot:
    """A template's content at one moment, as plain values for comparing."""

    fields: dict[str, object]
    skills: list[int]
    bullets: list[dict] = field(default_factory=list)

    @classmethod
    def of_version(cls, version: Version) -> "Snapshot":
        data = version.field_dict
        item_type = ContentType.objects.get_for_model(RoleItem)
        bullets = [
            item.field_dict for item in version.revision.version_set.filter(content_type=item_type)
        ]
        return cls(
            fields={name: data.get(name) for name in VERSIONED_FIELDS},
            skills=list(data.get("skills", [])),
            bullets=sorted(bullets, key=lambda b: (b["position"], b["id"])),
        )

    @classmethod
    def of_draft(cls, draft: Role) -> "Snapshot":
        return cls(
            fields={name: getattr(draft, name) for name in VERSIONED_FIELDS},
            skills=list(draft.skills.values_list("pk", flat=True)),
            bullets=list(
                draft.items.order_by("position", "pk").values(
                    "id", "section", "position", "text", "requirement"
                )
            ),
        )

    def section_texts(self, section: str) -> list[str]:
        return [
            bullet["text"] + (f" ({bullet['requirement']})" if bullet["requirement"] else "")
            for bullet in self.bullets
            if bullet["section"] == section
        ]


@dataclass
class FieldChange:
    label: str
    old: str
    new: str
    words: list[tuple[str, str]]  # (equal | delete | insert, text) for long text


@dataclass
class SectionChange:
    label: str
    lines: list[tuple[str, str]]  # (equal | delete | insert, bullet)


@dataclass
class Diff:
    fields: list[FieldChange]
    sections: list[SectionChange]
    skills_added: list[str]
    skills_removed: list[str]

    def __bool__(self):
        return bool(self.fields or self.sections or self.skills_added or self.skills_removed)


def diff(old: Snapshot, new: Snapshot) -> Diff:
    """What changed from `old` to `new`, in words an editor reads."""
    names = _display_names(old, new)
    fields = []
    for name, label in VERSIONED_FIELDS.items():
        before, after = old.fields.get(name), new.fields.get(name)
        if before != after:
            before_text = names.get((name, before), _text(before))
            after_text = names.get((name, after), _text(after))
            fields.append(
                FieldChange(label, before_text, after_text, _word_diff(before_text, after_text))
            )
    sections = []
    for section in Section:
        before, after = old.section_texts(section.value), new.section_texts(section.value)
        if before != after:
            sections.append(SectionChange(section.label, _line_diff(before, after)))
    skill_names = dict(
        Skill.objects.filter(pk__in={*old.skills, *new.skills}).values_list("pk", "name")
    )

    def named(pks):
        return sorted(skill_names.get(pk, f"(a deleted skill, #{pk})") for pk in pks)

    return Diff(
        fields=fields,
        sections=sections,
        skills_added=named(set(new.skills) - set(old.skills)),
        skills_removed=named(set(old.skills) - set(new.skills)),
    )


def version_revert(*, draft: Role, version: Version, by) -> list[str]:
    """Make the draft what it was in `version` (fields, bullets, skills) and record
    that as a new version; returns what could not be restored, for the editor."""
    snapshot = Snapshot.of_version(version)
    lost = []
    with transaction.atomic():
        for name in VERSIONED_FIELDS:
            setattr(draft, name, snapshot.fields[name])
        if not RoleFamily.objects.filter(pk=draft.family_id).exists():
            draft.family_id = Role.objects.values_list("family_id", flat=True).get(pk=draft.pk)
            lost.append("its family, since deleted (the current one is kept)")
        if draft.parent_id and not Role.objects.drafts().filter(pk=draft.parent_id).exists():
            draft.parent = None
            lost.append("the template it specialised, since deleted")
        draft.edited_at = timezone.now()
        draft.save()
        draft.items.all().delete()
        RoleItem.objects.bulk_create(
            RoleItem(
                role=draft,
                section=bullet["section"],
                position=bullet["position"],
                text=bullet["text"],
                requirement=bullet["requirement"],
            )
            for bullet in snapshot.bullets
        )
        skills = list(Skill.objects.filter(pk__in=snapshot.skills))
        draft.skills.set(skills)
        if len(skills) < len(snapshot.skills):
            lost.append(f"{len(snapshot.skills) - len(skills)} skill(s) since deleted or merged")
        when = timezone.localtime(version.revision.date_created)
        version_record(
            draft=draft, by=by, comment=f"Reverted to the version of {when:%b %-d, %Y, %H:%M}"
        )
    return lost


def _display_names(old: Snapshot, new: Snapshot) -> dict[tuple[str, object], str]:
    """Names for the foreign keys and choices a snapshot holds as raw values."""
    family_ids = {s.fields.get("family_id") for s in (old, new)}
    parent_ids = {s.fields.get("parent_id") for s in (old, new)}
    names = {
        ("family_id", pk): name
        for pk, name in RoleFamily.objects.filter(pk__in=family_ids).values_list("pk", "name")
    }
    names |= {
        ("parent_id", pk): title
        for pk, title in Role.objects.filter(pk__in=parent_ids).values_list("pk", "title")
    }
    for name in ("seniority", "seniority_basis"):
        choices = dict(Role._meta.get_field(name).choices)
        names |= {(name, value): str(label) for value, label in choices.items()}
    return names


def _text(value) -> str:
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, datetime.date):
        return f"{value:%b %-d, %Y}"
    return str(value)


def _word_diff(before: str, after: str) -> list[tuple[str, str]]:
    if len(before) < 80 and len(after) < 80:
        return []  # short values read best as old -> new
    old_words, new_words = before.split(" "), after.split(" ")
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(("equal", " ".join(old_words[i1:i2])))
            continue
        if i2 > i1:
            parts.append(("delete", " ".join(old_words[i1:i2])))
        if j2 > j1:
            parts.append(("insert", " ".join(new_words[j1:j2])))
    return parts


def _line_diff(before: list[str], after: list[str]) -> list[tuple[str, str]]:
    lines = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            lines.extend(("equal", line) for line in before[i1:i2])
            continue
        lines.extend(("delete", line) for line in before[i1:i2])
        lines.extend(("insert", line) for line in after[j1:j2])
    return lines
