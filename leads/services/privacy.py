"""A person's data: exported on request, erased on request or after retention."""

import json
from datetime import timedelta

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Prefetch
from django.db.models.functions import Lower
from django.utils import timezone

from leads.models import ERASED, Activity, ActivityKind, Inquiry, Lead, Stage
from roles.models import PostingDraft


def lead_erase(*, lead: Lead, by=None) -> None:
    """Remove every trace of the person behind a lead; the lead stays countable.

    Kept: stage, dates, roles, hires, market, remote policy, timeline, source and
    campaign. Gone: contact details, messages, locations, job descriptions they sent
    (and their saved links), everything staff wrote about them (notes, next steps,
    lost reason, emails) and the admin's history of the lead."""
    with transaction.atomic():
        Lead.objects.filter(pk=lead.pk).update(
            name=ERASED,
            email=f"erased-{lead.pk}@invalid",
            email_domain="",
            phone="",
            company=ERASED,
            job_title=ERASED,
            lost_reason="",
            next_step="",
            next_step_due_at=None,
            erased_at=timezone.now(),
        )
        PostingDraft.objects.filter(inquiries__lead=lead).delete()
        lead.inquiries.update(
            location=ERASED, message="", source_page="", referrer="", job_description=""
        )
        lead.activities.update(text="", subject="", recipient="")
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Lead), object_id=str(lead.pk)
        ).delete()
        lead.refresh_from_db()
        lead.record(ActivityKind.ERASED, by=by)


def leads_purge(*, older_than_days: int, spam_only: bool = False) -> int:
    """Retention: erase closed leads older than the cutoff (they stay countable),
    or delete quarantined spam older than it. Returns how many were touched."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    if spam_only:
        old_spam = Lead.objects.filter(is_spam=True, created_at__lt=cutoff)
        count = old_spam.count()
        old_spam.delete()
        return count
    closed = Lead.objects.genuine().filter(
        stage__in=[Stage.WON, Stage.LOST], created_at__lt=cutoff, erased_at__isnull=True
    )
    count = 0
    for lead in closed.iterator():
        lead_erase(lead=lead)
        count += 1
    return count


def drafts_purge() -> int:
    """Retention: delete job descriptions saved in the builder and not saved again for
    BUILDER_DRAFT_RETENTION_DAYS. Inquiries that carried one keep their copy of it."""
    count, _ = PostingDraft.objects.expired().delete()
    return count


def personal_data_export(*, emails: list[str]) -> str:
    """Everything stored about the people with these emails: one JSON document
    (a subject access request), whatever the number of people."""
    wanted = sorted({email.lower() for email in emails})
    leads = (
        Lead.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=wanted)
        .order_by("created_at", "pk")
        .prefetch_related(
            Prefetch("inquiries", queryset=Inquiry.objects.prefetch_related("roles")),
            Prefetch("activities", queryset=Activity.objects.exclude(text="", subject="")),
        )
    )
    by_person = {email: [] for email in wanted}
    for lead in leads:
        by_person[lead.email_lower].append(_lead_record(lead))
    people = [{"email": email, "leads": records} for email, records in by_person.items()]
    document = {"exported_at": timezone.now(), "people": people}
    return json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)


def _lead_record(lead: Lead) -> dict:
    return {
        "lead": f"#{lead.pk}",
        "name": lead.name,
        "email": lead.email,
        "phone": lead.phone,
        "company": lead.company,
        "job_title": lead.job_title,
        "created_at": lead.created_at,
        "stage": lead.get_stage_display(),
        "lost_reason": lead.lost_reason,
        "next_step": lead.next_step,
        "inquiries": [
            {
                "submitted_at": inquiry.submitted_at,
                "roles": [role.title for role in inquiry.roles.all()],
                "hires": inquiry.hires,
                "location": inquiry.location,
                "remote_policy": inquiry.remote_policy_label,
                "timeline": inquiry.timeline_label,
                "message": inquiry.message,
                "job_description": inquiry.job_description,
                "consent_at": inquiry.consent_at,
                "source_page": inquiry.source_page,
                "referrer": inquiry.referrer,
            }
            for inquiry in lead.inquiries.all()
        ],
        # What staff wrote about them or to them.
        "records": [
            {
                "at": activity.at,
                "kind": activity.get_kind_display(),
                "subject": activity.subject,
                "text": activity.text,
            }
            for activity in lead.activities.all()
        ],
    }
