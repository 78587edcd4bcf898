"""The builder's form: everything an employer changes in a template, as plain fields that
work without JavaScript. A section's bullets are a text box, one bullet per line: delete a
line to leave it out, move it to reorder, type a new one to add it."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator

from leads.forms import ErrorSummaryMixin, plain_text, single_line
from roles.builder.pay import pay_range
from roles.models import Role, Section, Seniority
from roles.wages.presentation import OccupationWages

EMPLOYMENT_TYPE_CHOICES = [
    ("full_time", "Full-time"),
    ("part_time", "Part-time"),
    ("contract", "Contract"),
    ("contract_to_hire", "Contract-to-hire"),
]
WORKPLACE_CHOICES = [
    ("onsite", "On-site"),
    ("hybrid", "Hybrid"),
    ("remote", "Remote"),
]
# A pasted list keeps its words, not its bullet marks.
BULLET_MARK = re.compile(r"^\s*(?:[-*\u2022\u00b7\u2013]|\d+[.)])\s+")
MAX_BULLETS = 40
MAX_BULLET_LENGTH = 500
MAX_BLOCK = 8000
MAX_PAY = 10_000_000
SECTION_FIELDS = [section.value for section in Section]
LIST_FIELDS = [*SECTION_FIELDS, "benefits"]


def bullets(text: str) -> list[str]:
    """A text box's lines as bullets: marks and blank lines dropped."""
    return [line for raw in text.splitlines() if (line := BULLET_MARK.sub("", raw).strip())]


class BulletsField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 6})

    def __init__(self, **kwargs):
        super().__init__(
            required=False,
            max_length=MAX_BLOCK,
            validators=[plain_text],
            help_text="One per line.",
            **kwargs,
        )

    def validate(self, value):
        super().validate(value)
        lines = bullets(value)
        if len(lines) > MAX_BULLETS:
            raise ValidationError(f"Keep it to {MAX_BULLETS} lines or fewer.")
        if any(len(line) > MAX_BULLET_LENGTH for line in lines):
            raise ValidationError(f"Keep each line under {MAX_BULLET_LENGTH} characters.")


class PayField(forms.IntegerField):
    def __init__(self, label):
        super().__init__(
            label=label,
            required=False,
            validators=[MinValueValidator(1), MaxValueValidator(MAX_PAY)],
            widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 1}),
            error_messages={
                "invalid": "Enter a yearly figure in dollars, digits only, like 150000.",
                "min_value": "Enter a yearly figure above zero.",
                "max_value": f"Enter a yearly figure up to {MAX_PAY:,}.",
            },
        )


# `suggested_pay` says where the pay fields' figures came from: "<low>-<high>", the data's
# range as last shown; NO_DATA, the data had none to show; empty, the employer's own.
NO_DATA = "none"


class PostingForm(ErrorSummaryMixin, forms.Form):
    # In the order the page shows them, so the error summary reads top to bottom.
    title = forms.CharField(
        label="Job title",
        max_length=150,
        validators=[single_line],
        error_messages={"required": "Enter a job title."},
    )
    seniority = forms.ChoiceField(choices=Seniority.choices)
    employment_type = forms.ChoiceField(label="Employment type", choices=EMPLOYMENT_TYPE_CHOICES)
    area = forms.ChoiceField(
        label="Market",
        required=False,
        widget=forms.Select(attrs={"class": "form-select", "data-filterable": ""}),
        error_messages={"invalid_choice": "Choose a market from the list."},
    )
    workplace = forms.ChoiceField(label="Workplace", choices=WORKPLACE_CHOICES)
    pay_low = PayField("Pay from (USD a year)")
    pay_high = PayField("Pay to (USD a year)")
    suggested_pay = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)
    company = forms.CharField(
        label="Company name", max_length=120, required=False, validators=[single_line]
    )
    company_url = forms.URLField(
        label="Company website",
        max_length=300,
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter the website's address, like acme.com."},
    )
    about_company = forms.CharField(
        label="About your company",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        validators=[plain_text],
    )
    overview = forms.CharField(
        label="About the role",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=MAX_BLOCK,
        required=False,
        validators=[plain_text],
    )
    responsibility = BulletsField(label="Responsibilities")
    hard_skill = BulletsField(label="Hard skills")
    soft_skill = BulletsField(label="Soft skills")
    education = BulletsField(label="Education")
    certification = BulletsField(label="Certifications")
    preferred_qualification = BulletsField(label="Preferred qualifications")
    benefits = BulletsField(label="Benefits")

    def __init__(self, *args, role: Role, wages: OccupationWages, **kwargs):
        super().__init__(*args, **kwargs)
        self.role, self.wages = role, wages
        self.fields["area"].choices = [
            ("", "United States (national figures)"),
            *((group, options) for group, options in wages.market_choices() if options),
        ]

    @classmethod
    def initial_for(cls, role: Role, wages: OccupationWages, *, area: str = "", seniority=""):
        """The template as a posting: its words, its seniority, the pay of its band."""
        seniority = seniority if seniority in Seniority.values else role.seniority
        area = area if wages.market(area) else ""
        answers = {
            "title": role.title,
            "seniority": seniority,
            "employment_type": "full_time",
            "workplace": "onsite",
            "area": area,
            "overview": "\n\n".join(role.overview_paragraphs()),
            **{section: "\n".join(role.items_in(Section(section))) for section in SECTION_FIELDS},
        }
        return cls.with_suggested_pay(answers, wages)

    @staticmethod
    def with_suggested_pay(answers: dict, wages: OccupationWages) -> dict:
        """The answers with the data's range for their market and seniority, if it has one."""
        suggested = pay_range(wages.market(answers["area"]) or wages.national, answers["seniority"])
        if suggested is None:
            return answers | {"pay_low": None, "pay_high": None, "suggested_pay": NO_DATA}
        return answers | {
            "pay_low": suggested.low,
            "pay_high": suggested.high,
            "suggested_pay": f"{suggested.low}-{suggested.high}",
        }

    def clean(self):
        data = super().clean()
        if "pay_low" in self.errors or "pay_high" in self.errors:
            return data
        low, high = data.get("pay_low"), data.get("pay_high")
        if low is None and high is not None:
            self.add_error("pay_low", "Enter where the range starts, or clear both figures.")
        elif high is None and low is not None:
            self.add_error("pay_high", "Enter where the range ends, or clear both figures.")
        elif low is not None and low > high:
            self.add_error("pay_high", "Enter a figure at least as high as the first.")
        if self.errors:
            return data
        shown = f"{low}-{high}" if low is not None else NO_DATA
        if shown == data.get("suggested_pay"):
            # Still what the data said: it follows the market and seniority chosen now.
            data.update(self.with_suggested_pay(data, self.wages))
        else:
            # Typed or cleared by the employer: kept, and never replaced again.
            data["suggested_pay"] = ""
        return data

    def data_pay(self) -> dict:
        """The answers with the data's range put back (the employer asked for it)."""
        return self.with_suggested_pay(self.answers(), self.wages)

    def answers(self) -> dict:
        """What the form holds, as a draft stores it and the form takes it back."""
        return {name: self.cleaned_data.get(name) for name in self.fields}
