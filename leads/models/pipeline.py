from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from leads.models.activity import Activity
from leads.models.choices import (
    OPEN_STAGES,
    ActivityKind,
    LostReason,
    SpamReason,
    Stage,
)
from leads.models.inquiry import Inquiry
from leads.validators import deliverable_email
from roles.models import Area, RoleFamily

LOST_NEEDS_CATEGORY = "Say why the lead was lost."
NEXT_STEP_NEEDS_BOTH = "Give the next step and when it is due."
HAS_AN_OPEN_LEAD = "{email} has another open lead, #{pk}: carry on there."
# The leads that count as someone's one open lead: the database allows one per email.
COUNTS_AS_OPEN = Q(stage__in=OPEN_STAGES, is_spam=False, erased_at__isnull=True)
ERASED = "(erased)"
# Every new lead's first next step; the first response to the lead completes it.
FIRST_NEXT_STEP = "Reply to the inquiry"
RECRUITERS_GROUP = "Recruiters"


def recruiters():
    """The people leads may go to: active staff (they can sign in) in the Recruiters group."""
    return (
        get_user_model()
        .objects.filter(groups__name=RECRUITERS_GROUP, is_active=True, is_staff=True)
        .order_by("first_name", "last_name", "username")
    )


def may_show_a_profile(user) -> bool:
    """Whether `user` has a public profile to keep: only recruiters appear on the site
    (RecruiterProfile.objects.public), so a superuser outside the group is not offered a
    page that would tell them they are shown. Everyone else holds the permission through
    the Recruiters group, already read with their permissions (no query)."""
    if not user.has_perm("leads.change_own_profile"):
        return False
    return recruiters().filter(pk=user.pk).exists() if user.is_superuser else True


def person(user) -> str:
    """A staff member as colleagues know them: full name, else username."""
    if user is None:
        return "nobody"
    return user.get_full_name() or user.get_username()


def stale_cutoff(now: datetime | None = None) -> datetime:
    """Open leads without activity since this moment are stale."""
    return (now or timezone.now()) - timedelta(days=settings.LEADS_STALE_AFTER_DAYS)


def local_day_bounds(now: datetime | None = None) -> tuple[datetime, datetime]:
    """The start of today and of tomorrow in the site's time zone ("due today")."""
    today = timezone.localdate(now or timezone.now())
    start = timezone.make_aware(datetime.combine(today, datetime.min.time()))
    return start, timezone.make_aware(
        datetime.combine(today + timedelta(days=1), datetime.min.time())
    )


class LeadQuerySet(models.QuerySet):
    def genuine(self) -> "LeadQuerySet":
        return self.filter(is_spam=False)

    def open(self) -> "LeadQuerySet":
        return self.genuine().filter(stage__in=OPEN_STAGES)

    def stale(self, *, now: datetime | None = None) -> "LeadQuerySet":
        """Open leads nobody has touched for LEADS_STALE_AFTER_DAYS."""
        return self.open().filter(last_activity_at__lt=stale_cutoff(now))

    def overdue(self, *, now: datetime | None = None) -> "LeadQuerySet":
        """Open leads whose next step was due before now."""
        return self.open().filter(next_step_due_at__lt=now or timezone.now())

    def due_today(self, *, now: datetime | None = None) -> "LeadQuerySet":
        """Open leads whose next step falls due later today (site time)."""
        now = now or timezone.now()
        return self.open().filter(
            next_step_due_at__gte=now, next_step_due_at__lt=local_day_bounds(now)[1]
        )

    def without_next_step(self) -> "LeadQuerySet":
        return self.open().filter(next_step_due_at__isnull=True)

    def assigned_to(self, user) -> "LeadQuerySet":
        return self.filter(assigned_to=user)

    def open_for_email(self, email: str) -> "LeadQuerySet":
        """The person's one open lead, if any, found through the index that keeps it one."""
        return self.alias(email_lower=Lower("email")).filter(
            COUNTS_AS_OPEN, email_lower=Lower(models.Value(email))
        )

    def needing_notification(self) -> "LeadQuerySet":
        return (
            self.genuine()
            .filter(inquiries__notified_at__isnull=True, erased_at__isnull=True)
            .distinct()
        )

    def needing_confirmation(self) -> "LeadQuerySet":
        return (
            self.genuine()
            .filter(
                inquiries__confirmation_sent_at__isnull=True,
                erased_at__isnull=True,
                email_refused_at__isnull=True,
            )
            .distinct()
        )

    def for_cards(self) -> "LeadQuerySet":
        """Everything a row or card shows about a lead, fetched up front."""
        return self.select_related("assigned_to", "family", "market").prefetch_related(
            models.Prefetch("inquiries", queryset=Inquiry.objects.prefetch_related("roles"))
        )


