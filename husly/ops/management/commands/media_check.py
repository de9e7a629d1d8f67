"""Every stored file has its row and every row its file (ADR 0023)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from husly.ops.media import media_check


class Command(BaseCommand):
    help = "Report files without a row and rows without a file; --delete-orphans removes the first."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--delete-orphans", action="store_true")
        parser.add_argument("--grace-minutes", type=int, default=60)

    def handle(self, *args: Any, **options: Any) -> None:
        report = media_check(
            delete_orphans=options["delete_orphans"],
            grace=dt.timedelta(minutes=options["grace_minutes"]),
        )
        for name in sorted(report.deleted):
            self.stdout.write(f"deleted orphan {name}")
        for name in sorted(report.orphans):
            self.stdout.write(f"orphan (no row) {name}")
        for name in sorted(report.missing):
            self.stderr.write(f"MISSING (row without file) {name}")
        if report.missing:
            msg = f"{len(report.missing)} rows name a file that is not stored"
            raise CommandError(msg)
        self.stdout.write(
            f"ok: {len(report.orphans)} orphans left, {len(report.deleted)} deleted, 0 missing"
        )
