"""Backup and restore lose nothing (ADR 0023): a backup of a database with issued decisions
(stored letters) and an uploaded document, restored into a fresh PostgreSQL cluster and a fresh
media folder, has every row of every table and every stored file identical (hashes checked); a
backup whose files were changed is refused before anything is restored."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from husly.cases.actions import document_add
from husly.cases.models import Decision, Document
from husly.ops.cluster import Cluster
from tests.allocation.helpers import approve, make_household

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump needs PostgreSQL"),
]

ROOT = Path(__file__).resolve().parents[2]


def _tables_digest(conninfo: dict[str, object]) -> dict[str, str]:
    """Per table (partitions through their parent): row count and an MD5 of all rows as text,
    sorted, so that two databases compare row for row."""
    params = {k: v for k, v in conninfo.items() if k in {"dbname", "user", "host", "port"} and v}
    with psycopg.connect(**params) as db, db.cursor() as cursor:  # type: ignore[arg-type]
        cursor.execute("SET TimeZone = 'UTC'")
        cursor.execute("SET DateStyle = 'ISO'")
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition"
        )
        digests = {}
        for (table,) in cursor.fetchall():
            cursor.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM \"{table}\" t"  # noqa: E501, S608
            )
            count, digest = cursor.fetchone()  # type: ignore[misc]
            digests[table] = f"{count}:{digest}"
    return digests


def _hashes(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*")
        if p.is_file()
    }


@pytest.fixture
def media(tmp_path, settings):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_a_restore_into_a_fresh_cluster_finds_every_row_and_every_letter(
    media, tmp_path, sara, geir, raelingen, routing
) -> None:
    decisions = [approve(sara, geir, make_household(raelingen, name)) for name in ("Berg", "Dahl")]
    document_add(
        actor=sara,
        case=decisions[0].case,
        title="Leiekontrakt",
        upload=SimpleUploadedFile("kontrakt.pdf", b"%PDF-1.4 kontrakt", "application/pdf"),
    )
    letters = {d.letter.name for d in Decision.objects.exclude(letter="")}
    assert len(letters) >= 2 and Document.objects.count() == 1
    backup = tmp_path / "backup"
    call_command("backup", to=backup, stdout=open(os.devnull, "w"))  # noqa: SIM115
    manifest = json.loads((backup / "manifest.json").read_text())
    assert letters | {Document.objects.get().file.name} <= set(manifest["media"])
    before = _tables_digest(connection.get_connection_params())
    assert before["audit_accessevent"] != before["cases_decision"]

    restored_media = tmp_path / "restored-media"
    with Cluster() as cluster:
        url = cluster.createdb("restored")
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "HUSLY_MEDIA_ROOT": str(restored_media),
            "HUSLY_ENV": "development",
            "DJANGO_SETTINGS_MODULE": "husly.settings",
        }
        done = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "restore", "--from", str(backup)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        after = _tables_digest({"dbname": "restored", "user": "husly", "host": str(cluster.folder)})
    assert after == before
    assert _hashes(restored_media) == _hashes(media)
    assert set(_hashes(restored_media)) >= letters


def test_a_backup_that_does_not_match_its_manifest_is_refused(media, tmp_path, sara) -> None:
    (media / "letters").mkdir(parents=True)
    (media / "letters" / "vedtak.pdf").write_bytes(b"%PDF-1.4 vedtak")
    backup = tmp_path / "backup"
    call_command("backup", to=backup, stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("restore", source=backup, verify_only=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    (backup / "media" / "letters" / "vedtak.pdf").write_bytes(b"%PDF-1.4 endret")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=r"vedtak\.pdf: SHA-256 differs"):
        call_command("restore", source=backup, verify_only=True)
    with pytest.raises(CommandError, match="not empty"):
        (backup / "media" / "letters" / "vedtak.pdf").write_bytes(b"%PDF-1.4 vedtak")
        call_command("restore", source=backup)
    assert media == settings.MEDIA_ROOT
