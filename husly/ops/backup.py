"""Backup and restore: the database (``pg_dump`` custom format) and every stored file, with a
manifest of SHA-256 hashes that the restore checks before it touches anything (ADR 0023).

A backup folder holds ``database.dump``, ``media/`` (the storage's files under their names) and
``manifest.json`` (hashes of the dump and of every file, and the row count of every table). The
dump is taken first, then the files: a file is written before its row commits, so every row in
the dump finds its file in the copy (a file deleted in between is reported by the restore).
PostgreSQL only: SQLite is a development database (copy its file).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

from husly.ops.cluster import pg_bin
from husly.ops.media import stored_names

MANIFEST = "manifest.json"
DUMP = "database.dump"
MEDIA = "media"
CHUNK = 1 << 20


class BackupError(RuntimeError):
    pass


def sha256_of(stream: Any) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(CHUNK), b""):
        digest.update(chunk)
    return digest.hexdigest()


def _file_hash(path: Path) -> str:
    with path.open("rb") as stream:
        return sha256_of(stream)


def _pg_args() -> tuple[list[str], dict[str, str]]:
    if connection.vendor != "postgresql":
        msg = "backup and restore need PostgreSQL (SQLite is for development: copy its file)"
        raise BackupError(msg)
    params = connection.get_connection_params()
    args = ["--dbname", str(params["dbname"]), "--no-password"]
    for key in ("user", "host", "port"):
        if params.get(key):
            args += [f"--{'username' if key == 'user' else key}", str(params[key])]
    env = dict(os.environ)
    if params.get("password"):
        env["PGPASSWORD"] = str(params["password"])
    return args, env


def row_counts() -> dict[str, int]:
    """Rows of every table of the schema (partitions counted once, through their parent)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') "
            "AND NOT c.relispartition ORDER BY c.relname"
        )
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - names from the catalog
            counts[table] = cursor.fetchone()[0]
    return counts


@dataclass
class Summary:
    folder: Path
    tables: int
    rows: int
    files: int
    bytes: int


def backup(folder: Path) -> Summary:
    """Write a backup into ``folder`` (new or empty)."""
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        msg = f"{folder} is not empty: a backup goes into a new folder"
        raise BackupError(msg)
    args, env = _pg_args()
    (folder / MEDIA).mkdir(parents=True, exist_ok=True)
    started = timezone.now()
    counts = row_counts()
    dump = folder / DUMP
    subprocess.run(  # noqa: S603 - PostgreSQL's own tool, arguments from settings
        [str(pg_bin() / "pg_dump"), "--format=custom", "--file", str(dump), *args],
        check=True,
        env=env,
    )
    files: dict[str, str] = {}
    size = 0
    for name in sorted(stored_names()):
        target = folder / MEDIA / name
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        with default_storage.open(name, "rb") as source, target.open("wb") as out:
            for chunk in iter(lambda s=source: s.read(CHUNK), b""):
                digest.update(chunk)
                out.write(chunk)
                size += len(chunk)
        files[name] = digest.hexdigest()
    manifest = {
        "format": 1,
        "started_at": started.isoformat(),
        "finished_at": timezone.now().isoformat(),
        "database": {"file": DUMP, "sha256": _file_hash(dump), "format": "pg_dump custom"},
        "tables": counts,
        "media": files,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True), "utf-8")
    return Summary(folder, len(counts), sum(counts.values()), len(files), size)


def verify(folder: Path) -> dict[str, Any]:
    """The manifest, after checking that the dump and every file match their hashes and that no
    file is missing or extra. Raises ``BackupError`` naming what differs."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text("utf-8"))
    except FileNotFoundError as exc:
        msg = f"{folder / MANIFEST} is missing: not a Husly backup"
        raise BackupError(msg) from exc
    problems = []
    dump = folder / manifest["database"]["file"]
    if not dump.exists() or _file_hash(dump) != manifest["database"]["sha256"]:
        problems.append(f"{dump.name}: missing or its SHA-256 differs")
    media = folder / MEDIA
    present = {str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()}
    for name, expected in sorted(manifest["media"].items()):
        if name not in present:
            problems.append(f"media/{name}: missing")
        elif _file_hash(media / name) != expected:
            problems.append(f"media/{name}: SHA-256 differs")
    problems += [
        f"media/{name}: not in the manifest" for name in sorted(present - set(manifest["media"]))
    ]
    if problems:
        raise BackupError("the backup does not match its manifest:\n" + "\n".join(problems))
    return dict(manifest)


def restore(folder: Path, *, replace: bool = False) -> Summary:
    """Restore a verified backup into the configured database and storage. The database must be
    empty unless ``replace`` (then its objects are dropped first). Checks afterwards that every
    table has its row count and every file its hash."""
    folder = Path(folder)
    manifest = verify(folder)
    args, env = _pg_args()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')"
        )
        if cursor.fetchone()[0]:
            if not replace:
                msg = "the database is not empty: restore into a new database, or give --replace"
                raise BackupError(msg)
            # Everything the schema holds goes (pg_restore --clean trips over partitions).
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    connection.close()
    options: list[str] = []
    subprocess.run(  # noqa: S603
        [
            str(pg_bin() / "pg_restore"),
            "--no-owner",
            "--exit-on-error",
            "--single-transaction",
            *options,
            *args,
            str(folder / manifest["database"]["file"]),
        ],
        check=True,
        env=env,
    )
    size = 0
    for name, expected in sorted(manifest["media"].items()):
        with (folder / MEDIA / name).open("rb") as source:
            if default_storage.exists(name):
                default_storage.delete(name)
            saved = default_storage.save(name, File(source))
            size += (folder / MEDIA / name).stat().st_size
        if saved != name:
            msg = f"storage saved {name} as {saved}"
            raise BackupError(msg)
        with default_storage.open(name, "rb") as stored:
            if sha256_of(stored) != expected:
                msg = f"{name}: SHA-256 differs after the restore"
                raise BackupError(msg)
    counts = row_counts()
    differ = {
        table: (rows, counts.get(table))
        for table, rows in manifest["tables"].items()
        if counts.get(table) != rows
    }
    if differ:
        msg = f"row counts differ after the restore (table: expected, found): {differ}"
        raise BackupError(msg)
    return Summary(folder, len(counts), sum(counts.values()), len(manifest["media"]), size)
