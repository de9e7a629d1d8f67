"""``manage.py retention_run [--dry-run] [--today YYYY-MM-DD]``: run the retention rules.

Schedule it daily (cron or a systemd timer); it is safe to rerun (docs/admin-guide.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from husly.retention.jobs import run


class Command(BaseCommand):
    help = "Anonymise closed cases and persons past their retention period; purge old logs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Report, change nothing.")
        parser.add_argument(
            "--today", type=dt.date.fromisoformat, help="Run as of this date (YYYY-MM-DD)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["today"] or timezone.localdate()
        report = run(today=today, dry_run=options["dry_run"])
        head = "Dry run, nothing changed" if report.dry_run else "Retention run"
        self.stdout.write(f"{head} as of {today.isoformat()}:")
        for line in report.lines():
            self.stdout.write(f"  {line}")
