"""The read audit at scale (ADR 0023): one insert per list page, whatever the number of persons
shown; the access log partitioned by month on PostgreSQL, months made ahead, and whole months
dropped by the retention run."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from husly.audit import partitions
from husly.audit.models import AccessEvent
from husly.core.pages import PAGE_SIZE
from husly.people.selectors import log_reads
from husly.retention.jobs import run
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the access log is partitioned on PostgreSQL only"
)


def _inserts(queries: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith('INSERT INTO "audit_')
    ]


@pytest.mark.parametrize("count", [3, 30])
def test_a_list_page_writes_one_insert_for_all_the_persons_it_shows(sara, raelingen, count) -> None:
    persons = [PersonFactory(municipality=raelingen, family_name="Listeby") for _ in range(count)]
    client = Client()
    client.force_login(sara)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("people:person_list"), {"q": "Listeby"})
    assert response.status_code == 200
    assert len(_inserts(queries)) == 1, _inserts(queries)
    logged = list(AccessEvent.objects.filter(actor=sara).values_list("person_id", flat=True))
    shown = min(count, PAGE_SIZE)
    assert len(logged) == len(set(logged)) == shown
    assert set(logged) <= {p.pk for p in persons}


@needs_postgres
@pytest.mark.postgres
def test_partitions_exist_for_this_month_and_the_next() -> None:
    this_month = partitions.first_of_month(timezone.localdate())
    months = {p.month for p in partitions.partitions()}
    assert {this_month, partitions.first_of_month(this_month, 1)} <= months
    call_command("audit_partitions", months_ahead=4, stdout=open("/dev/null", "w"))  # noqa: SIM115
    months = {p.month for p in partitions.partitions()}
    assert partitions.first_of_month(this_month, 4) in months


@needs_postgres
@pytest.mark.postgres
def test_an_event_of_a_month_not_made_yet_is_kept_and_moved_into_its_month(sara, raelingen) -> None:
    person = PersonFactory(municipality=raelingen)
    far = dt.datetime(2031, 5, 17, 12, tzinfo=dt.UTC)
    with time_machine.travel(far, tick=False):
        log_reads(user=sara, persons=[person], what="person_detail", path="/")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {partitions.DEFAULT}")  # noqa: S608
        assert cursor.fetchone()[0] == 1
    made = partitions.ensure_partitions(dt.date(2031, 5, 2), months_ahead=0)
    assert made == ["audit_accessevent_p2031_05"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM audit_accessevent_p2031_05")
        assert cursor.fetchone()[0] == 1
        cursor.execute(f"SELECT count(*) FROM {partitions.DEFAULT}")  # noqa: S608
        assert cursor.fetchone()[0] == 0
    assert AccessEvent.objects.get().person_id == person.pk


@needs_postgres
@pytest.mark.postgres
def test_the_retention_run_drops_whole_months_and_purges_the_rest(sara, raelingen) -> None:
    person = PersonFactory(municipality=raelingen)
    with connection.cursor() as cursor:
        for month in (dt.date(2019, 3, 1), dt.date(2019, 4, 1), dt.date(2019, 5, 1)):
            partitions.create_partition(cursor, month)
    for day in (dt.date(2019, 3, 10), dt.date(2019, 4, 10), dt.date(2019, 5, 10)):
        moment = dt.datetime.combine(day, dt.time(12), dt.UTC)
        with time_machine.travel(moment, tick=False):
            log_reads(user=sara, persons=[person], what="person_detail", path="/")
    log_reads(user=sara, persons=[person], what="person_detail", path="/")
    # Five years of access log kept: on 2024-04-20 March 2019 is past as a whole month (dropped),
    # April 2019 holds only events before the cutoff day (deleted row by row), May is kept.
    report = run(today=dt.date(2024, 4, 20))
    assert report.counts["access_events_deleted"] == 2
    names = {p.name for p in partitions.partitions()}
    assert "audit_accessevent_p2019_03" not in names
    assert {"audit_accessevent_p2019_04", "audit_accessevent_p2019_05"} <= names
    assert AccessEvent.objects.count() == 2
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessEvent.objects.all().delete()


@needs_postgres
@pytest.mark.postgres
def test_a_dry_run_drops_no_partition(sara, raelingen) -> None:
    with connection.cursor() as cursor:
        partitions.create_partition(cursor, dt.date(2018, 1, 1))
    run(today=dt.date(2024, 4, 20), dry_run=True)
    assert "audit_accessevent_p2018_01" in {p.name for p in partitions.partitions()}
