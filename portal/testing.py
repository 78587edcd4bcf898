"""Real services for tests: a Redis server of the suite's own, which tests may stop
or freeze to see the portal survive it, and an SMTP server that refuses addresses
as real ones do."""

import io
import logging
import os
import shutil
import signal
import socket
import subprocess
import time


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A throwaway redis-server on a free loopback port, keeping nothing on disk."""

    def __init__(self, executable: str):
        self.executable = executable
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        options = {"port": self.port, "bind": "127.0.0.1", "save": "", "appendonly": "no"}
        arguments = [item for name, value in options.items() for item in (f"--{name}", str(value))]
        self.process = subprocess.Popen(
            [self.executable, *arguments, "--loglevel", "warning"], stdout=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        """Down: connections are refused."""
        if self.process:
            self.resume()
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def freeze(self) -> None:
        """Hanging: connections are accepted by the kernel and never answered."""
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        if self.process:
            os.kill(self.process.pid, signal.SIGCONT)

    def ensure_running(self) -> None:
        if self.process is None:
            self.start()
        else:
            self.resume()


def find_redis_server() -> str | None:
    return os.environ.get("REDIS_SERVER_PATH") or shutil.which("redis-server")


def page_status_for_query(*texts: str) -> int:
    """What a public page answers to a query holding these texts: the page, or 400
    for a NUL byte (portal.middleware.RejectNulBytesMiddleware)."""
    return 400 if any("\x00" in text for text in texts) else 200


class SmtpServer:
    """A real SMTP server (aiosmtpd) on a free loopback port, in this process.

    It keeps what it accepts in `received`, and answers RCPT for an address in
    `refused` with that reply, quoting the address as real servers do: a 5xx
    refuses it for good, a 4xx for now."""

    def __init__(self):
        self.port = free_port()
        self.received: list = []
        self.refused: dict[str, int] = {}
        self.controller = None

    def start(self) -> None:
        from aiosmtpd.controller import Controller  # a test dependency only

        # The server's own log (it names every recipient) is the remote side's, not
        # the portal's: tests that read the portal's logs must not see it.
        logging.getLogger("mail.log").setLevel(logging.CRITICAL)
        self.controller = Controller(_SmtpHandler(self), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller:
            self.controller.stop()

    def reset(self) -> None:
        self.received.clear()
        self.refused.clear()

    def refuse(self, address: str, code: int) -> None:
        self.refused[address.lower()] = code

    def mailers(self) -> dict:
        """The portal's MAILERS setting, sending through this server."""
        options = {"host": "127.0.0.1", "port": self.port, "timeout": 5}
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": options,
            }
        }


class _SmtpHandler:
    def __init__(self, server: SmtpServer):
        self.server = server

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        code = self.server.refused.get(address.lower())
        if code:
            return f"{code} {code // 100}.1.1 <{address}>: Recipient address rejected"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.server.received.append(envelope)
        return "250 Message accepted for delivery"


def current_code(device) -> str:
    """What the staff member's authenticator app shows now for this TOTP device."""
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def sign_in(client, username: str, password: str, *, next_page: str = "", **extra):
    """Both steps of a staff sign-in, through the pages: the password, then (if it
    was right) the code of the staff member's authenticator app. The last answer."""
    from django.urls import reverse
    from django_otp.plugins.otp_totp.models import TOTPDevice

    query = f"?next={next_page}" if next_page else ""
    given = {"next": next_page} if next_page else {}
    response = client.post(
        reverse("admin:login") + query,
        {"username": username, "password": password, **given},
        **extra,
    )
    if response.status_code == 302 and response["Location"].startswith(
        reverse("admin:two_factor_verify")
    ):
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        response = client.post(
            response["Location"], {"code": current_code(device), **given}, **extra
        )
    return response


def through_wsgi(
    method: str, path: str, *, query: str = "", body: bytes = b"", headers: dict | None = None
) -> tuple[int, dict, bytes]:
    """(status, headers, body) of one request through Django's WSGI handler, as gunicorn
    calls it: the test client refuses to build some requests an attacker sends."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "localhost",
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "CONTENT_LENGTH": str(len(body)),
    }
    for name, value in (headers or {}).items():
        key = name.upper().replace("-", "_")
        environ[key if key == "CONTENT_TYPE" else f"HTTP_{key}"] = value
    started = {}

    def start_response(status, response_headers, exc_info=None):
        started["status"] = int(status.split()[0])
        started["headers"] = dict(response_headers)

    # As Django's test client does: the test's database connection stays open.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        content = b"".join(WSGIHandler()(environ, start_response))
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return started["status"], started["headers"], content
