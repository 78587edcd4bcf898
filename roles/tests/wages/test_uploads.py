"""Uploaded BLS files kept between the dry run and the commit, found only by their token."""

import stat

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from roles.wages.importer import ImportSummary
from roles.wages.uploads import (
    TOKEN,
    UploadTokenError,
    upload_discard,
    upload_get,
    upload_store,
)


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    settings.WAGE_UPLOAD_DIR = tmp_path / "uploads"
    return settings.WAGE_UPLOAD_DIR


def store(name="MSA_M2025_dl.xlsx", user_id=7):
    return upload_store(
        file=SimpleUploadedFile(name, b"contents"),
        year=2025,
        top_code_bound=200_000,
        user_id=user_id,
    )


def test_a_file_is_kept_privately_under_a_random_token(upload_dir):
    first, second = store(), store()

    assert TOKEN.fullmatch(first.token)
    assert first.token != second.token
    assert first.path == upload_dir / f"{first.token}.xlsx"
    assert first.path.read_bytes() == b"contents"
    assert stat.S_IMODE(first.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(first.record.stat().st_mode) == 0o600
    assert stat.S_IMODE(upload_dir.stat().st_mode) == 0o700


def test_the_token_gives_back_the_upload_with_its_options_and_summary():
    upload = store(name="../../evil/MSA.CSV")
    upload.summary = ImportSummary(
        rows=3, by_area_type={4: {"inserted": 3, "updated": 0, "unchanged": 0}}
    )
    upload.save_record()

    again = upload_get(upload.token, user_id=7)

    assert again == upload
    assert (again.name, again.path.suffix, again.year, again.top_code_bound) == (
        "MSA.CSV",
        ".csv",
        2025,
        200_000,
    )
    assert again.summary.inserted == 3


def test_only_its_uploader_gets_it():
    upload = store(user_id=7)

    assert upload_get(upload.token, user_id=8) is None


@pytest.mark.parametrize(
    "token", ["../../etc/passwd", "0" * 31, "0" * 32 + "/", "0" * 32 + ".json", "", "G" * 32]
)
def test_anything_but_a_token_is_refused_before_the_file_system(token):
    with pytest.raises(UploadTokenError):
        upload_get(token, user_id=7)
    with pytest.raises(UploadTokenError):
        upload_discard(token)


def test_discarding_deletes_the_file_and_its_record(upload_dir):
    upload = store()

    upload_discard(upload.token)

    assert list(upload_dir.iterdir()) == []
    assert upload_get(upload.token, user_id=7) is None


def test_a_file_type_the_importer_cannot_read_is_not_kept(upload_dir):
    with pytest.raises(ValueError, match="not a BLS file type"):
        store(name="wages.exe")

    assert list(upload_dir.iterdir()) == []
