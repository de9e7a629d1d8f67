"""Work on the queue, end to end with a real worker: a large import is confirmed, the page shows it
queued, the worker applies it and the page shows it done (or not imported, with the reason, and
nothing written); the webhooks go out from their periodic job; finished jobs are removed after
the retention period, queued and recent ones kept."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob

from husly.api import actions as api_actions
from husly.api.models import EventKind, WebhookDelivery
from husly.audit.models import ChangeEvent
from husly.cases import actions as cases
from husly.cases.alerts import deadline_alerts_raise
from husly.cases.models import Case, DeadlineAlert
from husly.cases.selectors import WorkFilter, _deadlines
from husly.imports.models import ImportBatch, ImportStatus
from husly.insight.models import KostraYear
from husly.insight.selectors import kostra_report
from husly.jobs.actions import jobs_remove_finished
from husly.jobs.models import JobFailure
from husly.organisation.models import Unit
from husly.people.models import Person
from tests.allocation.helpers import make_household
from tests.api.test_webhooks import _subscribe
from tests.cases.helpers import ELIGIBLE
from tests.core.test_imports import PERSON_HEADER, _upload
from tests.factories import PersonFactory, synthetic_number
from tests.jobs import tasks_for_tests
from tests.jobs.conftest import run_worker

pytestmark = pytest.mark.postgres


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _persons_csv(*rows: tuple[str, str, str]) -> bytes:
    return (
        PERSON_HEADER + "".join(f"{nid};{given};{family};;\n" for nid, given, family in rows)
    ).encode()


@override_settings(HUSLY_IMPORT_SYNC_ROWS=1)
def test_a_large_import_runs_on_the_queue_and_the_page_shows_its_state(
    queue, sara, arne, raelingen
) -> None:  # type: ignore[no-untyped-def]
    client = _client(sara)
    rows = [
        (synthetic_number(dt.date(1970, 1, 5)), "Kari", "Hansen"),
        (synthetic_number(dt.date(1980, 3, 7)), "Ola", "Berg"),
    ]
    preview = _upload(client, "persons", "personer.csv", _persons_csv(*rows))
    batch = preview.context["batch"]
    response = client.post(reverse("imports:confirm", args=[batch.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:batch", args=[batch.pk])
    batch.refresh_from_db()
    assert batch.status == ImportStatus.QUEUED
    assert not Person.objects.exists()  # nothing before the worker
    job = ProcrastinateJob.objects.get(pk=batch.job_id)
    assert (job.task_name, job.status, job.args["municipality_id"]) == (
        "imports_apply",
        "todo",
        raelingen.pk,
    )
    assert ChangeEvent.objects.filter(action="import_batch_queue", object_id=str(batch.pk)).exists()
    waiting = client.get(response["Location"]).content.decode()
    assert "I kø" in waiting
    assert 'hx-trigger="every 3s"' in waiting
    # A second confirmation queues nothing more.
    client.post(reverse("imports:confirm", args=[batch.pk]))
    assert ProcrastinateJob.objects.filter(task_name="imports_apply").count() == 1
    # The administrator sees the import among the municipality's jobs, without its rows.
    jobs_page = _client(arne).get(reverse("jobs:job_list")).content.decode()
    assert "Import" in jobs_page and "Kari" not in jobs_page

    run_worker()
    assert ProcrastinateJob.objects.get(pk=batch.job_id).status == "succeeded"
    assert sorted(Person.objects.values_list("given_name", flat=True)) == ["Kari", "Ola"]
    assert ChangeEvent.objects.filter(action="person_create", actor=sara).count() == 2
    batch.refresh_from_db()
    assert (batch.status, batch.applied_count, batch.rows) == (ImportStatus.APPLIED, 2, [])
    done = client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert "Fullført" in done and "2 rader ble importert" in done
    assert "hx-trigger" not in done

    # A rerun of the job (a retry after a crash) imports nothing twice.
    app.tasks["imports_apply"].defer(batch_id=batch.pk, municipality_id=raelingen.pk)
    run_worker()
    assert Person.objects.count() == 2


@override_settings(HUSLY_IMPORT_SYNC_ROWS=1)
def test_a_queued_import_that_meets_bad_data_writes_nothing_and_says_why(
    queue, sara, raelingen
) -> None:  # type: ignore[no-untyped-def]
    client = _client(sara)
    taken = synthetic_number(dt.date(1970, 1, 5))
    rows = [(synthetic_number(dt.date(1981, 2, 2)), "Per", "Lund"), (taken, "Kari", "Hansen")]
    preview = _upload(client, "persons", "personer.csv", _persons_csv(*rows))
    batch = preview.context["batch"]
    client.post(reverse("imports:confirm", args=[batch.pk]))
    # Between confirmation and the worker, someone registers one of the persons by hand.
    PersonFactory(municipality=raelingen, national_id=taken, given_name="Kari")
    run_worker()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert batch.error.startswith("Ingenting ble importert")
    assert list(Person.objects.values_list("given_name", flat=True)) == ["Kari"]  # Per rolled back
    page = client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert "Feilet" in page and "Ingenting ble importert" in page


def test_only_the_uploader_sees_an_import_state(sara, geir, olga, raelingen) -> None:  # type: ignore[no-untyped-def]
    batch = ImportBatch.objects.create(
        kind="persons", municipality=raelingen, uploaded_by=sara, filename="a.csv", rows=[]
    )
    assert _client(sara).get(reverse("imports:batch", args=[batch.pk])).status_code == 200
    for other in (geir, olga):
        assert _client(other).get(reverse("imports:batch", args=[batch.pk])).status_code == 404


def test_webhooks_go_out_from_their_periodic_job(queue, arne, raelingen, receiver) -> None:  # type: ignore[no-untyped-def]
    _subscribe(arne, raelingen, receiver.url)
    event = api_actions.webhook_event_record(
        municipality_id=raelingen.pk,
        kind=EventKind.DECISION_ISSUED,
        object_id=7,
        payload={"decision_id": 7},
    )
    job_id = app.tasks["webhooks_deliver"].defer(timestamp=int(timezone.now().timestamp()))
    run_worker()
    assert ProcrastinateJob.objects.get(pk=job_id).status == "succeeded"
    assert WebhookDelivery.objects.get(event=event).delivered_at is not None
    [got] = receiver.received
    assert got["headers"]["Husly-Event"] == "decision.issued"


def _finished_at(job_id: int, days_ago: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE procrastinate_events SET at = now() - make_interval(days => %s) "
            "WHERE job_id = %s",
            [days_ago, job_id],
        )


def test_finished_jobs_are_removed_after_the_retention_period(queue) -> None:
    tasks_for_tests.SWITCH["fail"] = False
    old_done, new_done = (tasks_for_tests.flaky.defer(note=n) for n in ("old", "new"))
    run_worker()
    tasks_for_tests.SWITCH["fail"] = True
    old_failed = tasks_for_tests.flaky.defer(note="failed")
    with connection.cursor() as cursor:  # fail at once, as after the last retry
        cursor.execute("UPDATE procrastinate_jobs SET attempts = 4 WHERE id = %s", [old_failed])
    run_worker()
    assert ProcrastinateJob.objects.get(pk=old_failed).status == "failed"
    queued = tasks_for_tests.flaky.defer(note="queued")
    for job_id in (old_done, old_failed, queued):
        _finished_at(job_id, 20)

    now = timezone.now()
    removed = jobs_remove_finished(now=now, keep_days=14, keep_failed_days=90)
    assert removed == {"finished": 1, "failed": 0}
    # (The worker also deferred this minute's periodic ticks: recent, so they stay too.)
    left = set(ProcrastinateJob.objects.values_list("pk", flat=True))
    assert old_done not in left
    assert {new_done, old_failed, queued} <= left
    assert JobFailure.objects.filter(job_id=old_failed).exists()
    # Failed jobs go after their own, longer period, with their reasons.
    assert (
        jobs_remove_finished(now=now + dt.timedelta(days=80), keep_days=14, keep_failed_days=90)[
            "failed"
        ]
        == 1
    )
    assert not JobFailure.objects.filter(job_id=old_failed).exists()
    assert ProcrastinateJob.objects.filter(pk=queued).exists()  # never a queued job
    # Safe to rerun.
    assert jobs_remove_finished(now=now, keep_days=14, keep_failed_days=90) == {
        "finished": 0,
        "failed": 0,
    }


def test_on_new_years_day_the_job_files_last_years_kostra_figures_once(queue, raelingen) -> None:  # type: ignore[no-untyped-def]
    tick = int(dt.datetime(2027, 1, 1, 3, 0, tzinfo=dt.UTC).timestamp())
    kostra_job = app.tasks["kostra_year"]
    first = kostra_job.defer(timestamp=tick)
    run_worker()
    second = kostra_job.defer(timestamp=tick)  # run again (a retry after a crash)
    run_worker()
    assert [ProcrastinateJob.objects.get(pk=j).status for j in (first, second)] == [
        "succeeded",
        "succeeded",
    ]
    filed = KostraYear.objects.get(municipality=raelingen)
    assert filed.year == 2026
    expected = kostra_report(raelingen, 2026, dt.date(2027, 1, 1))
    assert filed.report["figures"] == json.loads(json.dumps(expected["figures"]))
    assert (
        ChangeEvent.objects.filter(action="kostra_year_prepare").count()
        == KostraYear.objects.count()
    )


def test_the_daily_job_raises_deadline_alerts_the_caseworker_sees_and_resolves_them(  # type: ignore[no-untyped-def]
    queue, sara, raelingen, routing
) -> None:
    case = cases.case_create(
        actor=sara,
        household=make_household(raelingen, "Frist"),
        channel="meeting",
        help_kinds=["rental_dwelling"],
        data=ELIGIBLE,
        submit=True,
    )
    units = list(Unit.objects.filter(municipality=raelingen).values_list("pk", flat=True))
    [item] = _deadlines(
        Case.objects.filter(pk=case.pk), units, WorkFilter(), case.received_on, shown=10
    ).shown
    assert item.what == "preliminary_reply"
    # Three weeks before the § 11a month ends: nothing yet; two days before: the alert.
    early = dt.datetime.combine(item.due - dt.timedelta(days=21), dt.time(4, 30), tzinfo=dt.UTC)
    near = dt.datetime.combine(item.due - dt.timedelta(days=2), dt.time(4, 30), tzinfo=dt.UTC)
    alert_job = app.tasks["deadline_alerts"]
    alert_job.defer(timestamp=int(early.timestamp()))
    run_worker()
    assert not DeadlineAlert.objects.exists()
    for _run in range(2):  # the job may run twice: one alert
        alert_job.defer(timestamp=int(near.timestamp()))
        run_worker()
    alert = DeadlineAlert.objects.get()
    assert (alert.case, alert.what, alert.due, alert.resolved_on) == (
        case,
        "preliminary_reply",
        item.due,
        None,
    )
    home = _client(sara).get(reverse("home")).content.decode()
    assert "Varsler om frister" in home and case.number in home

    cases.case_close(actor=sara, case=case, reason="other", note="Feilregistrert.")
    assert deadline_alerts_raise(today=near.date() + dt.timedelta(days=1)) == {
        "raised": 0,
        "resolved": 1,
    }
    assert DeadlineAlert.objects.get().resolved_on == near.date() + dt.timedelta(days=1)
    assert "Varsler om frister" not in _client(sara).get(reverse("home")).content.decode()
