"""The suite's hostile requests (portal/fuzzing.py), sent to a running server."""

import http.client
from collections import Counter
from urllib.parse import urlsplit

from django.core.management.base import BaseCommand, CommandError
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings

from portal.fuzzing import HostileRequest, hostile_requests, reflected_unescaped


class Command(BaseCommand):
    help = (
        "Send generated hostile requests (arbitrary headers, charsets, content types, query "
        "parameters and form fields) to a running portal, e.g. `make serve` on production "
        "settings, and count the answers. Exits 1 if any is a 5xx or reflects input as HTML. "
        "With --staff-session (a signed-in staff member's session cookie value) the staff "
        "lists and their filters are fuzzed too."
    )

    def add_arguments(self, parser):
        parser.add_argument("base_url", help="e.g. http://127.0.0.1:8000")
        parser.add_argument("--requests", type=int, default=1000)
        parser.add_argument("--staff-session", default="")
        parser.add_argument("--timeout", type=float, default=10)

    def handle(self, *args, base_url, requests, staff_session, timeout, **options):
        target = urlsplit(base_url)
        if target.scheme not in ("http", "https") or not target.hostname:
            raise CommandError("Give the server's base URL, like http://127.0.0.1:8000")
        statuses = Counter()
        failures = []

        @hypothesis_settings(
            max_examples=requests,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(request=hostile_requests(staff=bool(staff_session)))
        def fuzz(request):
            try:
                status, content_type, body = self.send(
                    target, request, staff_session=staff_session, timeout=timeout
                )
            except (ValueError, http.client.InvalidURL):
                statuses["not sendable"] += 1  # http.client refuses the header itself
                return
            except OSError as error:
                statuses["no answer"] += 1
                failures.append(f"no answer ({type(error).__name__}): {request}")
                return
            statuses[status] += 1
            if status >= 500:
                failures.append(f"{status}: {request}")
            elif reflected_unescaped(content_type, body):
                failures.append(f"reflected markup: {request}")

        fuzz()
        sent = sum(count for key, count in statuses.items() if key != "not sendable")
        summary = ", ".join(f"{key}: {count}" for key, count in sorted(statuses.items(), key=str))
        self.stdout.write(f"{sent} requests sent to {base_url} ({summary}).")
        server_errors = sum(count for key, count in statuses.items() if str(key).startswith("5"))
        self.stdout.write(f"5xx answers: {server_errors}; failures: {len(failures)}.")
        for failure in failures[:20]:
            self.stderr.write(failure)
        if failures:
            raise SystemExit(1)

    @staticmethod
    def send(target, request: HostileRequest, *, staff_session: str, timeout: float):
        connection_class = (
            http.client.HTTPSConnection if target.scheme == "https" else http.client.HTTPConnection
        )
        connection = connection_class(target.hostname, target.port, timeout=timeout)
        headers = request.headers_to_send(staff_session=staff_session)
        path = f"{request.path}?{request.query}" if request.query else request.path
        try:
            connection.request(request.method, path, body=request.body or None, headers=headers)
            response = connection.getresponse()
            return response.status, response.getheader("Content-Type", ""), response.read()
        finally:
            connection.close()
