"""The recruiters' workbench in the Django admin, one module per screen: the lead list and
page (`leads`), My work, the board, the dashboard, emailing a lead, and the people."""

from leads.admin import email, leads, people

__all__ = ["email", "leads", "people"]
