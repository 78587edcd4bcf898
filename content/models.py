"""Pages editors write for the public site: the agency's staffing services and the
insights blog. Each is a draft until an editor publishes it; the body is Markdown,
rendered to sanitised HTML once, on save (content.rendering)."""

import reversion
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from content.rendering import render_markdown
from roles.models import SLUG_PATTERN, Copy, Role, RoleFamily, Skill


class Status(models.TextChoices):
    DRAFT = "draft", "Draft (not on the site)"
    PUBLISHED = "published", "Published"


class PublishableQuerySet(models.QuerySet):
    def published(self):
        """What visitors see: published, from its publication time on."""
        return self.filter(status=Status.PUBLISHED, published_at__lte=timezone.now())


class Publishable(models.Model):
    title = models.CharField(max_length=150)
    slug = models.SlugField(
        max_length=150,
        unique=True,
        help_text="The end of the page's address: lowercase words joined by hyphens.",
    )
    summary = models.CharField(
        max_length=300,
        help_text="One or two sentences for the list, search results and the page's description.",
    )
    body = models.TextField(
        help_text=(
            "Markdown: a blank line between paragraphs, '# ' for a section heading, "
            "'- ' for a bullet, [words](/roles/nlp-engineer/) for a link. Link to the site's "
            "own pages by their path; links to other sites are marked nofollow. Scripts, "
            "styles and images are removed."
        )
    )
    # The body as HTML, made on save: pages never render Markdown per request.
    body_html = models.TextField(editable=False, default="")
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        help_text=(
            "Empty: set when you publish. A later date keeps a published page off the "
            "site until then."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "body" in update_fields:
            self.body_html = render_markdown(self.body)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "body_html"}
        self._date_if_published()
        super().save(*args, **kwargs)

    def clean(self):
        # Before the constraints are validated: published without a date means now.
        self._date_if_published()

    def _date_if_published(self) -> None:
        if self.status == Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()

    @property
    def is_public(self) -> bool:
        return (
            self.status == Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    def publish(self, *, at=None) -> None:
        """On the site from `at` (or now), unless it already has a publication time."""
        self.status = Status.PUBLISHED
        self.published_at = self.published_at or at or timezone.now()
        self.save(update_fields=["status", "published_at", "updated_at"])

    def unpublish(self) -> None:
        """Off the site, back to a draft; its publication time stays for when it returns."""
        self.status = Status.DRAFT
        self.save(update_fields=["status", "updated_at"])


def _publishable_constraints(name: str) -> list:
    return [
        models.CheckConstraint(condition=Q(slug__regex=SLUG_PATTERN), name=f"{name}_slug_format"),
        models.CheckConstraint(
            condition=Q(status=Status.DRAFT) | Q(published_at__isnull=False),
            name=f"{name}_published_has_date",
        ),
    ]


@reversion.register()
class ServicePage(Publishable):
    """One of the agency's staffing solutions, as editors describe it."""

    position = models.PositiveSmallIntegerField(
        default=0, help_text="Where it comes in the list of services: lower first."
    )

    class Meta:
        ordering = ["position", "title"]
        verbose_name = "service page"
        constraints = _publishable_constraints("servicepage")

    def get_absolute_url(self):
        return reverse("content:service", kwargs={"slug": self.slug})


class ArticleQuerySet(PublishableQuerySet):
    def newest_first(self):
        return self.order_by("-published_at", "-pk")

    def for_cards(self):
        """Everything an article's card shows, fetched up front."""
        return self.prefetch_related(
            models.Prefetch("families", queryset=RoleFamily.objects.order_by("name")),
            models.Prefetch("skills", queryset=Skill.objects.order_by("name")),
        )

    def about(self, role: Role):
        """Articles on `role`: a published copy, or a draft through its published copy."""
        live_id = role.pk if role.copy == Copy.LIVE else role.live_copy_id
        return self.filter(roles=live_id) if live_id else self.none()


@reversion.register()
class Article(Publishable):
    """An insights article. It discusses role templates through their published
    copies: publishing a template again keeps the same published copy, and a
    withdrawn one is only hidden, so the links survive both."""

    families = models.ManyToManyField(
        RoleFamily, blank=True, related_name="articles", verbose_name="role families"
    )
    skills = models.ManyToManyField(Skill, blank=True, related_name="articles")
    roles = models.ManyToManyField(
        Role,
        blank=True,
        related_name="articles",
        limit_choices_to={"copy": Copy.LIVE},
        verbose_name="role templates discussed",
        help_text=(
            "Templates published on the site; each one's page lists this article. "
            "A template never published cannot be chosen yet."
        ),
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        constraints = _publishable_constraints("article")

    def get_absolute_url(self):
        return reverse("content:article", kwargs={"slug": self.slug})

    def tags(self) -> list:
        """Families then skills, from prefetched `families` and `skills`."""
        return [*self.families.all(), *self.skills.all()]


class ShownQuerySet(models.QuerySet):
    def shown(self):
        return self.filter(is_published=True).order_by("position", "pk")


class ShownOnSite(models.Model):
    """Agency content with no page of its own: off the site until an editor ticks it."""

    is_published = models.BooleanField("show on the site", default=False)
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower comes first.")

    objects = ShownQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["position", "pk"]


class Testimonial(ShownOnSite):
    """What a client said of the agency, quoted with their agreement. Nothing is
    shown until an editor enters a real one and ticks "Show on the site"."""

    quote = models.TextField(max_length=600)
    person_name = models.CharField("who said it", max_length=100)
    person_title = models.CharField("their job title", max_length=100, blank=True)
    company = models.CharField(max_length=100, blank=True)
    permission = models.CharField(
        "permission to quote",
        max_length=200,
        help_text="Who agreed to be quoted, and when. Kept for the record, not shown.",
    )

    def __str__(self):
        return f"{self.person_name}: {self.quote[:60]}"

    @property
    def attribution(self) -> str:
        return ", ".join(part for part in (self.person_title, self.company) if part)


class PlacementFigure(ShownOnSite):
    """A figure about the agency's placements ("142 | ML engineers placed in 2025"),
    with where it comes from. Nothing is shown until an editor enters a real one."""

    figure = models.CharField(max_length=20, help_text="As it should read: “142”, “18 days”.")
    label = models.CharField(max_length=100, help_text="What it counts: “ML engineers placed”.")
    source = models.CharField(
        max_length=200,
        help_text="Where the figure comes from (the agency's records...); shown beside it.",
    )
    as_of = models.DateField("true as of")

    def __str__(self):
        return f"{self.figure} {self.label}"
