from datetime import timedelta
from urllib.parse import urlsplit

from django.contrib.auth.management import create_permissions
from django.db import migrations

OPEN_STAGES = ["new", "contacted", "qualified", "proposal"]
FIRST_NEXT_STEP = "Reply to the inquiry"
OWN_PAGES = [
    ("/roles/", "role page"),
    ("/skills/", "skill page"),
    ("/salaries/", "salary explorer"),
    ("/contact/", "contact page"),
]
# Recruiters run the pipeline: they see and change leads (and their timelines), keep
# the email templates they start from, and may erase or export on request.
RECRUITER_PERMISSIONS = [
    ("leads", "view_lead"),
    ("leads", "change_lead"),
    ("leads", "erase_lead"),
    ("leads", "export_lead"),
    ("leads", "view_inquiry"),
    ("leads", "view_emailtemplate"),
    ("leads", "add_emailtemplate"),
    ("leads", "change_emailtemplate"),
    ("leads", "view_recruiterprofile"),
    ("roles", "view_role"),
]
PREVIOUS_RECRUITER_PERMISSIONS = [
    ("leads", "view_lead"),
    ("leads", "change_lead"),
    ("leads", "erase_lead"),
    ("leads", "export_lead"),
    ("leads", "view_inquiry"),
    ("leads", "view_leadnote"),
    ("leads", "add_leadnote"),
    ("leads", "view_stagechange"),
    ("leads", "view_recruiterprofile"),
    ("roles", "view_role"),
]
EMAIL_TEMPLATES = [
    (
        "First reply",
        "Your {{ roles }} hiring with {{ site_name }}",
        "Hello {{ first_name }},\n\n"
        "Thank you for asking {{ site_name }} about {{ roles }} for {{ company }}. I am the "
        "recruiter looking after your request.\n\n"
        "Could we have a 20-minute call this week? I would like to hear about the team, the "
        "must-have skills and your timeline for the {{ hires }}, so that I can share "
        "a first shortlist quickly.\n\n"
        "Reply with two times that suit you, or call me.\n\n"
        "Best regards,\n{{ recruiter }}\n{{ site_name }}\n{{ recruiter_email }}",
    ),
    (
        "Follow-up",
        "Following up: {{ roles }} for {{ company }}",
        "Hello {{ first_name }},\n\n"
        "I wanted to follow up on your request about {{ roles }}. Is the hiring still "
        "planned, and is there anything that has changed since we last spoke?\n\n"
        "I am happy to help whenever it suits you.\n\n"
        "Best regards,\n{{ recruiter }}\n{{ site_name }}",
    ),
    (
        "Proposal",
        "Our proposal for your {{ roles }} hiring",
        "Hello {{ first_name }},\n\n"
        "Thank you for your time. As discussed, here is how we propose to help {{ company }} "
        "with the {{ hires }} ({{ roles }}) in {{ market }}:\n\n"
        "- Search and shortlist:\n- Timeline:\n- Fees:\n\n"
        "Let me know if you have any questions, or reply to agree and we will start.\n\n"
        "Best regards,\n{{ recruiter }}\n{{ site_name }}",
    ),
]


def lead_source(inquiry) -> str:
    if inquiry.utm_source:
        return inquiry.utm_source.strip().lower()[:100]
    try:
        host = urlsplit(inquiry.referrer).hostname
    except ValueError:
        host = None
    if host:
        return host.removeprefix("www.")[:100]
    for prefix, label in OWN_PAGES:
        if inquiry.source_page.startswith(prefix):
            return label
    return "home page" if inquiry.source_page == "/" else "direct"


def one_business_day_after(moment):
    due = moment + timedelta(days=1)
    while due.weekday() >= 5:
        due += timedelta(days=1)
    return due


def set_group_permissions(apps, permissions):
    for label in ("leads", "roles"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Recruiters")
    group.permissions.set(
        [
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in permissions
        ]
    )


def forwards(apps, schema_editor):
    Lead = apps.get_model("leads", "Lead")
    Activity = apps.get_model("leads", "Activity")
    LeadNote = apps.get_model("leads", "LeadNote")
    StageChange = apps.get_model("leads", "StageChange")
    Area = apps.get_model("roles", "Area")
    EmailTemplate = apps.get_model("leads", "EmailTemplate")

    Activity.objects.bulk_create(
        [
            Activity(
                lead_id=note.lead_id, kind="note", actor_id=note.author_id, at=note.created_at,
                text=note.text,
            )
            for note in LeadNote.objects.all()
        ]
        + [
            Activity(
                lead_id=change.lead_id, kind="stage", actor_id=change.changed_by_id,
                at=change.changed_at, from_stage=change.from_stage, to_stage=change.to_stage,
            )
            for change in StageChange.objects.all()
        ]
    )
    areas = dict(Area.objects.values_list("code", "pk"))
    for lead in Lead.objects.prefetch_related("inquiries__roles", "inquiries__context_role"):
        inquiries = sorted(lead.inquiries.all(), key=lambda inquiry: (inquiry.submitted_at, inquiry.pk))
        if inquiries:
            first = inquiries[0]
            role = first.context_role or next(iter(first.roles.all()), None)
            lead.hires = max(inquiry.hires for inquiry in inquiries)
            lead.family_id = role.family_id if role else None
            lead.market_id = areas.get(first.context_area)
            lead.source = lead_source(first)
        if lead.stage == "lost":
            lead.lost_category = "other"
        if lead.stage in OPEN_STAGES and not lead.is_spam and not lead.next_step:
            lead.next_step = FIRST_NEXT_STEP
            lead.next_step_due_at = one_business_day_after(lead.created_at)
        lead.save()
    for position, (name, subject, body) in enumerate(EMAIL_TEMPLATES):
        EmailTemplate.objects.get_or_create(
            name=name, defaults={"subject": subject, "body": body, "position": position}
        )
    set_group_permissions(apps, RECRUITER_PERMISSIONS)


def backwards(apps, schema_editor):
    Activity = apps.get_model("leads", "Activity")
    LeadNote = apps.get_model("leads", "LeadNote")
    StageChange = apps.get_model("leads", "StageChange")
    Lead = apps.get_model("leads", "Lead")
    LeadNote.objects.bulk_create(
        LeadNote(lead_id=a.lead_id, author_id=a.actor_id, text=a.text, created_at=a.at)
        for a in Activity.objects.filter(kind="note")
    )
    StageChange.objects.bulk_create(
        StageChange(
            lead_id=a.lead_id, from_stage=a.from_stage, to_stage=a.to_stage,
            changed_by_id=a.actor_id, changed_at=a.at,
        )
        for a in Activity.objects.filter(kind="stage")
    )
    # The old rule: a lost lead needs its reason in words.
    Lead.objects.filter(stage="lost", lost_reason="").update(lost_reason="Not recorded")
    set_group_permissions(apps, PREVIOUS_RECRUITER_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("leads", "0003_activity_timeline"),
        ("roles", "0004_editors_import_wages"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
