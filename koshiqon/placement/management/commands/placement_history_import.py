"""`koshiqon placement_history_import FILE --user NAME`: import past arrivals from an archive file (CSV or XLSX,
docs/placement-history-import-format.md) into the training history, with a progress bar. All families or
none: every bad row is printed with its line, column and reason, and the command exits with status 1."""

import sys
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from koshiqon.accounts.models import User
from koshiqon.placement.services.history import placement_history_import


class Command(BaseCommand):
    help = "Import past arrivals (one row per family member) into the placement training history."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="a CSV or XLSX file")
        parser.add_argument("--user", required=True, help="the national officer the import is recorded under")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, file: Path, user: str, no_progress: bool, verbosity: int, **options):
        officer = User.objects.filter(username=user, is_active=True).first()
        if officer is None:
            raise CommandError(f"no active user {user!r}")
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc}") from exc
        bar = tqdm(total=0, unit=" steps", file=sys.stderr, disable=no_progress or verbosity == 0, desc=file.name)

        def progress(done: int, total: int, message: str = "") -> None:
            bar.total = total
            bar.set_postfix_str(message[:40], refresh=False)
            bar.update(done - bar.n)

        try:
            report = placement_history_import(data=data, filename=file.name, by=officer, progress=progress)
        except PermissionDenied as exc:
            raise CommandError(f"{user} may not import placement history (placement.run)") from exc
        finally:
            bar.close()
        if report.saved:
            self.stdout.write(f"{report.families} families from {report.rows} rows: {report.created} new, "
                              f"{report.replaced} replaced")
            return
        for line, column, message in report.errors:
            self.stderr.write(f"{file.name} line {line}{f' [{column}]' if column else ''}: {message}")
        self.stderr.write(f"nothing was saved: {len(report.errors)} problem(s)")
        sys.exit(1)
