from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from husly.core.progress import Progress
from husly.imports import importers as imports
from husly.organisation.models import Municipality


class Command(BaseCommand):
    help = "Import persons or dwellings from a CSV or Excel file: all rows or none."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(imports.COLUMNS))
        parser.add_argument("path", type=Path)
        parser.add_argument("--municipality", required=True, help="Municipality number")

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = Municipality.objects.filter(number=options["municipality"]).first()
        if municipality is None:
            msg = f"No municipality with number {options['municipality']}."
            raise CommandError(msg)
        path: Path = options["path"]
        try:
            table = imports.read_table(path.name, path.read_bytes())
            result = imports.validate(
                options["kind"], municipality, imports.parse_rows(options["kind"], table)
            )
        except (OSError, imports.ImportFileError) as exc:
            raise CommandError(str(exc)) from exc
        if not result.ok:
            for error in result.errors:
                self.stderr.write(f"rad {error.row} {error.column}: {error.message}")
            msg = f"{len(result.errors)} feil; ingenting er importert."
            raise CommandError(msg)
        progress = Progress("Importerer", len(result.rows))
        count = imports.import_apply(
            actor=None,
            kind=options["kind"],
            municipality=municipality,
            rows=imports.to_json_rows(result.rows),
            progress=progress.update,
        )
        self.stdout.write(f"{count} rader importert.")
