"""BLS files uploaded in the admin, kept between the dry run and the commit.

The editor reviews what a file would change, then commits it without sending it
again: the file waits in `settings.WAGE_UPLOAD_DIR` under a random token, with a
small JSON record of who uploaded it, its options and its dry-run summary. Pages
refer to an upload only by its token, which is checked against a strict pattern
before it goes near the file system (no path can be smuggled in), and a token
opens an upload only for the user who made it. Uploads are deleted once committed
or discarded; ones left behind are deleted after `WAGE_UPLOAD_MAX_AGE_SECONDS`.
"""

import json
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from roles.wages.importer import ImportSummary

TOKEN = re.compile(r"^[0-9a-f]{32}$")
SUFFIXES = {".csv", ".xlsx", ".xlsm"}


class UploadTokenError(ValueError):
    """A token that is not one this module could have made."""


@dataclass
class WageUpload:
    token: str
    path: Path
    name: str
    year: int | None
    top_code_bound: int
    user_id: int
    summary: ImportSummary | None = None

    @property
    def record(self) -> Path:
        return _record_path(self.token)

    def save_record(self) -> None:
        data = {
            "name": self.name,
            "suffix": self.path.suffix,
            "year": self.year,
            "top_code_bound": self.top_code_bound,
            "user_id": self.user_id,
            "summary": self.summary.as_json() if self.summary else None,
        }
        _write_private(self.record, json.dumps(data).encode())


def upload_store(
    *, file: UploadedFile, year: int | None, top_code_bound: int, user_id: int
) -> WageUpload:
    """Keep an uploaded file under a new token (and clear out abandoned uploads)."""
    uploads_clean()
    suffix = Path(file.name).suffix.lower()
    if suffix not in SUFFIXES:
        raise ValueError(f"{suffix!r} is not a BLS file type")
    token = secrets.token_hex(16)
    upload = WageUpload(
        token=token,
        path=_directory() / f"{token}{suffix}",
        name=Path(file.name).name,
        year=year,
        top_code_bound=top_code_bound,
        user_id=user_id,
    )
    with open(upload.path, "xb", opener=_private) as handle:
        for chunk in file.chunks():
            handle.write(chunk)
    upload.save_record()
    return upload


def upload_get(token: str, *, user_id: int) -> WageUpload | None:
    """The upload a token names, if it is still here and was made by this user.

    Raises UploadTokenError for a token of the wrong shape."""
    if not isinstance(token, str) or not TOKEN.fullmatch(token):
        raise UploadTokenError(token)
    record = _record_path(token)
    try:
        data = json.loads(record.read_bytes())
    except (OSError, ValueError):
        return None
    if data.get("user_id") != user_id or data.get("suffix") not in SUFFIXES:
        return None
    if _is_stale(record):
        upload_discard(token)
        return None
    path = _directory() / f"{token}{data['suffix']}"
    if not path.is_file():
        return None
    return WageUpload(
        token=token,
        path=path,
        name=data["name"],
        year=data["year"],
        top_code_bound=data["top_code_bound"],
        user_id=data["user_id"],
        summary=ImportSummary.from_json(data["summary"]) if data["summary"] else None,
    )


def upload_discard(token: str) -> None:
    if not TOKEN.fullmatch(token):
        raise UploadTokenError(token)
    for suffix in (".json", *SUFFIXES):
        (_directory() / f"{token}{suffix}").unlink(missing_ok=True)


def uploads_clean() -> int:
    """Delete uploads nobody committed in time; how many files went."""
    directory = _directory()
    removed = 0
    for path in directory.iterdir():
        ours = TOKEN.fullmatch(path.stem) and path.suffix in {".json", *SUFFIXES}
        if ours and _is_stale(path):
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def _directory() -> Path:
    directory = Path(settings.WAGE_UPLOAD_DIR)
    # Private to the portal's user: the files are editors' uploads, nobody else's business.
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    return directory


def _record_path(token: str) -> Path:
    return _directory() / f"{token}.json"


def _is_stale(path: Path) -> bool:
    try:
        age = time.time() - path.stat().st_mtime
    except FileNotFoundError:
        return False
    return age > settings.WAGE_UPLOAD_MAX_AGE_SECONDS


def _private(name, flags) -> int:
    return os.open(name, flags, 0o600)


def _write_private(path: Path, data: bytes) -> None:
    with open(path, "wb", opener=_private) as handle:
        handle.write(data)
