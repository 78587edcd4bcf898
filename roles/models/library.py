import re
from typing import TYPE_CHECKING

import reversion
from django.conf import settings
from django.db import models
from django.db.models import Case, Count, F, Q, Value, When
from django.db.models.functions import Lower
from django.urls import reverse

if TYPE_CHECKING:
    from roles.search import RoleSearch

# Lowercase ASCII words joined by single hyphens (DESIGN.md): "scikit-learn".
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
# A bullet saying that nothing is required ("Not required") is not a qualification.
NO_REQUIREMENT = re.compile(r"^\s*(not required|none( required)?|n/a)\s*\.?\s*$", re.IGNORECASE)


class Seniority(models.TextChoices):
    ENTRY = "entry", "Entry level"
    MID = "mid", "Mid level"
    SENIOR = "senior", "Senior"
    LEAD = "lead", "Lead"


# The usual years of experience at each level (DESIGN.md): entry 0-2, mid 2-5,
# senior 5-8, lead 8+. A stated minimum decides the level.
SENIORITY_YEARS = {
    Seniority.ENTRY: (0, 2),
    Seniority.MID: (2, 5),
    Seniority.SENIOR: (5, 8),
    Seniority.LEAD: (8, None),
}


def seniority_for_years(min_years: int) -> Seniority:
    for level, (low, high) in SENIORITY_YEARS.items():
        if min_years >= low and (high is None or min_years < high):
            return level
    raise ValueError(f"No seniority for {min_years} years")


class SeniorityBasis(models.TextChoices):
    STATED_YEARS = "stated_years", "From the years of experience the template states"
    EDITORIAL = "editorial", "Editor's choice (the template states no years)"


class SkillKind(models.TextChoices):
    LANGUAGE = "language", "Languages"
    FRAMEWORK = "framework", "Frameworks and libraries"
    CLOUD = "cloud", "Cloud platforms"
    MLOPS = "mlops", "MLOps tools"
    TECHNIQUE = "technique", "Techniques"
    HARDWARE = "hardware", "Hardware"
    SOFT = "soft", "Soft skills"


class Section(models.TextChoices):
    """The sections of a role template, in the order the seed page shows them."""

    RESPONSIBILITY = "responsibility", "Responsibilities"
    HARD_SKILL = "hard_skill", "Hard skills"
    SOFT_SKILL = "soft_skill", "Soft skills"
    EDUCATION = "education", "Education"
    CERTIFICATION = "certification", "Certifications"
    PREFERRED_QUALIFICATION = "preferred_qualification", "Preferred qualifications"


class Copy(models.TextChoices):
    """A template lives twice: the draft editors work on, and the copy visitors read.

    Publishing copies the draft over its published copy, so editing never
    changes the public page until an editor publishes.
    """

    DRAFT = "draft", "Draft (what editors edit)"
    LIVE = "live", "Published copy (what visitors read)"


# Sections whose bullets can be marked required or preferred; elsewhere the mark means nothing.
SECTIONS_WITH_REQUIREMENT = frozenset({"education", "certification"})


class Requirement(models.TextChoices):
    REQUIRED = "required", "Required"
    PREFERRED = "preferred", "Preferred"


class RoleFamily(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "role families"
        constraints = [
            models.CheckConstraint(
                condition=Q(slug__regex=SLUG_PATTERN), name="rolefamily_slug_format"
            )
        ]

    def __str__(self):
        return self.name


# Skills in the order a reader scans them: languages and tools before techniques.
KIND_ORDER = [
    SkillKind.LANGUAGE,
    SkillKind.FRAMEWORK,
    SkillKind.CLOUD,
    SkillKind.MLOPS,
    SkillKind.HARDWARE,
    SkillKind.TECHNIQUE,
    SkillKind.SOFT,
]


class SkillQuerySet(models.QuerySet):
    def by_kind(self) -> "SkillQuerySet":
        rank = Case(*(When(kind=kind, then=Value(i)) for i, kind in enumerate(KIND_ORDER)))
        # Names as people read them ("spaCy" among the s's), whatever the database's collation.
        return self.annotate(kind_rank=rank).order_by("kind_rank", Lower("name"), "name")

    def with_published_role_counts(self) -> "SkillQuerySet":
        return self.annotate(role_count=Count("roles", filter=Q(roles__published=True)))

    def in_use(self) -> "SkillQuerySet":
        """Skills that at least one published role needs."""
        return self.with_published_role_counts().filter(role_count__gt=0)


class Skill(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=20, choices=SkillKind.choices, db_index=True)

    objects = SkillQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        # Merging deletes skills and rewrites templates, drafts and published copies
        # alike: a step of its own, beyond changing a skill.
        permissions = [("merge_skill", "Can merge skills into one")]
        constraints = [
            models.CheckConstraint(condition=Q(slug__regex=SLUG_PATTERN), name="skill_slug_format")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("roles:skill", kwargs={"slug": self.slug})


class RoleQuerySet(models.QuerySet):
    def published(self) -> "RoleQuerySet":
        """What visitors see: published copies on the site (a draft is never published)."""
        return self.filter(published=True)

    def live(self) -> "RoleQuerySet":
        """The copies the site serves, published or withdrawn: one per published template."""
        return self.filter(copy=Copy.LIVE)

    def drafts(self) -> "RoleQuerySet":
        """The templates editors work on: one draft per template."""
        return self.filter(copy=Copy.DRAFT)

    def in_library_order(self) -> "RoleQuerySet":
        """General templates first, then their specialisations, each by title."""
        return self.order_by(F("parent").asc(nulls_first=True), "title")

    def for_cards(self) -> "RoleQuerySet":
        """Everything a role card shows, fetched up front."""
        return self.select_related("family").prefetch_related(
            models.Prefetch("skills", queryset=Skill.objects.by_kind())
        )

    def search(self, text: "str | RoleSearch") -> "RoleQuerySet":
        """Roles matching any word or phrase of `text`, best first (roles.search)."""
        # Imported here: roles.search builds on these models.
        from roles.search import read_search, search_roles

        if isinstance(text, str):
            text = read_search(text, roles=self)
        return search_roles(self, text)

    def related_to(self, role: "Role") -> "RoleQuerySet":
        """Other roles ranked by how many skills they share with `role`."""
        return (
            self.exclude(slug=role.slug)  # the role itself, as a draft or a published copy
            .annotate(shared_skills=Count("skills", filter=Q(skills__in=role.skills.all())))
            .filter(shared_skills__gt=0)
            .order_by("-shared_skills", "title")
        )


# Versions keep a template's content, its bullets (followed) and its skills;
# publishing state is not content, so it is left out.
@reversion.register(
    follow=["items"],
    exclude=[
        "copy",
        "live_copy",
        "published",
        "published_at",
        "published_by",
        "edited_at",
        "last_reviewed",
    ],
)
class Role(models.Model):
    title = models.CharField(max_length=150)
    slug = models.SlugField(
        max_length=150, help_text="The end of the page's address, as in /roles/nlp-engineer/."
    )
    family = models.ForeignKey(RoleFamily, on_delete=models.PROTECT, related_name="roles")
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="specialisations",
        help_text="The general template this one specialises.",
    )
    summary = models.CharField(
        max_length=300, help_text="One or two sentences for cards, search results and meta tags."
    )
    overview = models.TextField(help_text="Paragraphs separated by a blank line.")
    experience_min_years = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Lower end of the stated experience range."
    )
    experience_max_years = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Upper end; empty for an open range such as '2+ years'."
    )
    seniority = models.CharField(max_length=10, choices=Seniority.choices, db_index=True)
    seniority_basis = models.CharField(
        max_length=20, choices=SeniorityBasis.choices, default=SeniorityBasis.STATED_YEARS
    )
    seniority_note = models.CharField(
        max_length=300, blank=True, help_text="Why this level, when it is the editor's choice."
    )
    national_average_salary = models.PositiveIntegerField(
        null=True, blank=True, help_text="The agency's stated national average, in US dollars."
    )
    national_average_salary_source = models.CharField(max_length=300, blank=True)
    soc_code = models.CharField(
        "SOC code",
        max_length=7,
        help_text="The BLS occupation (SOC 2018) that stands in for this role in wage data.",
    )
    soc_title = models.CharField("SOC title", max_length=150)
    soc_rationale = models.CharField(
        "why this occupation", max_length=400, help_text="Shown to readers beside the wages."
    )
    skills = models.ManyToManyField(Skill, related_name="roles", blank=True)
    copy = models.CharField(
        max_length=5, choices=Copy.choices, default=Copy.DRAFT, editable=False, db_index=True
    )
    live_copy = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="draft",
        help_text="On a draft: its published copy, once it has been published.",
    )
    published = models.BooleanField(
        default=False,
        db_index=True,
        help_text="On the public site. Only a published copy can be; editors publish drafts.",
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    edited_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When an editor last changed the draft."
    )
    last_reviewed = models.DateField(
        null=True, blank=True, help_text="Set when an editor publishes the template."
    )

    objects = RoleQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(condition=Q(slug__regex=SLUG_PATTERN), name="role_slug_format"),
            models.UniqueConstraint(
                fields=["copy", "slug"],
                name="role_slug_unique_per_copy",
                violation_error_message="Another template already has this slug.",
            ),
            models.CheckConstraint(
                condition=Q(copy=Copy.LIVE) | Q(published=False),
                name="role_only_live_copies_published",
            ),
            models.CheckConstraint(
                condition=Q(copy=Copy.DRAFT) | Q(live_copy__isnull=True),
                name="role_live_copy_only_on_drafts",
            ),
            models.CheckConstraint(
                condition=Q(experience_max_years__isnull=True)
                | (
                    Q(experience_min_years__isnull=False)
                    & Q(experience_min_years__lte=models.F("experience_max_years"))
                ),
                name="role_experience_range_ordered",
                violation_error_message="The minimum years cannot be above the maximum.",
            ),
            models.CheckConstraint(
                condition=Q(national_average_salary__isnull=True)
                | Q(national_average_salary__gt=0),
                name="role_national_average_salary_positive",
                violation_error_message="The national average salary must be positive.",
            ),
            models.CheckConstraint(
                condition=Q(soc_code__regex=r"^[0-9]{2}-[0-9]{4}$"),
                name="role_soc_code_format",
                violation_error_message="A SOC code looks like 15-2051.",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("roles:detail", kwargs={"slug": self.slug})

    @property
    def has_unpublished_changes(self) -> bool:
        """On a draft: edited since it was last published (or never published)."""
        if self.published_at is None:
            return True
        return self.edited_at is not None and self.edited_at > self.published_at

    def overview_paragraphs(self) -> list[str]:
        # A blank line between paragraphs, whatever line endings the text came with.
        return [p.strip() for p in re.split(r"\r?\n\s*\r?\n", self.overview) if p.strip()]

    @property
    def experience_label(self) -> str:
        if self.experience_min_years is None:
            return ""
        if self.experience_max_years is None:
            return f"{self.experience_min_years}+ years"
        return f"{self.experience_min_years}-{self.experience_max_years} years"

    def sections(self) -> list[tuple[str, str, list["RoleItem"]]]:
        """(section value, heading, items) in the seed's order, empty sections left out.

        Reads `self.items.all()`, so a prefetch of `items` serves every section.
        """
        by_section: dict[str, list[RoleItem]] = {}
        for item in self.items.all():
            by_section.setdefault(item.section, []).append(item)
        return [
            (section.value, section.label, by_section[section.value])
            for section in Section
            if section.value in by_section
        ]

    def items_in(self, section: "Section") -> list[str]:
        return [item.text for item in self.items.all() if item.section == section]

    def occupation_json_ld(self, *, url: str, markets: list[tuple[dict, dict]] = ()) -> dict:
        """schema.org Occupation for search engines. A template is not a job
        posting, so never JobPosting. Reads prefetched `items` and `skills`.

        `markets` pairs a place with the BLS wage distribution there, the nation's
        first. schema.org ties an Occupation's estimatedSalary to its
        occupationLocation, so the nation's figures (and the agency's average) sit on
        the template's Occupation and each other market is an Occupation of its own
        in the same graph: no salary is left to be matched to its place by name."""
        national = [pair for pair in markets if pair[0].get("@type") == "Country"]
        others = [pair for pair in markets if pair[0].get("@type") != "Country"]
        category = {
            "@type": "CategoryCode",
            "codeValue": self.soc_code,
            "name": self.soc_title,
            "inCodeSet": {"@type": "CategoryCodeSet", "name": "SOC 2018"},
        }
        data = {
            "@type": "Occupation",
            "@id": f"{url}#occupation",
            "name": self.title,
            "description": self.summary,
            "url": url,
            "skills": [skill.name for skill in self.skills.all()],
            "responsibilities": self.items_in(Section.RESPONSIBILITY),
            "educationRequirements": self.items_in(Section.EDUCATION),
            "qualifications": [
                text
                for text in self.items_in(Section.CERTIFICATION)
                + self.items_in(Section.PREFERRED_QUALIFICATION)
                if not NO_REQUIREMENT.match(text)
            ],
            "occupationalCategory": category,
            "occupationLocation": [{"@type": "Country", "name": "United States"}],
        }
        if self.experience_min_years is not None:
            data["experienceRequirements"] = {
                "@type": "OccupationalExperienceRequirements",
                "monthsOfExperience": self.experience_min_years * 12,
                "description": self.experience_label,
            }
        estimated = [distribution for _, distribution in national]
        if self.national_average_salary:
            estimated.insert(
                0,
                {
                    "@type": "MonetaryAmount",
                    "name": "National average",
                    "currency": "USD",
                    "value": {
                        "@type": "QuantitativeValue",
                        "value": self.national_average_salary,
                        "unitText": "YEAR",
                    },
                },
            )
        if estimated:
            data["estimatedSalary"] = estimated
        if not others:
            return {"@context": "https://schema.org", **data}
        local = [
            {
                "@type": "Occupation",
                "@id": f"{url}#occupation-in-{place.get('identifier', {}).get('value', index)}",
                "name": self.title,
                "url": url,
                "occupationalCategory": category,
                "occupationLocation": [place],
                "estimatedSalary": [distribution],
            }
            for index, (place, distribution) in enumerate(others)
        ]
        return {"@context": "https://schema.org", "@graph": [data, *local]}


@reversion.register()
class RoleItem(models.Model):
    """One bullet of a role template, kept as written, in its section and place."""

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="items")
    section = models.CharField(max_length=30, choices=Section.choices)
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=500)
    requirement = models.CharField(
        max_length=10,
        choices=Requirement.choices,
        blank=True,
        help_text="For education and certifications: required or preferred.",
    )

    class Meta:
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["role", "section", "position"])]

    def __str__(self):
        return self.text
