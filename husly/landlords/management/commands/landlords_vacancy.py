"""Store last month's head-lease vacancy cost for every municipality
(run monthly; safe to rerun)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from husly.landlords.actions import vacancy_costs_record
from husly.organisation.models import Municipality
from husly.rules import deadlines


class Command(BaseCommand):
    help = "Store the head-lease rent paid for empty days, per head lease, for one month."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", help="YYYY-MM; default: the month just ended")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["month"]:
            month = dt.date.fromisoformat(f"{options['month']}-01")
        else:
            month = deadlines.add_months(timezone.localdate().replace(day=1), -1)
        total = 0
        for municipality in Municipality.objects.all():
            total += len(vacancy_costs_record(actor=None, municipality=municipality, month=month))
        self.stdout.write(f"{month:%Y-%m}: {total} head leases")
