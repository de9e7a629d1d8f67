"""``manage.py kostra --municipality 3224 --year 2026 [--json]``: the KOSTRA indicators Husly
computes from its records (temporary accommodation; the leaders' overview adds the others)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from husly.insight.selectors import INDICATORS, kostra_temporary
from husly.organisation.models import Municipality


class Command(BaseCommand):
    help = "Print the KOSTRA indicators for a municipality and year."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--municipality", required=True, help="municipality number, e.g. 3224")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = Municipality.objects.filter(number=options["municipality"]).first()
        if municipality is None:
            raise CommandError(f"No municipality with number {options['municipality']}.")
        figures = {"temporary_accommodation": kostra_temporary(municipality, options["year"])}
        if options["json"]:
            self.stdout.write(json.dumps(figures, ensure_ascii=False, indent=2))
            return
        temporary = figures["temporary_accommodation"]
        for key, name in INDICATORS.items():
            self.stdout.write(f"{name}: {temporary[key] if temporary[key] is not None else '–'}")
        for row in temporary["providers"]:
            self.stdout.write(
                f"{row['name']}: {row['nights']} netter, {row['cost']} kr, "
                f"{row['cost_per_night']} kr per natt, {row['cost_per_stay']} kr per opphold"
            )
