"""How long the job description builder takes to answer: its page, a preview, and each
download, through Django's handler (no network), on the database configured. A
benchmark to compare changes by, not a test: `manage.py bench_builder --runs 30`."""

import statistics
import time
from itertools import count

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from roles.builder.forms import PostingForm
from roles.models import Role
from roles.wages.presentation import OccupationWages


class Command(BaseCommand):
    help = "Time the builder's page, preview, .docx and PDF (median and 95th percentile)."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=20)
        parser.add_argument("--role", default="machine-learning-engineer")
        parser.add_argument("--area", default="42660", help="A BLS area code.")

    def handle(self, *args, runs, role, area, **options):
        chosen = Role.objects.published().prefetch_related("items").filter(slug=role).first()
        if chosen is None:
            raise CommandError(f"No published role {role!r}: run `make setup` first.")
        initial = PostingForm.initial_for(
            chosen, OccupationWages.load(chosen.soc_code), area=area, seniority="senior"
        )
        form = {key: "" if value is None else str(value) for key, value in initial.items()}
        url = f"/roles/{role}/customise/"
        # Over "HTTPS", as production serves it (no redirect); no CSRF check, as a test client.
        client = Client()
        # Each request from an address of its own, as many visitors: the per-address
        # limit on files is not what is measured.
        addresses = (f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}" for n in count(1))

        def get(**data):
            return client.get(url, data, secure=True, REMOTE_ADDR=next(addresses))

        def post(action):
            data = form | {"action": action}
            return client.post(url, data, secure=True, REMOTE_ADDR=next(addresses))

        cases = [
            ("page (GET)", lambda: get(area=area)),
            ("preview (POST)", lambda: post("preview")),
            (".docx", lambda: post("docx")),
            ("PDF", lambda: post("pdf")),
        ]
        self.stdout.write(f"{runs} runs each, {role} in area {area}, {connection.vendor}")
        for name, request in cases:
            request()  # warm: imports, template loading, fonts
            times = []
            for _ in range(runs):
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    response = request()
                    times.append((time.perf_counter() - start) * 1000)
                if response.status_code != 200:
                    raise CommandError(f"{name} answered {response.status_code}")
            times.sort()
            p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
            self.stdout.write(
                f"{name:16} median {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms   "
                f"{len(queries)} queries   {len(response.content):>7} bytes"
            )
