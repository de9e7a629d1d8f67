"""The read audit at scale (ADR 0023): a year of access events in the partitioned table, and the
reads that must stay fast on it. Prints one JSON line.

Builds its own throwaway PostgreSQL cluster (unless ``DATABASE_URL`` names a PostgreSQL
database), migrates it, and writes ``HUSLY_BENCH_AUDIT_ROWS`` events (default 1,000,000: about
83,000 a month; built in about 100 s on this shared 2-core machine) spread over the last twelve
months, by 400 staff over 52,000 persons (Oslo's register). Oslo itself would write more (a list
page logs up to 25 persons): the figures show how the reads grow, not Oslo's own totals.
Measures, each repeated, median and p95 in ms:

- ``list_page_insert``: the one bulk insert a list page of 25 persons writes;
- ``who_has_looked``: a person's reads, newest 50 and the count (the household's "who has looked"
  in Min side and the administrator's art. 15 view);
- ``search_month``: the administrator's search over one month, first page of 50 and the count;
- ``search_person_year``: one person over the whole year; ``search_actor_month``: one staff
  member over a month; ``search_all``: no filter (the newest 50 and the count of a year).

``plans`` gives, for the month search and "who has looked", how many monthly partitions the
query plan reads and the index it uses.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import statistics
import time
from collections.abc import Callable
from typing import Any

ROWS = int(os.environ.get("HUSLY_BENCH_AUDIT_ROWS", "1000000"))
PERSONS = 52_000
STAFF = 400
REPEAT = 15


def _ms(call: Callable[[], Any], repeat: int = REPEAT) -> dict[str, float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[min(len(times) - 1, int(len(times) * 0.95))], 2),
    }


def _plan(queryset: Any) -> dict[str, Any]:
    from django.db import connection

    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    relations: set[str] = set()
    indexes: set[str] = set()

    def walk(node: dict[str, Any]) -> None:
        if "Relation Name" in node:
            relations.add(node["Relation Name"])
        if "Index Name" in node:
            indexes.add(node["Index Name"])
        for child in node.get("Plans", []):
            walk(child)

    walk(plan[0]["Plan"])
    partitions = sorted(r for r in relations if r.startswith("audit_accessevent_p"))
    names = {re.sub(r"^audit_accessevent_(p\d{4}_\d{2}|default)_", "", i) for i in indexes}
    return {"partitions_read": len(partitions), "indexes": sorted(names)}


def _build(now: dt.datetime) -> tuple[Any, Any, list[int]]:
    from django.db import connection

    from husly.audit.partitions import create_partition, first_of_month
    from husly.organisation.models import Membership, Municipality, Unit, User

    municipality = Municipality.objects.create(number="0301", name="Oslo (benk)")
    unit = Unit.objects.create(
        municipality=municipality, name="Tjenestekontoret", kind="housing_office"
    )
    admin = User.objects.create(username="admin-bench")
    Membership.objects.create(user=admin, unit=unit, role="administrator")
    staff = User.objects.bulk_create([User(username=f"bench{k}") for k in range(STAFF)])
    staff_ids = [u.pk for u in staff]
    start = now - dt.timedelta(days=365)
    with connection.cursor() as cursor:
        month = first_of_month(start.date())
        while month <= first_of_month(now.date(), 2):
            create_partition(cursor, month)
            month = first_of_month(month, 1)
        # Loading only (a throwaway cluster): no foreign-key trigger per row while building.
        cursor.execute("SET session_replication_role = replica")
        chunk = 200_000
        for offset in range(0, ROWS, chunk):
            count = min(chunk, ROWS - offset)
            cursor.execute(
                """
                INSERT INTO audit_accessevent
                    (at, actor_id, municipality_id, person_id, what, path, reason, role, unit_id,
                     emergency)
                SELECT %s::timestamptz + (%s::bigint + i) * (%s::interval / %s)
                         + random() * interval '1 minute',
                       (%s::bigint[])[1 + (i * 7919) %% %s],
                       %s, 1 + floor(random() * %s)::bigint,
                       CASE WHEN i %% 5 = 0 THEN 'person_detail' ELSE 'person_list' END,
                       '/personer/', '', 'caseworker', %s, false
                FROM generate_series(0, %s - 1) AS i
                """,
                [
                    start,
                    offset,
                    "365 days",
                    ROWS,
                    staff_ids,
                    STAFF,
                    municipality.pk,
                    PERSONS,
                    unit.pk,
                    count,
                ],
            )
        cursor.execute("SET session_replication_role = origin")
        cursor.execute("ANALYZE audit_accessevent")
    return admin, municipality, staff_ids


def main() -> None:
    from husly.ops.cluster import Cluster

    stack = contextlib.ExitStack()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        cluster = stack.enter_context(Cluster())
        os.environ["DATABASE_URL"] = cluster.createdb("bench")
    os.environ.setdefault("HUSLY_ENV", "development")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "husly.settings")
    with stack:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        _run()


def _run() -> None:
    from django.utils import timezone

    from husly.audit import selectors
    from husly.audit.models import AccessEvent
    from husly.core.pages import PAGE_SIZE
    from husly.organisation.models import User
    from husly.people.models import Person
    from husly.people.selectors import log_reads

    now = timezone.now()
    started = time.perf_counter()
    admin, municipality, staff_ids = _build(now)
    build_s = time.perf_counter() - started
    today = timezone.localdate()
    month_from = today - dt.timedelta(days=45)
    month_to = today - dt.timedelta(days=15)
    person = Person(pk=4242, municipality_id=municipality.pk)
    actor = User.objects.get(pk=staff_ids[17])
    shown = [Person(pk=10_000 + k, municipality_id=municipality.pk) for k in range(PAGE_SIZE)]

    def page_and_count(queryset: Any) -> Callable[[], Any]:
        return lambda: (list(queryset[:50]), queryset.count())

    who = selectors.access_events_for_person(person).order_by("-at", "-pk")
    month = selectors.access_event_search(admin, date_from=month_from, date_to=month_to)
    person_year = selectors.access_event_search(admin, person=person)
    actor_month = selectors.access_event_search(
        admin, actor=actor, date_from=month_from, date_to=month_to
    )
    everything = selectors.access_event_search(admin)
    result = {
        "benchmark": "audit",
        "rows": AccessEvent.objects.count(),
        "months": 12,
        "persons": PERSONS,
        "staff": STAFF,
        "build_s": round(build_s, 1),
        "list_page_insert": _ms(
            lambda: log_reads(
                user=actor,
                persons=shown,
                what="person_list",
                path="/personer/",
                via=("caseworker", None),
            )
        ),
        "who_has_looked": {**_ms(page_and_count(who)), "events": who.count()},
        "search_month": {**_ms(page_and_count(month), 5), "events": month.count()},
        "search_person_year": _ms(page_and_count(person_year)),
        "search_actor_month": _ms(page_and_count(actor_month), 5),
        "search_all": {**_ms(page_and_count(everything), 3), "events": everything.count()},
        "plans": {
            "search_month": _plan(month[:50]),
            "who_has_looked": _plan(who[:50]),
        },
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
