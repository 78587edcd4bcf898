import re
import secrets
import time
from dataclasses import dataclass, field

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Fieldset, Layout, Submit
from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html, strip_tags

from leads.models import Inquiry, RemotePolicy, Timeline
from leads.validators import deliverable_email
from roles.choices import published_role_choices

TOKEN_SALT = "leads.contact-form"

# One line of text: no control characters at all, so nothing typed here can
# break an email header or a CSV row.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
# A block of text may keep its line breaks and tabs.
CONTROL_CHARACTERS_EXCEPT_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
PHONE = re.compile(r"^\+?[0-9 ().-]{6,25}$")


def single_line(value: str) -> None:
    if CONTROL_CHARACTERS.search(value):
        raise ValidationError("Use letters, numbers and punctuation only, on one line.")


def plain_text(value: str) -> None:
    if CONTROL_CHARACTERS_EXCEPT_LINES.search(value):
        raise ValidationError("Remove the special characters from this text.")


def summary_name(label) -> str:
    return strip_tags(str(label)).replace("(optional)", "").strip().rstrip(".").strip()


@dataclass(frozen=True)
class FormToken:
    """The signed hidden token of one form view: when it was shown, a key that
    makes a double submit one inquiry, and what the visitor was looking at."""

    key: str
    issued_at: float
    context: dict = field(default_factory=dict)

    @classmethod
    def issue(cls, context: dict) -> "FormToken":
        return cls(key=secrets.token_urlsafe(24), issued_at=time.time(), context=context)

    def sign(self) -> str:
        payload = {"k": self.key, "t": self.issued_at, "c": self.context}
        return signing.dumps(payload, salt=TOKEN_SALT, compress=True)

    @classmethod
    def read(cls, value: str) -> "FormToken | None":
        try:
            payload = signing.loads(value, salt=TOKEN_SALT)
            return cls(key=str(payload["k"]), issued_at=float(payload["t"]), context=payload["c"])
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            return None

    @property
    def age_seconds(self) -> float:
        return time.time() - self.issued_at


class TelInput(forms.TextInput):
    """A phone number field: phones show their number pad."""

    input_type = "tel"


class ErrorSummaryMixin:
    """What includes/_error_summary.html lists above a public form."""

    def error_summary(self) -> list[tuple[str, str, str]]:
        """(field id, its name, the error) for the summary above the form: the label
        without its "(optional)" or closing full stop, so "Phone: Enter a phone number."
        reads as one sentence."""
        return [
            (field.id_for_label, summary_name(field.label), error)
            for field in self
            for error in field.errors
        ]


class LeadForm(ErrorSummaryMixin, forms.Form):
    """The public "Speak with a recruiting expert" form.

    Only these fields are read from a submission: nothing here can set a stage,
    an assignee or any other pipeline field.
    """

    name = forms.CharField(
        label="Your name",
        max_length=150,
        validators=[single_line],
        error_messages={"required": "Tell us your name."},
    )
    email = forms.EmailField(
        label="Work email",
        max_length=254,
        validators=[deliverable_email],
        error_messages={
            "required": "Enter your work email so a recruiter can reply.",
            "invalid": "Enter a valid email address, like jane@company.com.",
        },
    )
    phone = forms.CharField(
        label="Phone (optional)",
        max_length=25,
        required=False,
        widget=TelInput,
        error_messages={"max_length": "A phone number has at most 25 characters."},
    )
    company = forms.CharField(
        max_length=150,
        validators=[single_line],
        error_messages={"required": "Tell us which company is hiring."},
    )
    job_title = forms.CharField(
        label="Your job title",
        max_length=150,
        validators=[single_line],
        error_messages={"required": "Tell us your role, so we know who we are talking to."},
    )
    roles = forms.MultipleChoiceField(
        label="Roles you are hiring for",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "“%(value)s” is not one of our role templates."},
    )
    hires = forms.IntegerField(
        label="Number of hires",
        min_value=1,
        max_value=999,
        initial=1,
        error_messages={
            "required": "How many people do you want to hire?",
            "invalid": "Enter a whole number of hires, like 2.",
            "min_value": "Enter at least 1 hire.",
            "max_value": "For more than 999 hires, say so in your message.",
        },
    )
    location = forms.CharField(
        label="Location or market",
        max_length=150,
        validators=[single_line],
        help_text="City, state or metro area where the hires will work.",
        error_messages={"required": "Tell us where the hires will work, or say remote."},
    )
    # Optional, and nothing chosen until the employer chooses: a preselected first
    # option would record an answer nobody gave.
    remote_policy = forms.ChoiceField(
        label="Remote policy (optional)",
        choices=[("", Inquiry.NOT_SAID), *RemotePolicy.choices],
        required=False,
    )
    timeline = forms.ChoiceField(
        label="When do you need them? (optional)",
        choices=[("", Inquiry.NOT_SAID), *Timeline.choices],
        required=False,
    )
    message = forms.CharField(
        label="Anything else we should know? (optional)",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[plain_text],
        error_messages={"max_length": "Keep the message under 5,000 characters."},
    )
    consent = forms.BooleanField(
        error_messages={"required": "We need your agreement before a recruiter can contact you."},
    )
    # A field people never see: bots that fill every field fill this one too.
    website = forms.CharField(label="Leave this empty", required=False, max_length=200)
    token = forms.CharField(widget=forms.HiddenInput, max_length=4000)

    def __init__(self, *args, role_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = (
            role_choices if role_choices is not None else published_role_choices()
        )
        self.fields["consent"].label = format_html(
            'I agree to be contacted about this request (see our <a href="{}">privacy notice</a>).',
            reverse("leads:privacy"),
        )
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["company"].widget.attrs["autocomplete"] = "organization"
        self.fields["job_title"].widget.attrs["autocomplete"] = "organization-title"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset(
                "About you",
                "name",
                "email",
                "phone",
                "company",
                "job_title",
            ),
            Fieldset(
                "What you need",
                "roles",
                "hires",
                "location",
                "remote_policy",
                "timeline",
                "message",
            ),
            "consent",
            Div(
                Field("website", tabindex="-1", autocomplete="off"),
                css_class="form-trap",
                aria_hidden="true",
            ),
            HTML('<p class="small text-body-secondary">We reply within one business day.</p>'),
            Submit("submit", "Send to a recruiting expert", css_class="btn-lg"),
        )

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not PHONE.match(phone):
            raise ValidationError("Enter a phone number with digits, spaces, + ( ) - only.")
        return phone

    def clean_token(self) -> FormToken:
        token = FormToken.read(self.cleaned_data["token"])
        if token is None:
            raise ValidationError("This form could not be checked. Please send it again.")
        return token