class Lead(models.Model):
    """One employer's request for staffing help, and its place in the pipeline.

    Every submission is an Inquiry; a later one from the same email, while this
    lead is open, is added here rather than opening a second pipeline entry.
    Everything done to a lead goes through its methods below, which record it
    in the lead's timeline (Activity) and stamp its last activity.
    """

    # Who asked. Personal data: emptied by `lead_erase`.
    name = models.CharField(max_length=150)
    email = models.EmailField(db_index=True, validators=[deliverable_email])
    phone = models.CharField(max_length=40, blank=True)
    company = models.CharField(max_length=150)
    job_title = models.CharField(max_length=150)
    email_domain = models.CharField(
        max_length=254, db_index=True, editable=False, help_text="Finds related leads."
    )

    # What for, and where from: set from the inquiries when they arrive.
    hires = models.PositiveSmallIntegerField(
        "number of hires", default=1, help_text="The most any of its inquiries asks for."
    )
    family = models.ForeignKey(
        RoleFamily,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="role family",
    )
    market = models.ForeignKey(
        Area,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The BLS market the employer was looking at.",
    )
    source = models.CharField(
        max_length=100,
        blank=True,
        db_index=True,
        help_text="Campaign source, else referring site, else the page of ours they came from.",
    )

    # The pipeline.
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.NEW)
    lost_category = models.CharField(
        "lost because", max_length=20, choices=LostReason.choices, blank=True
    )
    lost_reason = models.TextField("lost reason (details)", blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_leads",
    )
    next_step = models.CharField(max_length=200, blank=True)
    next_step_due_at = models.DateTimeField("next step due", null=True, blank=True)
    expected_start = models.DateField(
        null=True, blank=True, help_text="When the hires are expected to start."
    )
    value_override = models.PositiveIntegerField(
        "estimated value ($)",
        null=True,
        blank=True,
        help_text="Leave empty for hires times the fee per hire.",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_activity_at = models.DateTimeField(default=timezone.now)
    first_response_at = models.DateTimeField(
        null=True, blank=True, help_text="When the lead first left the New stage."
    )
    is_spam = models.BooleanField(default=False, db_index=True)
    spam_reason = models.CharField(max_length=20, choices=SpamReason.choices, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)
    email_refused_at = models.DateTimeField(
        "email refused",
        null=True,
        blank=True,
        help_text="When the mail server refused this address for good: nothing more is sent "
        "to it until the email is corrected.",
    )

    objects = LeadQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        permissions = [
            ("erase_lead", "Can erase the personal data of a lead"),
            ("export_lead", "Can export leads"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(stage=Stage.LOST) | ~Q(lost_category=""),
                name="lead_lost_needs_category",
                violation_error_message=LOST_NEEDS_CATEGORY,
            ),
            models.CheckConstraint(
                condition=Q(next_step="") | Q(next_step_due_at__isnull=False),
                name="lead_next_step_has_a_due_date",
                violation_error_message=NEXT_STEP_NEEDS_BOTH,
            ),
            # Parallel submissions from one new email must make one lead, not several
            # routed to different recruiters. Also the index of `open_for_email`.
            models.UniqueConstraint(
                Lower("email"),
                condition=COUNTS_AS_OPEN,
                name="lead_one_open_lead_per_email",
                violation_error_message="This email has another open lead.",
            ),
        ]
        indexes = [
            models.Index(fields=["stage", "is_spam"]),
            models.Index(fields=["assigned_to", "next_step_due_at"]),
        ]

    def __str__(self):
        # Admin log entries copy this: never personal data.
        return f"Lead #{self.pk}"

    def save(self, *args, **kwargs):
        self.email_domain = self.email.rpartition("@")[2].lower()
        super().save(*args, **kwargs)

    # What the lead is ----------------------------------------------------------------

    @property
    def display_name(self) -> str:
        """The person and company, for staff pages (never for logs or __str__)."""
        if self.erased_at:
            return f"Erased lead #{self.pk}"
        return f"{self.name}, {self.company}"

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES

    @property
    def is_stale(self) -> bool:
        return self.is_open and not self.is_spam and self.last_activity_at < stale_cutoff()

    @property
    def is_overdue(self) -> bool:
        return (
            self.is_open
            and self.next_step_due_at is not None
            and self.next_step_due_at < timezone.now()
        )

    @property
    def first_response_time(self) -> timedelta | None:
        return self.first_response_at - self.created_at if self.first_response_at else None

    @property
    def estimated_value(self) -> int | None:
        """In dollars: as set, else hires times the fee per hire (when the agency sets one)."""
        if self.value_override is not None:
            return self.value_override
        if settings.LEADS_FEE_PER_HIRE:
            return self.hires * settings.LEADS_FEE_PER_HIRE
        return None

    @property
    def role_titles(self) -> list[str]:
        """Every role its inquiries ask about, once each, by title (prefetch the inquiries
        and their roles: `for_cards`)."""
        return sorted(
            {role.title for inquiry in self.inquiries.all() for role in inquiry.roles.all()}
        )

    def related_by_domain(self) -> "LeadQuerySet":
        """Other leads from the same company email domain (not public mail providers)."""
        if not self.email_domain or self.email_domain in settings.LEADS_PUBLIC_EMAIL_DOMAINS:
            return Lead.objects.none()
        return Lead.objects.filter(email_domain=self.email_domain).exclude(pk=self.pk)

    def open_twin(self, *, email: str | None = None) -> "Lead | None":
        """Another open lead of the same email (or of `email`, about to be set): the
        one this lead may not be open beside."""
        return (
            Lead.objects.open_for_email(self.email if email is None else email)
            .exclude(pk=self.pk)
            .first()
        )

    def refuse_twin(self, *, stage: str | None = None, email: str | None = None) -> None:
        """Refuse a reopening or a new email that would give a person two open leads."""
        stage = stage or self.stage
        would_count = stage in OPEN_STAGES and not self.is_spam and not self.erased_at
        counts_now = self.is_open and not self.is_spam and not self.erased_at
        changes_email = email is not None and email.lower() != self.email.lower()
        if (
            would_count
            and (changes_email or not counts_now)
            and (twin := self.open_twin(email=email))
        ):
            field = "email" if changes_email else "stage"
            raise ValidationError({field: HAS_AN_OPEN_LEAD.format(email=twin.email, pk=twin.pk)})

    # What is done to it: each records an Activity --------------------------------------

    def record(self, kind: ActivityKind, *, by, at: datetime | None = None, **details) -> Activity:
        """The one way anything done to a lead is recorded: an entry in its timeline,
        and its last activity stamped. `by` is the staff user, or None for the portal."""
        at = at or timezone.now()
        activity = Activity.objects.create(lead=self, kind=kind, actor=by, at=at, **details)
        self.last_activity_at = at
        Lead.objects.filter(pk=self.pk).update(last_activity_at=at)
        return activity

    def move_to(
        self, stage: Stage, *, by, lost_category: str = "", reason: str = ""
    ) -> Activity | None:
        """Change the stage: timed (first response), validated (a loss needs a category)."""
        if stage == self.stage and stage != Stage.LOST:
            return None
        if stage == Stage.LOST and not lost_category:
            raise ValidationError({"lost_category": LOST_NEEDS_CATEGORY})
        self.refuse_twin(stage=stage)
        lost = stage == Stage.LOST
        activity = self.record(
            ActivityKind.STAGE,
            by=by,
            from_stage=self.stage,
            to_stage=stage,
            lost_category=lost_category if lost else "",
            text=reason.strip() if lost else "",
        )
        self.stage = stage
        self.lost_category = lost_category if lost else ""
        self.lost_reason = reason.strip() if lost else ""
        self.save(update_fields=["stage", "lost_category", "lost_reason"])
        if stage not in OPEN_STAGES:
            self.next_step, self.next_step_due_at = "", None
            self.save(update_fields=["next_step", "next_step_due_at"])
        if stage not in (Stage.NEW, Stage.LOST):  # dropping a lead is no response to it
            self.responded(by=by, at=activity.at)
        return activity

    def responded(self, *, by, at: datetime) -> None:
        """The lead heard from us (moved on, or emailed): its first response, once,
        which also does the first next step ("Reply to the inquiry")."""
        if self.first_response_at is not None:
            return
        self.first_response_at = at
        self.save(update_fields=["first_response_at"])
        if self.next_step == FIRST_NEXT_STEP:
            self.complete_next_step(by=by)

    def assign_to(self, user, *, by) -> Activity | None:
        if (user.pk if user else None) == self.assigned_to_id:
            return None
        activity = self.record(ActivityKind.ASSIGNED, by=by, assignee=user)
        self.assigned_to = user
        self.save(update_fields=["assigned_to"])
        return activity

    def add_note(self, text: str, *, by) -> Activity:
        return self.record(ActivityKind.NOTE, by=by, text=text.strip())

    def set_next_step(self, text: str, due_at: datetime, *, by) -> Activity | None:
        text = text.strip()
        if not text or due_at is None:
            raise ValidationError({"next_step": NEXT_STEP_NEEDS_BOTH})
        if (text, due_at) == (self.next_step, self.next_step_due_at):
            return None
        activity = self.record(ActivityKind.NEXT_STEP_SET, by=by, text=text, due_at=due_at)
        self.next_step, self.next_step_due_at = text, due_at
        self.save(update_fields=["next_step", "next_step_due_at"])
        return activity

    def complete_next_step(self, *, by) -> Activity | None:
        if not self.next_step:
            return None
        activity = self.record(
            ActivityKind.NEXT_STEP_DONE, by=by, text=self.next_step, due_at=self.next_step_due_at
        )
        self.next_step, self.next_step_due_at = "", None
        self.save(update_fields=["next_step", "next_step_due_at"])
        return activity

    def refuse_email(self) -> None:
        """The mail server refused this address for good: flag it for a recruiter, and
        send nothing more to it until the email is corrected."""
        if self.email_refused_at:
            return
        self.email_refused_at = timezone.now()
        Lead.objects.filter(pk=self.pk).update(email_refused_at=self.email_refused_at)
        # Not through `record`: the portal noticed this, nobody worked on the lead, so
        # its last activity (and whether it is stale) stays as it was.
        Activity.objects.create(
            lead=self,
            kind=ActivityKind.EMAIL_REFUSED,
            at=self.email_refused_at,
            text="The mail server refused this address: nothing more is sent to it "
            "until the email is corrected.",
        )

    def change_details(self, changes: dict, *, by) -> Activity | None:
        """Contact and deal details typed by staff; the timeline names the fields, not values."""
        changed = {name: value for name, value in changes.items() if getattr(self, name) != value}
        if not changed:
            return None
        if "email" in changed:
            self.refuse_twin(email=changed["email"])
        for name, value in changed.items():
            setattr(self, name, value)
        fields = list(changed)
        if "email" in changed:
            self.email_refused_at = None  # a corrected address is worth sending to again
            fields.append("email_refused_at")
        self.save(update_fields=fields)
        labels = [str(self._meta.get_field(name).verbose_name) for name in changed]
        return self.record(ActivityKind.DETAILS, by=by, text=", ".join(labels))


class RecruiterProfileQuerySet(models.QuerySet):
    def public(self) -> "RecruiterProfileQuerySet":
        """Profiles visitors see: opted in by the recruiter, who can still take leads
        (an active staff member of the Recruiters group)."""
        return (
            self.filter(is_public=True, user__in=recruiters())
            .exclude(slug=None)
            .order_by("public_name", "pk")
        )


class RecruiterProfileManager(models.Manager.from_queryset(RecruiterProfileQuerySet)):
    def get_queryset(self):
        # A photo is tens of kilobytes: read only where it is served (values_list).
        return super().get_queryset().defer("photo")


class RecruiterProfile(models.Model):
    """One recruiter: routing (which families they cover, whose turn it is) and the
    public profile they may choose to show on the site."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recruiter_profile"
    )
    families = models.ManyToManyField(
        RoleFamily,
        blank=True,
        verbose_name="specialties",
        help_text="Role families you specialise in: their leads come to you first, and "
        "their role pages show your profile.",
    )
    accepts_leads = models.BooleanField(default=True)
    last_assigned_at = models.DateTimeField(null=True, blank=True, editable=False)
    digest_sent_on = models.DateField(
        null=True, blank=True, editable=False, help_text="The last day a daily digest went out."
    )

    # The public profile: shown only once the recruiter ticks is_public themselves.
    is_public = models.BooleanField("shown on the site", default=False)
    public_name = models.CharField(
        "name on the site", max_length=100, blank=True, help_text="As employers will address you."
    )
    slug = models.SlugField(max_length=100, unique=True, null=True, blank=True, editable=False)
    headline = models.CharField(
        max_length=120, blank=True, help_text="e.g. “Senior recruiter, NLP and LLM engineers”."
    )
    bio = models.TextField(
        "short bio", max_length=800, blank=True, help_text="A few sentences, up to 800 characters."
    )
    markets = models.ManyToManyField(
        Area,
        blank=True,
        related_name="+",
        verbose_name="markets you cover",
        help_text="BLS areas (metros or states) where you place people.",
    )
    # A square JPEG made from the upload (leads.services.profiles): small, no metadata.
    photo = models.BinaryField(null=True, blank=True, editable=False)
    photo_digest = models.CharField(max_length=16, blank=True, editable=False)
    # Set when a manager takes the profile off the site, so the recruiter is told why it
    # no longer shows; cleared when they show it again.
    taken_down_at = models.DateTimeField(null=True, blank=True, editable=False)
    taken_down_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = RecruiterProfileManager()

    class Meta:
        permissions = [("change_own_profile", "Can change their own public profile")]
        constraints = [
            # Employers tell recruiters apart by name on the about page.
            models.UniqueConstraint(
                Lower("public_name"),
                condition=Q(is_public=True),
                name="recruiterprofile_public_name_unique_among_shown",
                violation_error_message="Another recruiter is shown under this name.",
            )
        ]

    def __str__(self):
        return self.public_name or f"Routing for {self.user}"

    def get_absolute_url(self) -> str:
        return reverse("about") + f"#recruiter-{self.slug}"

    @property
    def initials(self) -> str:
        """Shown in the photo's place when there is none: "RM" for Rita Moreno."""
        words = self.public_name.split()
        return "".join(word[0] for word in words[:1] + words[1:][-1:]).upper()

    @property
    def photo_url(self) -> str:
        if not self.photo_digest:
            return ""
        return reverse("leads:recruiter-photo", args=[self.slug, self.photo_digest])
