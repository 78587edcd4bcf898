import re

from django.core.exceptions import ValidationError
from django.db import models

# What a template may use, written {{ name }}; filled in by `EmailTemplate.render`.
PLACEHOLDERS = {
    "first_name": "the lead's first name",
    "name": "the lead's full name",
    "company": "the lead's company",
    "roles": "the roles they asked about",
    "hires": "how many hires, as “2 hires”",
    "market": "where they are hiring",
    "recruiter": "your name",
    "recruiter_email": "your email",
    "site_name": "the agency's name",
}
PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")


class UnknownPlaceholder(ValidationError):
    pass


def fill(text: str, values: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda match: values.get(match[1], match[0]), text)


class EmailTemplate(models.Model):
    """A starting point for an email to a lead; the recruiter edits it before sending.

    Plain text with {{ placeholders }}, not the Django template language: staff
    write these, and nothing here can reach beyond the values listed."""

    name = models.CharField(max_length=100, unique=True)
    subject = models.CharField(max_length=200)
    body = models.TextField(help_text="Plain text. The placeholders you may use are listed above.")
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in the list.")

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        for field in ("subject", "body"):
            unknown = sorted(set(PLACEHOLDER.findall(getattr(self, field))) - set(PLACEHOLDERS))
            if unknown:
                listed = ", ".join(f"{{{{ {name} }}}}" for name in unknown)
                errors[field] = f"Unknown placeholder {listed}: use one of those listed below."
        if errors:
            raise UnknownPlaceholder(errors)

    def render(self, values: dict[str, str]) -> tuple[str, str]:
        """(subject, body) with the placeholders filled in."""
        return " ".join(fill(self.subject, values).split()), fill(self.body, values)
