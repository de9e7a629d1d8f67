"""Bring into force every lease signed by both parties whose start date has come.

Safe to rerun. Run daily, e.g. from cron: ``./dev manage lease_activations``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from husly.tenancy.actions import leases_activate_due


class Command(BaseCommand):
    help = "Put signed leases into force on their start date (safe to rerun)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            default=None,
            help="Date to run as (YYYY-MM-DD); default today.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["today"] or timezone.localdate()
        done = leases_activate_due(today=today)
        self.stdout.write(f"{len(done)} leases put into force for {today.isoformat()}.")
