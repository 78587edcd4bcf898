"""Signed, unguessable links to a draft as its public page will show it.

Editors send a preview link to a colleague who may not be signed in, so the link
itself is the permission: it names the draft in a signature only this site can
make, and it expires. Preview pages are never indexed or cached.
"""

import datetime

from django.core import signing
from django.urls import reverse

from roles.models import Role

SALT = "roles.preview"
PREVIEW_LIFETIME = datetime.timedelta(days=14)


def preview_url(draft: Role) -> str:
    return reverse("roles:preview", kwargs={"token": signing.dumps(draft.pk, salt=SALT)})


def draft_pk_from(token: str) -> int | None:
    """The draft a preview token names, or None when it is forged or expired."""
    try:
        pk = signing.loads(token, salt=SALT, max_age=PREVIEW_LIFETIME)
    except signing.BadSignature:  # SignatureExpired is one
        return None
    return pk if isinstance(pk, int) else None
