"""Addresses and readers shared by the admin tests."""

import re
from html import unescape

from django.urls import reverse

CHANGELIST = reverse("admin:leads_lead_changelist")
MY_WORK = reverse("admin:leads_lead_my_work")
BOARD = reverse("admin:leads_lead_board")
DASHBOARD = reverse("admin:leads_lead_dashboard")


def change_url(lead) -> str:
    return reverse("admin:leads_lead_change", args=[lead.pk])


def text(response) -> str:
    """The page as a reader gets it: tags dropped, entities decoded, white space folded."""
    return " ".join(unescape(re.sub(r"<[^>]*>", " ", response.content.decode())).split())


def action(client, name, leads, **extra):
    data = {"action": name, "_selected_action": [lead.pk for lead in leads], **extra}
    return client.post(CHANGELIST, data)
