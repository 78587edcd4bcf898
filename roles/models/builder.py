"""What the job description builder keeps: an employer's saved drafts, and the pay
transparency laws editors maintain (roles.builder)."""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from roles.models.library import Role
from roles.wages.models import Area, AreaType


def new_draft_token() -> str:
    # 144 random bits: a link nobody can guess or enumerate.
    return secrets.token_urlsafe(18)


class PostingDraftQuerySet(models.QuerySet):
    def expired(self, now: datetime.datetime | None = None) -> "PostingDraftQuerySet":
        """Drafts not saved again within settings.BUILDER_DRAFT_RETENTION_DAYS."""
        cutoff = (now or timezone.now()) - datetime.timedelta(
            days=settings.BUILDER_DRAFT_RETENTION_DAYS
        )
        return self.filter(saved_at__lt=cutoff)


class PostingDraft(models.Model):
    """A job description an employer saved in the builder, under a link of its own.
    No account and nothing of the employer's beyond what they typed into the posting."""

    token = models.CharField(max_length=32, unique=True, default=new_draft_token, editable=False)
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="posting_drafts")
    answers = models.JSONField(help_text="The builder's form as the employer last saved it.")
    # The posting as it read when saved: what an inquiry carries to the recruiter.
    text = models.TextField(help_text="The job description as plain text, as last saved.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    saved_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = PostingDraftQuerySet.as_manager()

    class Meta:
        verbose_name = "saved job description"

    def __str__(self):
        return f"{self.answers.get('title') or self.role.title} (saved {self.saved_at:%Y-%m-%d})"

    def get_absolute_url(self):
        return reverse("roles:customised", args=[self.role.slug, self.token])

    @property
    def expires_on(self) -> datetime.date:
        kept = datetime.timedelta(days=settings.BUILDER_DRAFT_RETENTION_DAYS)
        return timezone.localdate(self.saved_at + kept)


class PayTransparencyLawQuerySet(models.QuerySet):
    def covering(self, area: Area | None) -> "PayTransparencyLawQuerySet":
        """Laws of the states a BLS area lies in: a state by its name, a metro by the postal
        codes in its title ("NY-NJ-PA"), a nonmetropolitan area by the state FIPS code its
        area code starts with. The nation is no jurisdiction."""
        if area is None or area.type in (AreaType.NATIONAL, AreaType.TERRITORY):
            return self.none()
        if area.type == AreaType.STATE:
            return self.filter(jurisdiction=area.state or area.title)
        if area.type == AreaType.NONMETRO:
            return self.filter(fips_code=area.code[:2])
        return self.filter(postal_code__in=[code for code in area.state.split("-") if code])


class PayTransparencyLaw(models.Model):
    """A state's salary-range posting law, entered by an editor from its citation. The
    builder names it for postings in that state; it is information, not legal advice."""

    jurisdiction = models.CharField(
        max_length=100, unique=True, help_text='The state as BLS names it, e.g. "Washington".'
    )
    postal_code = models.CharField(
        max_length=2, unique=True, help_text="USPS code, as metro titles use it: WA."
    )
    fips_code = models.CharField(
        "FIPS code",
        max_length=2,
        unique=True,
        help_text="State FIPS code: BLS nonmetropolitan area codes start with it (Washington 53).",
    )
    law = models.CharField(
        max_length=200, help_text='How the builder names it, e.g. "RCW 49.58.110".'
    )
    disclosure = models.TextField(
        help_text="What a posting must disclose, and for which employers, in plain words."
    )
    effective = models.DateField(help_text="When the posting requirement took effect.")
    citation_url = models.URLField(
        "citation", max_length=300, help_text="The statute or the official page."
    )

    objects = PayTransparencyLawQuerySet.as_manager()

    class Meta:
        ordering = ["jurisdiction"]
        verbose_name = "pay transparency law"
        constraints = [
            models.CheckConstraint(
                condition=Q(postal_code__regex=r"^[A-Z]{2}$"), name="law_postal_code_format"
            ),
            models.CheckConstraint(
                condition=Q(fips_code__regex=r"^[0-9]{2}$"), name="law_fips_code_format"
            ),
        ]

    def __str__(self):
        return f"{self.jurisdiction}: {self.law}"
