"""``./dev manage backup --to DIR``: the database and every stored file, with a manifest of
SHA-256 hashes (ADR 0023; docs/admin-guide.md, "Backup and restore")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from husly.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump custom format) and the stored files into a new folder."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--to", required=True, type=Path, help="a new or empty folder")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = backup(options["to"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"backup in {summary.folder}: {summary.tables} tables, {summary.rows} rows, "
            f"{summary.files} files ({summary.bytes} bytes); manifest.json holds the hashes"
        )
