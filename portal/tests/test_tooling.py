import os
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIND_PYTHON = ROOT / "scripts" / "find-python"


def find_python(**env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(FIND_PYTHON)],
        env={"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/"), **env},
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_find_python_honours_python_when_it_is_new_enough():
    result = find_python(PYTHON=sys.executable)

    assert result.returncode == 0
    assert result.stdout.strip() == sys.executable


def test_find_python_refuses_an_unusable_python_with_a_clear_message():
    result = find_python(PYTHON="/bin/false")

    assert result.returncode == 1
    assert "is not a working Python 3.12 or newer" in result.stderr


def test_find_python_finds_an_interpreter_it_has_run():
    result = find_python()

    assert result.returncode == 0
    found = result.stdout.strip()
    version = subprocess.run(
        [found, "-c", "import sys; print(sys.version_info >= (3, 12))"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert version.stdout.strip() == "True"


def test_find_python_explains_what_to_do_when_there_is_none(tmp_path):
    # A PATH holding nothing but a Python that is too old (and no pyenv).
    old = tmp_path / "python3"
    old.write_text("#!/bin/sh\nexit 1\n")
    old.chmod(0o755)

    result = subprocess.run(
        ["/bin/sh", str(FIND_PYTHON)],
        env={"PATH": str(tmp_path), "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=30,
    )

    assert result.returncode == 1
    assert "Python 3.12+ is required; set PYTHON=/path/to/python3.12" in result.stderr


def test_make_run_names_another_port_when_its_own_is_taken():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            ["make", "-s", "-C", str(ROOT), "run", f"PORT={port}"],
            capture_output=True,
            text=True,
            timeout=30,
        )

    assert result.returncode != 0
    assert f"Port {port} is taken: run 'make run PORT=8001'" in result.stderr
    assert "migrate" not in result.stdout  # refused before touching the database


def test_a_second_make_run_keeps_an_editors_change(tmp_path):
    """`make run` prepares the database with `make setup`; run it twice around an edit."""
    database = tmp_path / "portal.sqlite3"
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/"),
        "DATABASE_URL": f"sqlite:///{database}",
    }

    def make_setup() -> None:
        subprocess.run(
            ["make", "-s", "-C", str(ROOT), "setup"], env=env, check=True, capture_output=True
        )

    make_setup()
    with sqlite3.connect(database) as connection:
        connection.execute(
            "UPDATE roles_role SET title = 'Conversational AI Engineer' WHERE slug = 'nlp-engineer'"
        )
        connection.execute(
            "DELETE FROM roles_roleitem WHERE id = (SELECT MIN(i.id) FROM roles_roleitem i "
            "JOIN roles_role r ON r.id = i.role_id WHERE r.slug = 'nlp-engineer')"
        )
        before = connection.execute("SELECT COUNT(*) FROM roles_roleitem").fetchone()

    make_setup()

    with sqlite3.connect(database) as connection:
        title = connection.execute(
            "SELECT title FROM roles_role WHERE slug = 'nlp-engineer'"
        ).fetchone()
        after = connection.execute("SELECT COUNT(*) FROM roles_roleitem").fetchone()
    assert title == ("Conversational AI Engineer",)
    assert after == before


def test_outdated_pins_lists_only_what_requirements_pin_and_counts_the_rest():
    outdated = (
        '[{"name": "Django", "version": "6.1.2", "latest_version": "6.1.3"},'
        ' {"name": "factory_boy", "version": "3.3.2", "latest_version": "3.3.3"},'
        ' {"name": "pip", "version": "24.2", "latest_version": "26.3"}]'
    )

    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "outdated-pins")],
        input=outdated,
        capture_output=True,
        text=True,
        timeout=30,
    )

    lines = result.stdout.splitlines()
    assert result.returncode == 0
    assert lines[0].split() == ["Django", "6.1.2", "->", "6.1.3", "requirements.txt"]
    assert lines[1].split() == ["factory_boy", "3.3.2", "->", "3.3.3", "requirements-dev.txt"]
    assert lines[2].startswith("2 of ")
    assert "1 unpinned package(s) behind too" in lines[2]
