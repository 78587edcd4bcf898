"""Recruiters' public profiles: the photo they upload, made safe to show, and the
address their profile keeps once published."""

import hashlib
import io

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from PIL import Image, ImageOps, UnidentifiedImageError

from leads.models import RecruiterProfile

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# A 5 MB file can still claim a huge canvas (a decompression bomb): refuse those.
MAX_PIXELS = 40_000_000
ACCEPTED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
PHOTO_SIZE = (480, 480)
TOO_LARGE = "The photo's dimensions are too large: at most 40 megapixels."


def photo_from_upload(upload) -> tuple[bytes, str]:
    """A square 480 px JPEG of the uploaded portrait, and its digest for the URL.

    Re-encoding keeps none of the file's metadata (a phone's EXIF names the place
    and the device) and nothing but pixels reaches visitors."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError("The photo is larger than 5 MB: choose a smaller file.")
    try:
        with Image.open(upload) as probe:  # reads the header: a giant canvas fails here
            kind = probe.format
            width, height = probe.size
            probe.verify()  # a truncated or corrupt file fails here
        if kind not in ACCEPTED_FORMATS:
            raise ValidationError("Upload a JPEG, PNG or WebP photo.")
        if width * height > MAX_PIXELS:
            raise ValidationError(TOO_LARGE)
        upload.seek(0)
        with Image.open(upload) as image:
            image = ImageOps.exif_transpose(image).convert("RGB")
            square = ImageOps.fit(image, PHOTO_SIZE, method=Image.Resampling.LANCZOS)
    except Image.DecompressionBombError as error:
        raise ValidationError(TOO_LARGE) from error
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        raise ValidationError(
            "This file is not a photo we can read: upload a JPEG, PNG or WebP."
        ) from error
    out = io.BytesIO()
    square.save(out, "JPEG", quality=85, optimize=True, progressive=True)
    data = out.getvalue()
    return data, hashlib.sha256(data).hexdigest()[:16]


def profile_slug(profile: RecruiterProfile) -> str:
    """The profile's address, made once from its name and kept after (links to it
    stay good when the name is edited)."""
    if profile.slug:
        return profile.slug
    base = slugify(profile.public_name)[:90] or f"recruiter-{profile.user_id}"
    slug, number = base, 2
    while RecruiterProfile.objects.filter(slug=slug).exclude(pk=profile.pk).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug
