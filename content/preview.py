"""Signed links to an unpublished service page or article, as roles.preview does
for role templates: the link is the permission, it names one page in a signature
only this site can make, and it expires. Preview pages are never indexed or cached."""

import datetime

from django.core import signing
from django.db import models
from django.urls import reverse

SALT = "content.preview"
PREVIEW_LIFETIME = datetime.timedelta(days=14)
# Each kind of page signs its own tokens: an article's link never opens a service page.
URL_NAMES = {"article": "content:article_preview", "servicepage": "content:service_preview"}


def preview_url(page: models.Model) -> str:
    kind = page._meta.model_name
    token = signing.dumps(page.pk, salt=f"{SALT}.{kind}")
    return reverse(URL_NAMES[kind], kwargs={"token": token})


def pk_from(token: str, *, kind: str) -> int | None:
    """The page of `kind` a preview token names, or None when forged or expired."""
    try:
        pk = signing.loads(token, salt=f"{SALT}.{kind}", max_age=PREVIEW_LIFETIME)
    except signing.BadSignature:  # SignatureExpired is one
        return None
    return pk if isinstance(pk, int) else None
