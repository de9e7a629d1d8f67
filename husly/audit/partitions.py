"""Monthly partitions of the access log (PostgreSQL; ADR 0023).

``audit_accessevent`` is range-partitioned on ``at`` by calendar month in the municipality's time
zone (``settings.TIME_ZONE``): one table per month, named ``audit_accessevent_pYYYY_MM``, and a
default partition that catches a row no month is made for yet (so a read is never refused because
a job did not run). ``ensure_partitions`` makes the months ahead (the ``audit_partitions``
command, run daily by the job queue or cron, and every ``migrate``); the retention run drops whole
months older than the access-log retention period with ``drop_partitions_before`` (a ``DROP
TABLE`` costs nothing, however many millions of rows the month holds). On SQLite the table stays
plain and these functions do nothing.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction

TABLE = "audit_accessevent"
DEFAULT = f"{TABLE}_default"
_NAME = re.compile(rf"^{TABLE}_p(\d{{4}})_(\d{{2}})$")


@dataclass(frozen=True)
class Partition:
    name: str
    month: dt.date
    """The first day of the month the partition holds."""


def _zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def first_of_month(day: dt.date, months: int = 0) -> dt.date:
    """The first day of ``day``'s month, ``months`` months later (or earlier when negative)."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def bound(month: dt.date) -> str:
    """Midnight at the start of ``month`` in the municipality's time zone, as SQL text."""
    return dt.datetime.combine(month, dt.time.min, _zone()).isoformat()


def partition_name(month: dt.date) -> str:
    return f"{TABLE}_p{month.year:04d}_{month.month:02d}"


def is_partitioned(cursor: Any = None) -> bool:
    if connection.vendor != "postgresql":
        return False
    own = cursor is None
    cursor = cursor or connection.cursor()
    try:
        cursor.execute(
            "SELECT 1 FROM pg_partitioned_table WHERE partrelid = to_regclass(%s)", [TABLE]
        )
        return cursor.fetchone() is not None
    finally:
        if own:
            cursor.close()


def partitions(cursor: Any = None) -> list[Partition]:
    """The monthly partitions that exist, oldest first (the default partition not included)."""
    if not is_partitioned(cursor):
        return []
    with connection.cursor() as own:
        cur = cursor or own
        cur.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = to_regclass(%s)",
            [TABLE],
        )
        names = [row[0] for row in cur.fetchall()]
    found = []
    for name in names:
        match = _NAME.match(name)
        if match:
            found.append(Partition(name, dt.date(int(match[1]), int(match[2]), 1)))
    return sorted(found, key=lambda p: p.month)


def create_partition(cursor: Any, month: dt.date) -> bool:
    """Make the partition for ``month`` unless it exists, in one transaction. Rows of that
    month already caught by the default partition are moved into it (PostgreSQL refuses to
    attach a range that the default partition holds rows of). Returns whether it was made."""
    with transaction.atomic():
        return _create_partition(cursor, month)


def _create_partition(cursor: Any, month: dt.date) -> bool:
    name = partition_name(month)
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
    if cursor.fetchone()[0]:
        return False
    start, end = bound(month), bound(first_of_month(month, 1))
    cursor.execute(f"SELECT to_regclass('{DEFAULT}') IS NOT NULL")
    has_default = cursor.fetchone()[0]
    moved = 0
    if has_default:
        cursor.execute(
            f"CREATE TEMP TABLE husly_moving ON COMMIT DROP AS SELECT * FROM {DEFAULT} "  # noqa: S608
            "WHERE at >= %s AND at < %s",
            [start, end],
        )
        moved = cursor.rowcount
        if moved:
            cursor.execute("SET LOCAL husly.retention_purge = 'on'")
            cursor.execute(f"DELETE FROM {DEFAULT} WHERE at >= %s AND at < %s", [start, end])  # noqa: S608
            cursor.execute("SET LOCAL husly.retention_purge = 'off'")
    cursor.execute(
        f"CREATE TABLE {name} PARTITION OF {TABLE} FOR VALUES FROM (%s) TO (%s)", [start, end]
    )
    if has_default:
        if moved:
            cursor.execute(f"INSERT INTO {TABLE} SELECT * FROM husly_moving")  # noqa: S608
        cursor.execute("DROP TABLE husly_moving")
    return True


def ensure_partitions(today: dt.date | None = None, months_ahead: int = 2) -> list[str]:
    """Make the partitions of this month and the ``months_ahead`` next; returns those made."""
    if connection.vendor != "postgresql":
        return []
    today = today or dt.datetime.now(_zone()).date()
    made = []
    with transaction.atomic(), connection.cursor() as cursor:
        if not is_partitioned(cursor):
            return []
        for ahead in range(months_ahead + 1):
            month = first_of_month(today, ahead)
            if create_partition(cursor, month):
                made.append(partition_name(month))
    return made


def drop_partitions_before(cutoff: dt.date) -> tuple[list[str], int]:
    """Drop every monthly partition that holds only events from before ``cutoff`` (its month
    ends on or before that day). Returns the names dropped and the number of events they held.
    Must run inside the retention run's transaction: a failure later rolls the drop back."""
    if connection.vendor != "postgresql":
        return [], 0
    dropped, rows = [], 0
    with connection.cursor() as cursor:
        # Deferred foreign-key checks of rows written earlier in this transaction would make
        # PostgreSQL refuse the DROP ("pending trigger events"): check them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for partition in partitions(cursor):
            if first_of_month(partition.month, 1) > cutoff:
                continue
            cursor.execute(f"SELECT count(*) FROM {partition.name}")  # noqa: S608
            rows += cursor.fetchone()[0]
            cursor.execute(f"DROP TABLE {partition.name}")
            dropped.append(partition.name)
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # back to Django's foreign keys' mode
    return dropped, rows
