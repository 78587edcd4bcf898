from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from leads.models.choices import ActivityKind, LostReason, Stage


class ActivityQuerySet(models.QuerySet):
    def emails_to_send(self) -> "ActivityQuerySet":
        """Recruiters' emails not sent yet, unless the lead's address was refused for good."""
        return self.filter(
            kind=ActivityKind.EMAIL,
            sent_at__isnull=True,
            recipient__gt="",
            lead__email_refused_at__isnull=True,
        )


class Activity(models.Model):
    """One thing that happened to a lead, by whom and when: its timeline.

    Every change to a lead is recorded here by `Lead.record`, whichever screen it
    came from. Kind-specific columns are empty for the other kinds. `text`,
    `subject` and `recipient` may hold personal data and are erased with the lead.
    """

    lead = models.ForeignKey("leads.Lead", on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(max_length=20, choices=ActivityKind.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who did it; empty for the portal itself (routing, intake).",
    )
    # Stage changes.
    from_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    # A move to Lost: why, in a word (not personal: kept through erasure).
    lost_category = models.CharField(max_length=20, choices=LostReason.choices, blank=True)
    # Assignments: to whom (empty: unassigned).
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A note, a next step, a lost reason, an email's body, or which details changed.
    text = models.TextField(blank=True)
    # Next steps.
    due_at = models.DateTimeField(null=True, blank=True)
    # Emails to the lead: sent by a task after commit; the stamp makes a second send impossible.
    subject = models.CharField(max_length=300, blank=True)
    recipient = models.EmailField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    send_claimed_at = models.DateTimeField(null=True, blank=True)
    send_attempts = models.PositiveSmallIntegerField(default=0)
    send_key = models.CharField(
        max_length=64, blank=True, help_text="From the email form: the same form sent twice is one."
    )

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name_plural = "activities"
        indexes = [models.Index(fields=["lead", "at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=ActivityKind.STAGE) | ~Q(to_stage=""),
                name="activity_stage_change_has_a_stage",
            ),
            models.CheckConstraint(
                condition=~Q(kind=ActivityKind.NEXT_STEP_SET) | Q(due_at__isnull=False),
                name="activity_next_step_has_a_due_date",
            ),
            models.UniqueConstraint(
                fields=["send_key"], condition=~Q(send_key=""), name="activity_email_sent_once"
            ),
        ]

    def __str__(self):
        # Admin log entries copy this: never personal data.
        return f"{self.get_kind_display()} on lead #{self.lead_id}"
