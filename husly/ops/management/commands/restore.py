"""``./dev manage restore --from DIR``: check the backup against its manifest, then restore the
database and the stored files and check them again (ADR 0023)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from husly.ops.backup import BackupError, restore, verify


class Command(BaseCommand):
    help = "Restore a backup made by the backup command, after checking every hash."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="source", required=True, type=Path)
        parser.add_argument(
            "--verify-only", action="store_true", help="check the hashes, restore nothing"
        )
        parser.add_argument(
            "--replace", action="store_true", help="drop what the database holds first"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["verify_only"]:
                manifest = verify(options["source"])
                self.stdout.write(
                    f"ok: the dump and {len(manifest['media'])} files match the manifest"
                )
                return
            summary = restore(options["source"], replace=options["replace"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"restored from {summary.folder}: {summary.tables} tables, {summary.rows} rows, "
            f"{summary.files} files; every hash and row count checked"
        )
