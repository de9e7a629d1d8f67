"""``manage.py kostra --municipality 3224 --year 2026 [--json]``: the KOSTRA figures Husly
computes from its records: skjema 13 (applications, new tenants, the stock on 31.12), every
indicator in spec/law-and-parameters.md § 8 (``null`` with a reason where the records cannot
give it) and temporary accommodation, each beside last year's."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from husly.insight.selectors import kostra_report
from husly.organisation.models import Municipality


class Command(BaseCommand):
    help = "Print the KOSTRA figures for a municipality and year."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--municipality", required=True, help="municipality number, e.g. 3224")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = Municipality.objects.filter(number=options["municipality"]).first()
        if municipality is None:
            raise CommandError(f"No municipality with number {options['municipality']}.")
        report = kostra_report(municipality, options["year"])
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
            return
        for row in report["figures"]:
            value = row["value"] if row["value"] is not None else "–"
            previous = row["previous"] if row["previous"] is not None else "–"
            self.stdout.write(f"{row['name']}: {value} (i fjor {previous})")
        for row in report["temporary_accommodation"]["providers"]:
            self.stdout.write(
                f"{row['name']}: {row['nights']} netter, {row['cost']} kr, "
                f"{row['cost_per_night']} kr per natt, {row['cost_per_stay']} kr per opphold"
            )
