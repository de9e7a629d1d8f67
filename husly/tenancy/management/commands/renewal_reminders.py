"""Remind tenants whose lease ends within six months to apply for renewal (Rælingen 7.5).

Safe to rerun: each lease is reminded once. Run daily, e.g. from cron:
``./dev manage renewal_reminders``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from husly.tenancy.actions import renewal_reminders_send


class Command(BaseCommand):
    help = "Send renewal reminders for leases ending within six months (safe to rerun)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            default=None,
            help="Date to run as (YYYY-MM-DD); default today.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["today"] or timezone.localdate()
        sent = renewal_reminders_send(today=today)
        self.stdout.write(f"{len(sent)} renewal reminders sent for {today.isoformat()}.")
