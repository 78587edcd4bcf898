"""Leads in every state a recruiter meets: new, in progress, won, lost, stale, overdue,
spam, erased, and with long histories. Times are relative to "now", so tests pin
the clock (time_machine) and move it."""

import importlib
import secrets
from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from leads.models import (
    Activity,
    ActivityKind,
    EmailTemplate,
    Inquiry,
    Lead,
    LostReason,
    RemotePolicy,
    SpamReason,
    Stage,
    Timeline,
)
from leads.services.privacy import lead_erase

# The data migration that sets the group up holds the list of its permissions.
recruiters_migration = importlib.import_module(
    "leads.migrations.0004_move_history_into_the_timeline"
)
# ...and a later one adds their public profile.
profiles_migration = importlib.import_module(
    "leads.migrations.0013_recruiters_publish_their_profiles"
)


def recruiters_group() -> Group:
    """The Recruiters group as its migrations make it.

    Tests that run outside a transaction flush the database afterwards, and the
    groups made by data migrations go with it; this puts it back when needed."""
    group, created = Group.objects.get_or_create(name="Recruiters")
    if created:
        group.permissions.set(
            [
                Permission.objects.get(content_type__app_label=app, codename=codename)
                for app, codename in recruiters_migration.RECRUITER_PERMISSIONS
                + profiles_migration.PERMISSIONS
            ]
        )
    return group


def email_templates() -> None:
    """The email templates as their migration makes them (see `recruiters_group`)."""
    for position, (name, subject, body) in enumerate(recruiters_migration.EMAIL_TEMPLATES):
        EmailTemplate.objects.get_or_create(
            name=name, defaults={"subject": subject, "body": body, "position": position}
        )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda user: f"{user.username}@agency.example")
    password = factory.django.Password("a long and unusual passphrase")


class RecruiterFactory(UserFactory):
    """A recruiter who can act: active staff in the Recruiters group."""

    is_staff = True

    @factory.post_generation
    def recruiter(self, create, extracted, **kwargs):
        if create:
            self.groups.add(recruiters_group())


def ago(**delta) -> "factory.LazyFunction":
    return factory.LazyFunction(lambda: timezone.now() - timedelta(**delta))


class LeadFactory(factory.django.DjangoModelFactory):
    """A new, genuine lead with one inquiry, arrived an hour ago, its reply due tomorrow."""

    class Meta:
        model = Lead
        skip_postgeneration_save = True

    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"person{n}@company{n}.example")
    phone = "+1 (206) 555-0100"
    company = factory.Faker("company")
    job_title = "Head of Machine Learning"
    hires = 2
    source = "linkedin"
    created_at = ago(hours=1)
    last_activity_at = factory.SelfAttribute("created_at")
    next_step = "Reply to the inquiry"
    next_step_due_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))

    class Params:
        contacted = factory.Trait(stage=Stage.CONTACTED, first_response_at=ago(minutes=30))
        qualified = factory.Trait(stage=Stage.QUALIFIED, first_response_at=ago(minutes=30))
        proposal = factory.Trait(stage=Stage.PROPOSAL, first_response_at=ago(minutes=30))
        won = factory.Trait(
            stage=Stage.WON, first_response_at=ago(minutes=30), next_step="", next_step_due_at=None
        )
        lost = factory.Trait(
            stage=Stage.LOST,
            first_response_at=ago(minutes=30),
            lost_category=LostReason.BUDGET,
            lost_reason="Our fee was above their budget",
            next_step="",
            next_step_due_at=None,
        )
        stale = factory.Trait(created_at=ago(days=6), last_activity_at=ago(days=4))
        overdue = factory.Trait(
            next_step="Call to qualify", next_step_due_at=ago(days=1), created_at=ago(days=2)
        )
        without_next_step = factory.Trait(next_step="", next_step_due_at=None)
        spam = factory.Trait(
            is_spam=True, spam_reason=SpamReason.HONEYPOT, next_step="", next_step_due_at=None
        )

    @factory.post_generation
    def inquiries(self, create, extracted, **kwargs):
        """`inquiries=N` (default 1), each asking for `roles=[...]` if given."""
        if not create:
            return
        for index in range(1 if extracted is None else extracted):
            submitted = self.created_at + timedelta(minutes=index)
            emailed = None if self.is_spam else submitted  # spam tells nobody
            inquiry = InquiryFactory(
                lead=self,
                submitted_at=submitted,
                notified_at=emailed,
                confirmation_sent_at=emailed,
            )
            if kwargs.get("roles"):
                inquiry.roles.set(kwargs["roles"])

    @factory.post_generation
    def history(self, create, extracted, **kwargs):
        """`history=N`: N notes, N stage changes and N next steps set, one a minute."""
        if not create or not extracted:
            return
        kinds = [
            {"kind": ActivityKind.NOTE, "text": "Called, left a message"},
            {"kind": ActivityKind.STAGE, "from_stage": Stage.NEW, "to_stage": Stage.CONTACTED},
            {
                "kind": ActivityKind.NEXT_STEP_SET,
                "text": "Call back",
                "due_at": self.created_at + timedelta(days=1),
            },
        ]
        Activity.objects.bulk_create(
            Activity(lead=self, at=self.created_at + timedelta(minutes=i), **kinds[i % 3])
            for i in range(extracted * 3)
        )

    @factory.post_generation
    def erased(self, create, extracted, **kwargs):
        if create and extracted:
            lead_erase(lead=self)


class InquiryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inquiry

    lead = factory.SubFactory(LeadFactory, inquiries=0)
    submission_key = factory.LazyFunction(lambda: secrets.token_urlsafe(24))
    submitted_at = factory.LazyFunction(timezone.now)
    hires = 2
    location = "Seattle, WA"
    remote_policy = RemotePolicy.HYBRID
    timeline = Timeline.WITHIN_3_MONTHS
    message = "We are growing our ML platform team."
    consent_at = factory.SelfAttribute("submitted_at")
    utm_source = "linkedin"
    utm_campaign = "autumn"
    # Its emails went out when it arrived.
    notified_at = factory.SelfAttribute("submitted_at")
    confirmation_sent_at = factory.SelfAttribute("submitted_at")


def bulk_leads(count: int, *, roles=(), **fields) -> list[Lead]:
    """`count` leads with one inquiry each, inserted in a few queries (for tests at size)."""
    leads = Lead.objects.bulk_create(LeadFactory.build(**fields) for _ in range(count))
    inquiries = Inquiry.objects.bulk_create(
        InquiryFactory.build(lead=lead, submitted_at=lead.created_at) for lead in leads
    )
    Inquiry.roles.through.objects.bulk_create(
        Inquiry.roles.through(inquiry_id=inquiry.pk, role_id=role.pk)
        for inquiry in inquiries
        for role in roles
    )
    return leads
