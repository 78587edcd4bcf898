"""The agency as visitors see it: its name, phone, office and privacy contact.

All of it comes from settings (the environment), never from code: a value that is
not set is left off the pages, and `check --deploy` names it (portal.W010).
"""

import re
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Agency:
    name: str
    legal_name: str
    phone: str
    address: str
    privacy_email: str
    retention_days: int
    spam_retention_days: int
    draft_retention_days: int

    @classmethod
    def from_settings(cls) -> "Agency":
        return cls(
            name=settings.SITE_NAME,
            legal_name=settings.AGENCY_LEGAL_NAME or settings.SITE_NAME,
            phone=settings.AGENCY_PHONE,
            address=settings.AGENCY_ADDRESS,
            privacy_email=settings.AGENCY_PRIVACY_EMAIL,
            retention_days=settings.LEADS_RETENTION_DAYS,
            spam_retention_days=settings.LEADS_SPAM_RETENTION_DAYS,
            draft_retention_days=settings.BUILDER_DRAFT_RETENTION_DAYS,
        )

    @property
    def tel_uri(self) -> str:
        """The phone as a `tel:` link (RFC 3966): "+1 (415) 555-0100" -> "tel:+14155550100"."""
        if not self.phone:
            return ""
        return "tel:" + ("+" if self.phone.startswith("+") else "") + re.sub(r"\D", "", self.phone)

    @property
    def address_lines(self) -> list[str]:
        """The office address, one line per part ("|" separates them in the setting)."""
        return [line.strip() for line in self.address.split("|") if line.strip()]

    @property
    def retention(self) -> str:
        """How long a closed request's details are kept, as people say it."""
        return in_words(self.retention_days)


def in_words(days: int) -> str:
    if days % 365 == 0:
        years = days // 365
        return f"{years} year{'s' if years != 1 else ''}"
    if days % 30 == 0:
        months = days // 30
        return f"{months} month{'s' if months != 1 else ''}"
    return f"{days} day{'s' if days != 1 else ''}"
