"""The job queue on real PostgreSQL: a job is deferred, a real worker runs it, a failing job is
retried with growing waits and ends failed with its reason on the administrators' page, where
it can be run again; the periodic jobs are registered; a job run twice does its work once."""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob

from husly.audit.models import ChangeEvent
from husly.jobs.models import JobFailure
from husly.jobs.registry import ATTEMPTS
from husly.rent.models import RentClaim
from tests.jobs import tasks_for_tests
from tests.jobs.conftest import run_worker
from tests.rent.helpers import active_lease

pytestmark = pytest.mark.postgres


def _due_now(job_id: int) -> None:
    """Let the back-off pass without waiting for it."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE procrastinate_jobs SET scheduled_at = now() WHERE id = %s", [job_id])


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_a_deferred_job_is_run_by_the_worker(queue) -> None:
    tasks_for_tests.SWITCH["fail"] = False
    job_id = tasks_for_tests.flaky.defer(note="ok")
    assert ProcrastinateJob.objects.get(pk=job_id).status == "todo"
    run_worker()
    assert ProcrastinateJob.objects.get(pk=job_id).status == "succeeded"
    assert not JobFailure.objects.filter(job_id=job_id).exists()


def test_a_failing_job_is_retried_with_back_off_then_shown_failed_and_run_again(
    queue, arne, sara
) -> None:
    tasks_for_tests.SWITCH["fail"] = True
    job_id = tasks_for_tests.flaky.defer(note="brev 7")
    waits = []
    for attempt in range(1, ATTEMPTS + 1):
        before = timezone.now()
        run_worker()
        job = ProcrastinateJob.objects.get(pk=job_id)
        assert job.attempts == attempt
        if attempt < ATTEMPTS:
            assert job.status == "todo"
            waits.append((job.scheduled_at - before).total_seconds())
            _due_now(job_id)
    assert job.status == "failed"
    # Exponential back-off: 5, 25, 125, 625 seconds after each failed attempt.
    expected = [5, 25, 125, 625]
    assert all(e - 1 <= wait < e + 5 for e, wait in zip(expected, waits, strict=True)), waits
    failures = JobFailure.objects.filter(job_id=job_id).order_by("attempt")
    assert [f.attempt for f in failures] == [1, 2, 3, 4, 5]
    assert failures[0].error == "ConnectionError: the archive did not answer (brev 7)"

    page = _client(arne).get(reverse("jobs:job_list"), {"status": "failed"})
    body = page.content.decode()
    assert page.status_code == 200
    assert "the archive did not answer (brev 7)" in body
    assert f"#{job_id}" in body
    assert _client(sara).get(reverse("jobs:job_list")).status_code == 404
    refused = _client(sara).post(reverse("jobs:job_retry", args=[job_id]))
    assert refused.status_code == 404

    tasks_for_tests.SWITCH["fail"] = False
    response = _client(arne).post(reverse("jobs:job_retry", args=[job_id]))
    assert response.status_code == 302
    assert ProcrastinateJob.objects.get(pk=job_id).status == "todo"
    event = ChangeEvent.objects.get(action="job_retry")
    assert (event.actor, event.object_id) == (arne, str(job_id))
    run_worker()
    assert ProcrastinateJob.objects.get(pk=job_id).status == "succeeded"
    again = _client(arne).post(reverse("jobs:job_retry", args=[job_id]), follow=True)
    assert "Bare en jobb som har feilet" in again.content.decode()


def test_the_periodic_jobs_are_registered_on_their_schedules() -> None:
    schedules = {
        periodic.task.name: periodic.cron
        for periodic in app.periodic_registry.periodic_tasks.values()
    }
    assert schedules == {
        "lease_activations": "5 0 * * *",
        "renewal_reminders": "0 5 * * *",
        "retention_run": "30 1 * * *",
        "rent_roll": "0 1 1 * *",
        "arrears_scan": "0 4 * * *",
        "landlords_vacancy": "0 2 1 * *",
        "jobs_cleanup": "45 2 * * *",
        "webhooks_deliver": "* * * * *",
        "kostra_year": "0 3 1 1 *",
        "deadline_alerts": "30 4 * * *",
    }
    # Two periodic jobs of one name never run side by side.
    assert app.tasks["rent_roll"].lock == "rent_roll"


def test_a_tick_is_deferred_once_however_many_workers_defer_it(queue) -> None:
    periodic = next(
        p for p in app.periodic_registry.periodic_tasks.values() if p.task.name == "rent_roll"
    )
    tick = int(dt.datetime(2026, 12, 1, 1, 0, tzinfo=dt.UTC).timestamp())

    async def defer_twice() -> list[int | None]:
        with app.replace_connector(app.connector.get_worker_connector()):
            async with app.open_async():
                return [
                    await app.job_manager.defer_periodic_job(
                        job=periodic.task.configure(task_kwargs={"timestamp": tick}).job,
                        periodic_id=periodic.periodic_id,
                        defer_timestamp=tick,
                    )
                    for _worker in range(2)
                ]

    # In a thread of its own: a browser test in the same worker may leave an event loop running.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        first, second = pool.submit(asyncio.run, defer_twice()).result()
    assert first is not None
    assert second is None
    assert ProcrastinateJob.objects.filter(task_name="rent_roll").count() == 1


def test_the_rent_roll_job_run_twice_gives_one_claim_per_lease(queue, raelingen, eirik) -> None:
    leases = [active_lease(raelingen, eirik) for _ in range(3)]
    tick = int(dt.datetime(2026, 12, 1, 1, 0, tzinfo=dt.UTC).timestamp())
    rent_roll = app.tasks["rent_roll"]
    rent_roll.defer(timestamp=tick)
    run_worker()
    rent_roll.defer(timestamp=tick)
    run_worker()
    statuses = list(
        ProcrastinateJob.objects.filter(task_name="rent_roll").values_list("status", flat=True)
    )
    assert statuses == ["succeeded", "succeeded"]
    december = RentClaim.objects.filter(month=dt.date(2026, 12, 1))
    assert sorted(december.values_list("lease_id", flat=True)) == sorted(x.pk for x in leases)
