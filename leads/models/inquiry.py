from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from roles.models import Role, RoleFamily, Seniority


class RemotePolicy(models.TextChoices):
    ONSITE = "onsite", "On-site"
    HYBRID = "hybrid", "Hybrid"
    REMOTE = "remote", "Remote"
    FLEXIBLE = "flexible", "Open to any"


class Timeline(models.TextChoices):
    ASAP = "asap", "As soon as possible"
    WITHIN_3_MONTHS = "3_months", "Within 3 months"
    WITHIN_6_MONTHS = "6_months", "Within 6 months"
    EXPLORING = "exploring", "Just exploring"


class Inquiry(models.Model):
    """One submission of the contact form: what was asked for, and from where."""

    lead = models.ForeignKey("leads.Lead", on_delete=models.CASCADE, related_name="inquiries")
    submission_key = models.CharField(
        max_length=64, unique=True, help_text="From the form's token: a double submit is one."
    )
    submitted_at = models.DateTimeField(default=timezone.now)

    # What for.
    roles = models.ManyToManyField(Role, blank=True, related_name="inquiries")
    hires = models.PositiveSmallIntegerField(
        "number of hires", validators=[MinValueValidator(1), MaxValueValidator(999)]
    )
    location = models.CharField(max_length=150)
    # Optional: blank when the employer did not say (never a default they did not pick).
    remote_policy = models.CharField(max_length=20, choices=RemotePolicy.choices, blank=True)
    timeline = models.CharField(max_length=20, choices=Timeline.choices, blank=True)
    message = models.TextField(blank=True)
    consent_at = models.DateTimeField(help_text="When the employer agreed to be contacted.")

    # Where from: what the visitor was looking at.
    source_page = models.CharField(max_length=300, blank=True)
    context_role = models.ForeignKey(
        Role, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    context_family = models.ForeignKey(
        RoleFamily, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    context_area = models.CharField("BLS area", max_length=10, blank=True)
    context_seniority = models.CharField(max_length=10, choices=Seniority.choices, blank=True)
    referrer = models.CharField(max_length=300, blank=True)
    utm_source = models.CharField(max_length=100, blank=True)
    utm_medium = models.CharField(max_length=100, blank=True)
    utm_campaign = models.CharField(max_length=100, blank=True)
    utm_term = models.CharField(max_length=100, blank=True)
    utm_content = models.CharField(max_length=100, blank=True)
    # A job description the employer built and sent with the request: a copy, kept as
    # long as the inquiry (the saved draft it came from is deleted sooner), and its link.
    job_description = models.TextField(
        blank=True, help_text="The posting the employer built in the job description builder."
    )
    posting_draft = models.ForeignKey(
        "roles.PostingDraft",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inquiries",
        help_text="Its saved link, until the builder's retention period deletes it.",
    )

    # Email bookkeeping: a stamp makes a second send impossible. A claim is taken
    # (and committed) before the mail server is called, so no row lock is held while
    # it answers; a claim older than the lease belongs to a worker that died.
    notified_at = models.DateTimeField(null=True, blank=True)
    notification_claimed_at = models.DateTimeField(null=True, blank=True)
    notification_attempts = models.PositiveSmallIntegerField(default=0)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmation_claimed_at = models.DateTimeField(null=True, blank=True)
    confirmation_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name_plural = "inquiries"
        constraints = [
            models.CheckConstraint(
                condition=Q(hires__gte=1) & Q(hires__lte=999), name="inquiry_hires_range"
            )
        ]

    def __str__(self):
        return f"Inquiry #{self.pk}"

    # What an employer left unanswered reads as such, never as a choice.
    NOT_SAID = "Not sure yet"

    @property
    def remote_policy_label(self) -> str:
        return self.get_remote_policy_display() or self.NOT_SAID

    @property
    def timeline_label(self) -> str:
        return self.get_timeline_display() or self.NOT_SAID

    @property
    def campaign(self) -> str:
        """Source / medium / campaign as the link carried them, the missing ones left out:
        "newsletter / spring", not "newsletter /  / spring"."""
        parts = [self.utm_source, self.utm_medium, self.utm_campaign]
        return " / ".join(part for part in parts if part)

    @property
    def where(self) -> str:
        """The location with its remote policy when one was chosen: "Austin, TX (Hybrid)"."""
        policy = self.get_remote_policy_display()
        return f"{self.location} ({policy})" if policy else self.location
