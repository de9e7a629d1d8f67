"""Open arrears cases from the rent ledger, update open ones, check repayment agreements and close
cases that are paid up. Set-based and safe to rerun; run daily, e.g. from cron:
``./dev manage arrears_scan`` (``--today 2026-12-02`` to run as another day)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from husly.arrears.actions import arrears_scan
from husly.organisation.models import Municipality


class Command(BaseCommand):
    help = "Open and update arrears cases from the rent ledger (safe to rerun)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["today"] or timezone.localdate()
        for municipality in Municipality.objects.order_by("pk"):
            result = arrears_scan(actor=None, municipality=municipality, as_of=today)
            self.stdout.write(f"{municipality.name}: {result}")
