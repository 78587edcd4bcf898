from django import template
from django.db import DatabaseError
from django.urls import reverse
from django.utils.http import urlencode

from leads.models import RecruiterProfile

register = template.Library()

# A role page's sidebar has room for a few faces, not a directory.
RECRUITERS_ON_A_ROLE_PAGE = 3


@register.inclusion_tag("includes/_recruiters_for_role.html")
def recruiters_for_role(role, area_code: str = ""):
    """The recruiters who chose to show their profile and specialise in this role's
    family, each with a "Speak with <name>" link that routes the request to them."""
    try:
        profiles = list(
            RecruiterProfile.objects.public().filter(families=role.family_id)[
                :RECRUITERS_ON_A_ROLE_PAGE
            ]
        )
    except DatabaseError:  # the page still shows, without faces
        profiles = []
    for profile in profiles:
        query = {"role": role.slug, "recruiter": profile.slug, "area": area_code}
        profile.contact_url = (
            reverse("leads:contact") + "?" + urlencode({k: v for k, v in query.items() if v})
        )
    return {"recruiters": profiles, "role": role}
