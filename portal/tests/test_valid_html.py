"""Every public page is valid HTML by the Nu HTML Checker (vnu.jar, the W3C's own
checker; `make` installs it from the npm registry into .venv/vnu/, and it runs on
Java, which .ci/run installs). Duplicate attributes, ARIA on the wrong element,
stray end tags: none of them reach a visitor."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from portal.tests.public_site import PUBLIC_PAGES, populate_public_site

ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = Path(
    os.environ.get("VNU_JAR", ROOT / ".venv/vnu/node_modules/vnu-jar/build/dist/vnu.jar")
)
NO_CHECKER = (
    "NO java or vnu.jar FOUND: the Nu HTML Checker cannot run. Install Debian's "
    "default-jre-headless, and vnu.jar with `make .venv/.dev` (or set VNU_JAR)."
)


def nu_html_checker(files: list[Path]) -> list[dict]:
    """The checker's errors (not its warnings) for these files, read from its JSON."""
    result = subprocess.run(
        [
            "java",
            "-Xss4m",
            "-jar",
            str(VNU_JAR),
            "--errors-only",
            "--format",
            "json",
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    return [m for m in json.loads(result.stderr)["messages"] if m["type"] == "error"]


@pytest.fixture(scope="module")
def java():
    if shutil.which("java") is None or not VNU_JAR.is_file():
        if os.environ.get("CI"):
            pytest.fail(NO_CHECKER)
        pytest.skip(NO_CHECKER)


@pytest.mark.django_db
def test_every_public_page_is_valid_html(java, client, tmp_path):
    populate_public_site()
    files = {}
    for number, path in enumerate(PUBLIC_PAGES):
        response = client.get(path)
        assert response.status_code == 200, path
        files[path] = tmp_path / f"page-{number}.html"
        files[path].write_bytes(response.content)
    by_file = {str(file): path for path, file in files.items()}

    errors = nu_html_checker(list(files.values()))

    found = [
        f"{by_file[m['url'].removeprefix('file:')]} line {m.get('lastLine')}: {m['message']}"
        for m in errors
    ]
    assert found == []


def test_the_checker_finds_an_error(java, tmp_path):
    page = tmp_path / "bad.html"
    page.write_text(
        '<!doctype html><html lang="en"><head><title>x</title></head>'
        '<body><input type="text" type="tel"><span aria-label="3 roles">3</span></body></html>'
    )

    messages = [m["message"] for m in nu_html_checker([page])]

    assert any("Duplicate attribute" in m for m in messages)
    assert any("aria-label" in m and "span" in m for m in messages)
