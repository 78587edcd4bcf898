"""Forms of the recruiters' screens. None saves a lead itself: each turns what was typed
into `LeadChanges`, which `lead_apply` carries out through the lead's own methods."""

from datetime import datetime, timedelta

from django import forms
from django.contrib.admin import widgets
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from leads.models import (
    LOST_NEEDS_CATEGORY,
    NEXT_STEP_NEEDS_BOTH,
    EmailTemplate,
    Lead,
    LostReason,
    Stage,
    person,
    recruiters,
)
from leads.models.email import PLACEHOLDER
from leads.services.pipeline import KEEP, LeadChanges

DETAIL_FIELDS = ["name", "email", "phone", "company", "job_title", "expected_start"]


class RecruiterChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return person(user)


class LossFields(forms.Form):
    """Why a lead was lost: asked wherever a lead can be moved to Lost."""

    lost_category = forms.ChoiceField(
        label="Lost because",
        choices=[("", "(choose when moving to Lost)"), *LostReason.choices],
        required=False,
    )
    reason = forms.CharField(
        label="Details (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def require_category_when_lost(stage: str | None, category: str) -> None:
    """Lead.move_to refuses a loss without a category; say so beside the form's field first."""
    if stage == Stage.LOST and not category:
        raise ValidationError({"lost_category": LOST_NEEDS_CATEGORY})


# Fields of the lead's page that carry a copy of the value the page showed, so that
# a save changes only what this recruiter changed, and notices a colleague's change.
SEEN_FIELDS = [
    *DETAIL_FIELDS,
    "value_override",
    "assignee",
    "new_next_step",
    "new_next_step_due_at",
]
CHANGED_MEANWHILE = (
    "Someone changed this while you were editing: it is now “{}”. Check it, then save."
)


class LeadAdminForm(LossFields, forms.ModelForm):
    """The lead's page: contact and deal details, and the pipeline's changes.

    Two recruiters may have the same lead open: each save applies only the fields
    its recruiter changed (compared with the value their page showed, which the
    page carries as a hidden copy), and a field a colleague changed meanwhile is
    refused with what it now says, rather than silently overwritten."""

    # A lazy queryset, evaluated afresh for every form.
    assignee = RecruiterChoiceField(queryset=recruiters(), label="Assigned to", required=False)
    move_to = forms.ChoiceField(
        label="Move to stage",
        choices=[("", "(keep the current stage)"), *Stage.choices],
        required=False,
    )
    new_next_step = forms.CharField(label="Next step", max_length=200, required=False)
    new_next_step_due_at = forms.SplitDateTimeField(
        label="Due", required=False, widget=widgets.AdminSplitDateTime
    )
    next_step_done = forms.BooleanField(label="Done: this next step is done", required=False)
    note = forms.CharField(
        label="Add a note", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    class Meta:
        model = Lead
        fields = [*DETAIL_FIELDS, "value_override"]
        widgets = {"expected_start": widgets.AdminDateWidget}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lead = self.instance
        for name in SEEN_FIELDS:
            if name in self.fields:
                self.fields[name].show_hidden_initial = True
        # The current assignee stays a choice, even if no longer a recruiter: saving
        # the page for a note must not unassign the lead.
        self.fields["assignee"].queryset = recruiters() | get_user_model().objects.filter(
            pk=lead.assigned_to_id
        )
        self.fields["assignee"].initial = lead.assigned_to_id
        self.fields["new_next_step"].initial = lead.next_step
        self.fields["new_next_step_due_at"].initial = lead.next_step_due_at
        if not lead.next_step:
            del self.fields["next_step_done"]

    def clean(self):
        cleaned = super().clean()
        stage, category = cleaned.get("move_to"), cleaned.get("lost_category", "")
        if category and not stage and self.instance.stage != Stage.LOST:
            stage = cleaned["move_to"] = Stage.LOST  # a reason for losing it says it was lost
        if category and stage and stage != Stage.LOST:
            self.add_error("lost_category", "Only a lead moved to Lost has a reason for it.")
        require_category_when_lost(stage, category)
        self.refuse_a_second_open_lead(stage, cleaned.get("email"))
        text, due = cleaned.get("new_next_step", ""), cleaned.get("new_next_step_due_at")
        edited = {"new_next_step", "new_next_step_due_at"} & set(self.changed_data)
        if edited and bool(text) != bool(due):
            field = "new_next_step_due_at" if text else "new_next_step"
            self.add_error(field, NEXT_STEP_NEEDS_BOTH)
        if edited and due and due < timezone.now() - timedelta(minutes=1):
            self.add_error("new_next_step_due_at", "That is in the past: when is it due?")
        self.refuse_what_changed_meanwhile(cleaned)
        return cleaned

    def refuse_a_second_open_lead(self, stage: str, email: str | None) -> None:
        """Reopening this lead, or giving it an email, that another open lead has."""
        new_email = email if email and "email" in self.changed_data else None
        try:
            self.instance.refuse_twin(stage=stage or None, email=new_email)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error("move_to" if field == "stage" else field, messages)

    def refuse_what_changed_meanwhile(self, cleaned: dict) -> None:
        lead = self.instance  # as the database holds it now
        now = {
            **{name: getattr(lead, name) for name in [*DETAIL_FIELDS, "value_override"]},
            "assignee": lead.assigned_to,
            "new_next_step": lead.next_step,
            "new_next_step_due_at": lead.next_step_due_at,
        }
        for name in set(SEEN_FIELDS) & set(self.changed_data):
            if comparable(self.seen(name)) != comparable(now[name]):
                shown = person(now[name]) if name == "assignee" else now[name]
                self.add_error(name, CHANGED_MEANWHILE.format(shown if shown else "empty"))
        if cleaned.get("next_step_done") and self.seen("new_next_step") != lead.next_step:
            self.add_error("next_step_done", CHANGED_MEANWHILE.format(lead.next_step))

    def seen(self, name: str):
        """The value of `name` as this recruiter's page showed it."""
        field = self.fields[name]
        raw = self._widget_data_value(field.hidden_widget(), self[name].html_initial_name)
        try:
            return field.clean(raw)
        except ValidationError:
            return None

    def changes(self) -> LeadChanges:
        """What this recruiter changed on the page, for `lead_apply`."""
        data = self.cleaned_data
        details = {
            name: data[name]
            for name in [*DETAIL_FIELDS, "value_override"]
            if name in self.changed_data
        }
        next_step_changed = bool({"new_next_step", "new_next_step_due_at"} & set(self.changed_data))
        # Emptying both fields is the same as ticking "done".
        cleared = (
            next_step_changed and not data["new_next_step"] and not data["new_next_step_due_at"]
        )
        return LeadChanges(
            details=details,
            assignee=data["assignee"] if "assignee" in self.changed_data else KEEP,
            stage=data["move_to"],
            lost_category=data["lost_category"],
            reason=data["reason"],
            next_step_done=data.get("next_step_done", False) or cleared,
            next_step=data["new_next_step"] if next_step_changed else "",
            next_step_due_at=data["new_next_step_due_at"],
            note=data["note"],
        )


def comparable(value):
    """Values as a page shows them: users by key, times to the second."""
    if isinstance(value, datetime):
        return value.replace(microsecond=0)
    return getattr(value, "pk", value) or None


class AssignForm(forms.Form):
    recruiter = RecruiterChoiceField(queryset=recruiters(), label="Assign to")


class MoveForm(LossFields):
    stage = forms.ChoiceField(choices=Stage.choices)
    field_order = ["stage", "lost_category", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Asked only on the way to Lost, so no "when moving to Lost" hint.
        self.fields["lost_category"].choices = [("", "(choose one)"), *LostReason.choices]

    def clean(self):
        cleaned = super().clean()
        require_category_when_lost(cleaned.get("stage"), cleaned.get("lost_category", ""))
        return cleaned


class EmailForm(forms.Form):
    # One key per form shown: the same form sent twice sends one email.
    key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    subject = forms.CharField(
        max_length=300,
        widget=forms.TextInput(attrs={"size": 70}),
        error_messages={"required": "Write a subject."},
    )
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 16, "cols": 80}),
        error_messages={"required": "Write the email."},
    )

    def clean_subject(self):
        subject = " ".join(self.cleaned_data["subject"].split())
        refuse_placeholders(subject)
        return subject

    def clean_body(self):
        body = self.cleaned_data["body"]
        refuse_placeholders(body)
        return body


def refuse_placeholders(text: str) -> None:
    """A {{ placeholder }} left in an email would reach the client as typed."""
    left = sorted({match.group(0) for match in PLACEHOLDER.finditer(text)})
    if left:
        raise forms.ValidationError(
            f"Replace {', '.join(left)} with what it stands for before sending: "
            "it would reach the client as typed."
        )


class TemplateChoiceForm(forms.Form):
    template = forms.ModelChoiceField(
        queryset=EmailTemplate.objects.all(),
        label="Start from",
        empty_label="(a blank email)",
        required=False,
    )
