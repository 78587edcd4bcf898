import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from roles.wages.importer import (
    DEFAULT_TOP_CODE_BOUND,
    OewsFileError,
    count_data_rows,
    failure_message,
    import_oews,
)

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Import BLS OEWS wage files (CSV, or the .xlsx BLS distributes). Each file is "
        "imported whole or not at all; running it twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
        parser.add_argument(
            "--year", type=int, help="The data year, for files without a YEAR column."
        )
        parser.add_argument("--dry-run", action="store_true", help="Check and count; save nothing.")
        parser.add_argument(
            "--top-code-bound",
            type=int,
            default=DEFAULT_TOP_CODE_BOUND,
            help="Annual wage that BLS's '#' marker stands for (default %(default)s).",
        )

    def handle(self, *args, files, year, dry_run, top_code_bound, **options):
        for path in files:
            if not path.is_file():
                raise CommandError(f"{path}: no such file.")
            try:
                summary = import_oews(
                    path,
                    year=year,
                    dry_run=dry_run,
                    top_code_bound=top_code_bound,
                    progress=self._progress(path) if sys.stdout.isatty() else None,
                )
            except OewsFileError as error:
                raise CommandError(failure_message(path.name, error)) from None
            finally:
                self._end_progress()
            self.stdout.write(f"Imported {path.name}: {summary}")

    def _progress(self, path: Path):
        total = count_data_rows(path)

        def show(rows: int) -> None:
            if total:
                done = min(rows / total, 1)
                bar = "#" * round(done * BAR_WIDTH)
                line = f"{path.name} [{bar:<{BAR_WIDTH}}] {done:4.0%} {rows:,}/{total:,} rows"
            else:
                line = f"{path.name}: {rows:,} rows read"
            self.stdout.write(f"\r{line}", ending="")
            self.stdout.flush()

        return show

    def _end_progress(self) -> None:
        if sys.stdout.isatty():
            self.stdout.write("\r\033[K", ending="")  # clear the progress line
