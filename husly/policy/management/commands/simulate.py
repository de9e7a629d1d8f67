"""``manage.py simulate --municipality 3224 [--label ...] [--lease-months 36] [--runs 50]
[--months 60] [--seed N] [--json]``: run and store a policy simulation as the system (the
operator or a scheduled job), e.g. nightly so Min side's wait estimates stay fresh."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from husly.organisation.models import Municipality
from husly.policy.actions import simulation_run
from husly.policy.selectors import comparison


class Command(BaseCommand):
    help = "Run a policy simulation (today's policy and a scenario) and store it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--municipality", required=True, help="municipality number, e.g. 3224")
        parser.add_argument("--label", default="Dagens politikk")
        parser.add_argument("--lease-months", type=int, help="lease length in the scenario")
        parser.add_argument("--runs", type=int, default=50)
        parser.add_argument("--months", type=int, default=60)
        parser.add_argument("--seed", type=int)
        parser.add_argument("--json", action="store_true", help="print the comparison as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = Municipality.objects.filter(number=options["municipality"]).first()
        if municipality is None:
            raise CommandError(f"No municipality with number {options['municipality']}.")
        changes = {}
        if options["lease_months"] is not None:
            changes["lease_length_months"] = options["lease_months"]
        try:
            run = simulation_run(
                actor=None,
                municipality=municipality,
                label=options["label"],
                changes=changes,
                runs=options["runs"],
                horizon_months=options["months"],
                seed=options["seed"],
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        if options["json"]:
            self.stdout.write(json.dumps(comparison(run), ensure_ascii=False))
        else:
            self.stdout.write(f"Stored simulation {run.pk} ({run.seconds:.1f} s, seed {run.seed}).")
