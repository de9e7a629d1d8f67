from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from husly.core.progress import Progress
from husly.demo.builder import SCALES, DemoGenerator
from husly.organisation.models import Municipality


class Command(BaseCommand):
    help = "Build a deterministic demo municipality (small: Rælingen scale; oslo: Oslo scale)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--as-of",
            type=dt.date.fromisoformat,
            default=dt.date(2026, 11, 1),
            help="The date the data is generated as of (YYYY-MM-DD).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        scale = SCALES[options["scale"]]
        if Municipality.objects.filter(
            number=scale.municipality_number, buildings__isnull=False
        ).exists():
            msg = (
                f"{scale.municipality_name} ({scale.municipality_number}) already has demo "
                "data. Start from an empty database to seed again."
            )
            raise CommandError(msg)
        generator = DemoGenerator(
            options["scale"], options["seed"], options["as_of"], progress=Progress
        )
        municipality = generator.run()
        self.stdout.write(f"Demo data for {municipality} is ready.")
