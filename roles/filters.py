from collections import Counter
from dataclasses import dataclass
from functools import cached_property

import django_filters
from django import forms
from django.db.models import Count, QuerySet
from django.http import QueryDict
from django.urls import reverse

from roles.models import Role, RoleFamily, Seniority, Skill
from roles.search import RoleSearch, read_search
from roles.skills import skill_slugs_moved

MATCH_ALL, MATCH_ANY = "all", "any"
MAX_QUERY_LENGTH = 200
RoleSkill = Role.skills.through


class RoleFilter(django_filters.FilterSet):
    """The role library's filters, as in DESIGN.md's URL contract.

    Values that are not valid (an unknown skill, a 3,000-character search) are
    reported on the form and left out; the other filters still apply.
    """

    q = django_filters.CharFilter(
        label="Search",
        method="filter_search",
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "max_length": f"Search text is limited to {MAX_QUERY_LENGTH} characters; "
            "showing results without it."
        },
    )
    skill = django_filters.MultipleChoiceFilter(
        label="Skills",
        method="filter_skills",
        error_messages={"invalid_choice": "We don't know the skill “%(value)s”; it was left out."},
    )
    match = django_filters.ChoiceFilter(
        label="Roles need",
        choices=[(MATCH_ALL, "all selected skills"), (MATCH_ANY, "any selected skill")],
        method="filter_nothing",
        empty_label=None,
        widget=forms.RadioSelect,
    )
    seniority = django_filters.MultipleChoiceFilter(
        label="Seniority",
        choices=Seniority.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "“%(value)s” is not a seniority level; it was left out."},
    )
    family = django_filters.ChoiceFilter(
        label="Family",
        field_name="family__slug",
        empty_label="All families",
        error_messages={"invalid_choice": "We don't know the family “%(value)s”; it was left out."},
    )

    class Meta:
        model = Role
        fields = ["q", "skill", "match", "seniority", "family"]

    def __init__(self, data=None, *args, **kwargs):
        # Always bound, so that "no parameters" validates like any other request.
        super().__init__(data if data is not None else QueryDict(), *args, **kwargs)
        # Fetched once per request: the choices to validate against and the facets to count.
        self.skills = list(Skill.objects.by_kind().only("name", "slug", "kind"))
        self.families = list(RoleFamily.objects.only("name", "slug"))
        self.filters["skill"].extra["choices"] = [(s.slug, s.name) for s in self.skills]
        self.filters["family"].extra["choices"] = [(f.slug, f.name) for f in self.families]

    def moved_skills(self) -> dict[str, str]:
        """{old slug: the skill's slug now} for the chosen skills that were renamed or
        merged since the link was made. Today's slugs are never looked up."""
        known = {skill.slug for skill in self.skills}
        unknown = [slug for slug in self.data.getlist("skill") if slug not in known]
        return skill_slugs_moved(unknown) if unknown else {}

    @cached_property
    def search(self) -> RoleSearch:
        """The search text as read, once per request: the results and every facet
        count apply the same reading (and a corrected typo is said on the page)."""
        return read_search(
            self.cleaned_data.get("q") or "", roles=self.queryset, skills=self.skills
        )

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.search(self.search)

    def filter_skills(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        if not value:
            return queryset
        tagged = RoleSkill.objects.filter(skill__slug__in=value)
        if self.match_mode == MATCH_ANY:
            return queryset.filter(pk__in=tagged.values("role"))
        having_all = tagged.values("role").annotate(n=Count("skill")).filter(n=len(set(value)))
        return queryset.filter(pk__in=having_all.values("role"))

    def filter_nothing(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset  # `match` only changes how `skill` filters.

    @property
    def cleaned_data(self) -> dict:
        """The valid values only; invalid ones are reported on the form and left out."""
        self.is_valid()
        return self.form.cleaned_data

    @property
    def match_mode(self) -> str:
        return self.cleaned_data.get("match") or MATCH_ALL

    def filtered_without(self, *names: str) -> QuerySet:
        """The results with every valid filter applied except `names`."""
        queryset = self.queryset
        for name, value in self.cleaned_data.items():
            if name not in names:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def facet_options(self) -> dict[str, list]:
        """Every option of every facet with its count, as the filter form shows them.

        Skills come grouped by kind; a skill that would give no role is left out
        unless it is selected.
        """
        counts = self.facet_counts()
        data = self.cleaned_data
        seniority = [
            FacetOption(
                value, label, counts["seniority"][value], value in data.get("seniority", [])
            )
            for value, label in Seniority.choices
        ]
        family = [
            FacetOption(f.slug, f.name, counts["family"][f.slug], f.slug == data.get("family"))
            for f in self.families
        ]
        by_kind: dict[str, list[FacetOption]] = {}
        for skill in self.skills:
            selected = skill.slug in data.get("skill", [])
            option = FacetOption(skill.slug, skill.name, counts["skill"][skill.slug], selected)
            if option.count or option.selected:
                by_kind.setdefault(skill.get_kind_display(), []).append(option)
        skill_groups = [
            SkillGroup(label, options, is_open=position == 0 or any(o.selected for o in options))
            for position, (label, options) in enumerate(by_kind.items())
        ]
        return {"seniority": seniority, "family": family, "skill_groups": skill_groups}

    def facet_counts(self) -> dict[str, Counter]:
        """For each option of each filter, how many roles choosing it would give.

        Seniority and family options add to the other filters; skills too when
        all selected skills are required, while with `match=any` a skill widens
        the choice, so it is counted against the other filters alone.
        """
        by_seniority = (
            self.filtered_without("seniority").values("seniority").annotate(n=Count("pk"))
        )
        by_family = self.filtered_without("family").values("family__slug").annotate(n=Count("pk"))
        skill_base = self.filtered_without("skill") if self.match_mode == MATCH_ANY else self.qs
        by_skill = (
            RoleSkill.objects.filter(role__in=skill_base.values("pk"))
            .values("skill__slug")
            .annotate(n=Count("role"))
        )
        return {
            "seniority": Counter({row["seniority"]: row["n"] for row in by_seniority.order_by()}),
            "family": Counter({row["family__slug"]: row["n"] for row in by_family.order_by()}),
            "skill": Counter({row["skill__slug"]: row["n"] for row in by_skill.order_by()}),
        }


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class SkillGroup:
    label: str
    options: list[FacetOption]
    is_open: bool


@dataclass(frozen=True)
class Chip:
    """An active filter shown above the results, with the link that removes it."""

    name: str
    label: str
    remove_url: str


def active_filter_chips(filterset: RoleFilter) -> list[Chip]:
    data = filterset.cleaned_data
    names = {s.slug: s.name for s in filterset.skills}
    families = {f.slug: f.name for f in filterset.families}
    seniorities = dict(Seniority.choices)
    chips = []
    if data.get("q"):
        chips.append(Chip("q", f"Search: {data['q']}", _url_without(filterset.data, "q")))
    for slug in data.get("skill") or []:
        chips.append(Chip("skill", names[slug], _url_without(filterset.data, "skill", slug)))
    for level in data.get("seniority") or []:
        label = seniorities[level]
        chips.append(Chip("seniority", label, _url_without(filterset.data, "seniority", level)))
    if data.get("family"):
        label = families[data["family"]]
        chips.append(Chip("family", label, _url_without(filterset.data, "family")))
    return chips


@dataclass(frozen=True)
class Suggestion:
    label: str
    url: str
    count: int


SUGGESTION_LABELS = {
    "q": "the search",
    "skill": "the skill filters",
    "seniority": "the seniority filter",
    "family": "the family filter",
}


def drop_suggestions(filterset: RoleFilter) -> list[Suggestion]:
    """For an empty result: how many roles dropping each active filter would give."""
    data = filterset.cleaned_data
    suggestions = [
        Suggestion(
            label, _url_without(filterset.data, name), filterset.filtered_without(name).count()
        )
        for name, label in SUGGESTION_LABELS.items()
        if data.get(name)
    ]
    return sorted((s for s in suggestions if s.count), key=lambda s: -s.count)


def query_with_skills_moved(query: QueryDict, moved: dict[str, str]) -> str:
    """`query` with each old skill slug in `moved` replaced, every parameter in its place."""
    moved_query = query.copy()
    skills = (moved.get(slug, slug) for slug in query.getlist("skill"))
    # An old slug and its skill's slug now, both chosen, are one choice.
    moved_query.setlist("skill", list(dict.fromkeys(skills)))
    return moved_query.urlencode()


def _url_without(data: QueryDict, key: str, value: str | None = None) -> str:
    """The list URL with `key` (or just its `value`) removed, back on the first page."""
    remaining = data.copy()
    remaining.pop("page", None)
    if value is None:
        remaining.pop(key, None)
    else:
        remaining.setlist(key, [v for v in remaining.getlist(key) if v != value])
    query = remaining.urlencode()
    return reverse("roles:list") + (f"?{query}" if query else "")
