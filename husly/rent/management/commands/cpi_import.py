"""Import SSB's consumer price index (table 03013, total index) from a downloaded file, so that
index regulation of rents (husleieloven § 4-2) relies on published, confirmed values:
``./dev manage cpi_import 03013.csv`` (CSV or JSON-stat 2.0 from statbank). All or nothing:
a file with an error writes nothing and every error is listed with its line."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from husly.rent import cpi
from husly.rent.actions import cpi_import


class Command(BaseCommand):
    help = "Import SSB table 03013 (consumer price index) from a CSV or JSON-stat 2.0 file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=str, help="The file downloaded from SSB's statbank.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and write nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(why)s") % {"file": path, "why": error.strerror}
            ) from None
        result = cpi.parse(content)
        if not result.ok:
            raise CommandError("\n".join([_("Nothing was imported:"), *result.errors[:50]]))
        months = sorted(result.values)
        summary = _("%(count)s months from %(first)s to %(last)s") % {
            "count": len(months),
            "first": f"{months[0]:%Y}M{months[0]:%m}",
            "last": f"{months[-1]:%Y}M{months[-1]:%m}",
        }
        if options["dry_run"]:
            self.stdout.write(
                _("The file is valid: %(summary)s. Nothing written.") % {"summary": summary}
            )
            return
        try:
            counts = cpi_import(
                values=result.values,
                base=result.base,
                source=f"SSB 03013, {path.name}",
                sha256=hashlib.sha256(content).hexdigest(),
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            _(
                "Imported %(summary)s: %(created)s new, %(changed)s changed, "
                "%(unchanged)s unchanged."
            )
            % {"summary": summary, **counts}
        )
