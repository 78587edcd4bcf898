"""Checks on what people type that both the public form and the admin apply."""

import re

from django.core.exceptions import ValidationError

# Django's email check accepts what the standard allows, including quoted local
# parts with control characters ("\x01"@example.com) and IP literals
# (a@[127.0.0.1]); mail servers refuse those, and the confirmation could never
# be delivered. A deliverable address is a plain local part at a domain name.
DELIVERABLE_EMAIL = re.compile(r'^[^\s"\[\]@\\\x00-\x1f\x7f]+@[^\s"\[\]@\\\x00-\x1f\x7f]+$')
UNDELIVERABLE_EMAIL = "Enter an email address at a domain name, like jane@company.com."


def deliverable_email(value: str) -> None:
    if not DELIVERABLE_EMAIL.match(value):
        raise ValidationError(UNDELIVERABLE_EMAIL, code="invalid")
