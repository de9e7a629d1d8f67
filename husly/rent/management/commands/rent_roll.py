"""Monthly rent claims for every lease of every municipality (or one). Safe to rerun: a lease
gets one rent claim a month. Run monthly, e.g. from cron:
``./dev manage rent_roll --month 2026-12``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from husly.organisation.models import Municipality
from husly.rent.actions import rent_roll_run


def _month(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(f"{value}-01")
    except ValueError:
        raise CommandError(f"--month must be YYYY-MM, not {value!r}") from None


class Command(BaseCommand):
    help = "Create the month's rent claims for every lease (safe to rerun)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", type=str, default=None, help="YYYY-MM; default this month.")
        parser.add_argument("--municipality", type=str, default=None, help="Municipality number.")

    def handle(self, *args: Any, **options: Any) -> None:
        month = (
            _month(options["month"]) if options["month"] else timezone.localdate().replace(day=1)
        )
        municipalities = Municipality.objects.order_by("number")
        if options["municipality"]:
            municipalities = municipalities.filter(number=options["municipality"])
            if not municipalities.exists():
                raise CommandError(f"No municipality {options['municipality']}.")
        for municipality in municipalities:
            created = rent_roll_run(actor=None, municipality=municipality, month=month)
            self.stdout.write(f"{municipality.name}: {created} claims for {month:%Y-%m}.")
