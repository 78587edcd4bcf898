from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from roles.models import Role, RoleFamily, Seniority


class Stage(models.TextChoices):
    NEW = "new", "New"
    CONTACTED = "contacted", "Contacted"
    QUALIFIED = "qualified", "Qualified"
    PROPOSAL = "proposal", "Proposal"
    WON = "won", "Won"
    LOST = "lost", "Lost"


LOST_NEEDS_REASON = "Say why the lead was lost."
OPEN_STAGES = [Stage.NEW, Stage.CONTACTED, Stage.QUALIFIED, Stage.PROPOSAL]


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


class SpamReason(models.TextChoices):
    HONEYPOT = "honeypot", "Filled the hidden field"
    TOO_FAST = "too_fast", "Sent within seconds of opening the form"
    STAFF = "staff", "Marked as spam by staff"


def stale_cutoff(now=None):
    """Open leads without activity since this moment are stale."""
    return (now or timezone.now()) - timedelta(days=settings.LEADS_STALE_AFTER_DAYS)


class LeadQuerySet(models.QuerySet):
    def genuine(self) -> "LeadQuerySet":
        return self.filter(is_spam=False)

    def open(self) -> "LeadQuerySet":
        return self.genuine().filter(stage__in=OPEN_STAGES)

    def stale(self, *, now=None) -> "LeadQuerySet":
        """Open leads nobody has touched for LEADS_STALE_AFTER_DAYS."""
        return self.open().filter(last_activity_at__lt=stale_cutoff(now))

    def open_for_email(self, email: str) -> "LeadQuerySet":
        return self.open().filter(email__iexact=email, erased_at__isnull=True)

    def needing_notification(self) -> "LeadQuerySet":
        return self.genuine().filter(inquiries__notified_at__isnull=True).distinct()

    def needing_confirmation(self) -> "LeadQuerySet":
        return (
            self.genuine()
            .filter(inquiries__confirmation_sent_at__isnull=True, erased_at__isnull=True)
            .distinct()
        )


class Lead(models.Model):
    """One employer's request for staffing help, and its place in the pipeline.

    Every submission is an Inquiry; a later one from the same email, while this
    lead is open, is added here rather than opening a second pipeline entry.
    """

    # Who asked. Personal data: emptied by `lead_erase`.
    name = models.CharField(max_length=150)
    email = models.EmailField(db_index=True)
    phone = models.CharField(max_length=40, blank=True)
    company = models.CharField(max_length=150)
    job_title = models.CharField(max_length=150)
    email_domain = models.CharField(
        max_length=254, db_index=True, editable=False, help_text="Finds related leads."
    )

    # The pipeline.
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.NEW)
    lost_reason = models.TextField(blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_leads",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_activity_at = models.DateTimeField(default=timezone.now)
    first_response_at = models.DateTimeField(
        null=True, blank=True, help_text="When the lead first left the New stage."
    )
    is_spam = models.BooleanField(default=False, db_index=True)
    spam_reason = models.CharField(max_length=20, choices=SpamReason.choices, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    objects = LeadQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        permissions = [
            ("erase_lead", "Can erase the personal data of a lead"),
            ("export_lead", "Can export leads"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(stage=Stage.LOST) | ~Q(lost_reason=""),
                name="lead_lost_needs_reason",
                violation_error_message=LOST_NEEDS_REASON,
            ),
        ]
        indexes = [models.Index(fields=["stage", "is_spam"])]

    def __str__(self):
        # Admin log entries copy this: never personal data.
        return f"Lead #{self.pk}"

    def save(self, *args, **kwargs):
        self.email_domain = self.email.rpartition("@")[2].lower()
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES

    @property
    def is_stale(self) -> bool:
        return self.is_open and not self.is_spam and self.last_activity_at < stale_cutoff()

    @property
    def first_response_time(self) -> timedelta | None:
        return self.first_response_at - self.created_at if self.first_response_at else None

    def move_to(self, stage: Stage, *, by, reason: str = "") -> "StageChange | None":
        """The one way a lead changes stage: recorded, timed and validated."""
        if stage == self.stage and stage != Stage.LOST:
            return None
        if stage == Stage.LOST and not reason.strip():
            raise ValidationError({"lost_reason": LOST_NEEDS_REASON})
        now = timezone.now()
        change = StageChange.objects.create(
            lead=self, from_stage=self.stage, to_stage=stage, changed_by=by, changed_at=now
        )
        self.stage = stage
        self.lost_reason = reason.strip() if stage == Stage.LOST else ""
        self.last_activity_at = now
        fields = ["stage", "lost_reason", "last_activity_at"]
        if self.first_response_at is None and stage != Stage.NEW:
            self.first_response_at = now
            fields.append("first_response_at")
        self.save(update_fields=fields)
        return change

    def assign_to(self, user) -> None:
        self.assigned_to = user
        self.last_activity_at = timezone.now()
        self.save(update_fields=["assigned_to", "last_activity_at"])

    def related_by_domain(self) -> "LeadQuerySet":
        """Other leads from the same company email domain (not public mail providers)."""
        if not self.email_domain or self.email_domain in settings.LEADS_PUBLIC_EMAIL_DOMAINS:
            return Lead.objects.none()
        return Lead.objects.filter(email_domain=self.email_domain).exclude(pk=self.pk)


class Inquiry(models.Model):
    """One submission of the contact form: what was asked for, and from where."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="inquiries")
    submission_key = models.CharField(
        max_length=64, unique=True, help_text="From the form's token: a double submit is one."
    )
    submitted_at = models.DateTimeField(default=timezone.now)

    # What for.
    roles = models.ManyToManyField(Role, blank=True, related_name="inquiries")
    hires = models.PositiveSmallIntegerField(
        "number of hires", validators=[MinValueValidator(1), MaxValueValidator(999)]
    )
    location = models.CharField(max_length=150, help_text="Personal data.")
    remote_policy = models.CharField(max_length=20, choices=RemotePolicy.choices)
    timeline = models.CharField(max_length=20, choices=Timeline.choices)
    message = models.TextField(blank=True, help_text="Personal data.")
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

    # Email bookkeeping: a stamp makes a second send impossible.
    notified_at = models.DateTimeField(null=True, blank=True)
    notification_attempts = models.PositiveSmallIntegerField(default=0)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)

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


class LeadNote(models.Model):
    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Note #{self.pk}"


class StageChange(models.Model):
    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=20, choices=Stage.choices)
    to_stage = models.CharField(max_length=20, choices=Stage.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.get_from_stage_display()} → {self.get_to_stage_display()}"


class RecruiterProfile(models.Model):
    """Routing for one recruiter: which families they cover and whose turn it is."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recruiter_profile"
    )
    families = models.ManyToManyField(
        RoleFamily, blank=True, help_text="Leads for these families go to this recruiter first."
    )
    accepts_leads = models.BooleanField(default=True)
    last_assigned_at = models.DateTimeField(null=True, blank=True, editable=False)

    def __str__(self):
        return f"Routing for {self.user}"
