"""Production serving, for real: gunicorn started with `make serve`'s own settings
(portal/gunicorn_conf.py), and clients that misbehave at the socket level."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """gunicorn on a free port, production settings, its own database (migrated, the
    role library seeded) and static files, its access log in a file."""
    port = free_port()
    folder = tmp_path_factory.mktemp("gunicorn")
    log = folder / "access.log"
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/"),
        "BIND": f"127.0.0.1:{port}",
        "WORKERS": "2",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "serving-test-only-not-a-secret-0123456789abcdefghijklmnop",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"sqlite:///{folder / 'portal.sqlite3'}",
        "DJANGO_STATIC_ROOT": str(folder / "static"),
        # Plain HTTP here, as behind the TLS proxy: pages answer instead of redirecting.
        "DJANGO_SECURE_SSL_REDIRECT": "false",
    }
    for command in (["migrate"], ["seed_roles"], ["collectstatic", "--noinput"]):
        subprocess.run(
            [sys.executable, "manage.py", *command, "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(GUNICORN), "portal.wsgi", "-c", "portal/gunicorn_conf.py"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=1)
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail(f"gunicorn did not start:\n{log.read_text()}")
            time.sleep(0.2)
    yield base, port, log, env
    process.terminate()
    process.wait(timeout=10)


def timed_get(url: str) -> tuple[bytes, float]:
    start = time.monotonic()
    body = urllib.request.urlopen(url, timeout=10).read()
    return body, time.monotonic() - start


def test_two_idle_half_open_connections_do_not_stop_the_site(server):
    base, port, _, _ = server
    idle = []
    for _ in range(2):
        connection = socket.create_connection(("127.0.0.1", port))
        connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # never finished
        idle.append(connection)
    silent = socket.create_connection(("127.0.0.1", port))  # and one that says nothing
    time.sleep(0.3)
    try:
        for _ in range(4):  # more requests than workers: each must be answered
            body, seconds = timed_get(f"{base}/healthz")
            assert (body, seconds < 1) == (b"ok", True), seconds
    finally:
        for connection in [*idle, silent]:
            connection.close()


def test_the_access_log_keeps_paths_without_query_strings(server):
    base, _, log, _ = server
    urllib.request.urlopen(f"{base}/healthz?q=jane.doe@acme.example", timeout=5).read()
    time.sleep(0.3)

    lines = [line for line in log.read_text().splitlines() if '"GET /healthz' in line]

    assert lines
    assert all("jane.doe" not in line and "?" not in line for line in lines)


def test_the_fuzz_target_finds_no_5xx_on_the_running_server(server):
    base, _, _, env = server

    result = subprocess.run(
        [sys.executable, "manage.py", "fuzz_server", base, "--requests", "150"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "5xx answers: 0; failures: 0." in result.stdout
    sent = int(result.stdout.split(" requests sent")[0])
    assert sent >= 100  # most generated requests can be sent at all


def test_every_stylesheet_closes_each_block_it_opens():
    """An unclosed block silently swallows every rule after it (merges appended
    sections to site.css, and one left a block open)."""
    for sheet in (Path(__file__).resolve().parents[2] / "static" / "css").glob("*.css"):
        depth = 0
        for number, char in enumerate(re.sub(r"/\*.*?\*/", "", sheet.read_text(), flags=re.S)):
            depth += {"{": 1, "}": -1}.get(char, 0)
            assert depth >= 0, f"{sheet.name}: a '}}' closes nothing (character {number})"
        assert depth == 0, f"{sheet.name}: {depth} block(s) left open"


def test_no_template_comment_spans_lines():
    """Django's {# #} comment ends with its line: one that goes on is printed on the
    page (a note about the metro table once was). Longer notes use {% comment %}."""
    open_ended = [
        f"{template.relative_to(ROOT)}:{number}"
        for template in (ROOT / "templates").rglob("*.html")
        for number, line in enumerate(template.read_text().splitlines(), start=1)
        if re.search(r"\{#(?!.*#\})", line)
    ]
    assert open_ended == []
