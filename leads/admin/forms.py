"""Forms of the recruiters' screens. None saves a lead itself: each turns what was typed
into `LeadChanges`, which `lead_apply` carries out through the lead's own methods."""

from django import forms
from django.contrib.admin import widgets
from django.core.exceptions import ValidationError

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


class LeadAdminForm(LossFields, forms.ModelForm):
    """The lead's page: contact and deal details, and the pipeline's changes."""

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
        self.fields["assignee"].initial = lead.assigned_to_id
        self.fields["new_next_step"].initial = lead.next_step
        self.fields["new_next_step_due_at"].initial = lead.next_step_due_at
        if not lead.next_step:
            del self.fields["next_step_done"]

    def clean(self):
        cleaned = super().clean()
        require_category_when_lost(cleaned.get("move_to"), cleaned.get("lost_category", ""))
        text, due = cleaned.get("new_next_step", ""), cleaned.get("new_next_step_due_at")
        edited = {"new_next_step", "new_next_step_due_at"} & set(self.changed_data)
        if edited and bool(text) != bool(due):
            field = "new_next_step_due_at" if text else "new_next_step"
            self.add_error(field, NEXT_STEP_NEEDS_BOTH)
        return cleaned

    def changes(self, original: Lead) -> LeadChanges:
        """What this form asks of the lead as it is in the database (`original`)."""
        data = self.cleaned_data
        details = {
            name: data[name]
            for name in [*DETAIL_FIELDS, "value_override"]
            if name in self.changed_data
        }
        assignee = data["assignee"]
        next_step_changed = bool({"new_next_step", "new_next_step_due_at"} & set(self.changed_data))
        # Emptying both fields is the same as ticking "done".
        cleared = (
            next_step_changed and not data["new_next_step"] and not data["new_next_step_due_at"]
        )
        return LeadChanges(
            details=details,
            assignee=assignee if assignee != original.assigned_to else KEEP,
            stage=data["move_to"],
            lost_category=data["lost_category"],
            reason=data["reason"],
            next_step_done=data.get("next_step_done", False) or cleared,
            next_step=data["new_next_step"] if next_step_changed else "",
            next_step_due_at=data["new_next_step_due_at"],
            note=data["note"],
        )


class AssignForm(forms.Form):
    recruiter = RecruiterChoiceField(queryset=recruiters(), label="Assign to")


class MoveForm(LossFields):
    stage = forms.ChoiceField(choices=Stage.choices)
    field_order = ["stage", "lost_category", "reason"]

    def clean(self):
        cleaned = super().clean()
        require_category_when_lost(cleaned.get("stage"), cleaned.get("lost_category", ""))
        return cleaned


class EmailForm(forms.Form):
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
        return " ".join(self.cleaned_data["subject"].split())


class TemplateChoiceForm(forms.Form):
    template = forms.ModelChoiceField(
        queryset=EmailTemplate.objects.all(),
        label="Start from",
        empty_label="(a blank email)",
        required=False,
    )
