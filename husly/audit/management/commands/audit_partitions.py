"""Make the access log's monthly partitions ahead of time (PostgreSQL; ADR 0023).

Run daily (cron or the job queue); idempotent. A row of a month with no partition yet is caught
by the default partition and moved into its month when the month is made.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from husly.audit.partitions import ensure_partitions, is_partitioned, partitions


class Command(BaseCommand):
    help = "Make the access log's partitions for this month and the next ones (PostgreSQL)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--months-ahead", type=int, default=2)

    def handle(self, *args: Any, **options: Any) -> None:
        if not is_partitioned():
            self.stdout.write("The access log is not partitioned here (SQLite): nothing to do.")
            return
        made = ensure_partitions(months_ahead=options["months_ahead"])
        for name in made:
            self.stdout.write(f"made {name}")
        existing = partitions()
        self.stdout.write(
            f"{len(existing)} monthly partitions, "
            f"{existing[0].month:%Y-%m} to {existing[-1].month:%Y-%m}"
            if existing
            else "no monthly partitions"
        )
