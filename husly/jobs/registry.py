"""How Husly declares background jobs on procrastinate (ADR 0021).

A job is a plain function whose keyword arguments are JSON values (ids, dates as ISO strings),
registered in an app's ``tasks.py`` (procrastinate discovers them):

    from husly.jobs.registry import job, periodic_job

    @job("imports_apply")                      # on request: imports_apply.defer(...)
    def imports_apply(*, municipality_id: int, kind: str, rows: list[dict]) -> None: ...

    periodic_job("webhooks_deliver", cron="* * * * *", run=deliver_due)   # one line

Every job is retried with exponential back-off (``RETRY``: after about 5 s, 25 s, 2 min, 10 min),
records why each attempt failed (``JobFailure``, shown to administrators) and logs with the
request id ``job-<id>``. A job must be idempotent: it may run again after a crash or a retry, so
it does its work through actions that are safe to rerun (one rent claim per lease and month, one
reminder per lease, ...). A periodic job holds a lock named after it, so two workers never run
the same one at once, and procrastinate defers each tick once however many workers run.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable
from typing import Any

import procrastinate
from django.db import close_old_connections
from procrastinate.contrib.django import app

from husly.core import request_id
from husly.jobs.models import JobFailure

logger = logging.getLogger("husly.jobs")

RETRY = procrastinate.RetryStrategy(max_attempts=4, exponential_wait=5)
"""The first attempt and four retries (``max_attempts`` counts retries), after waits of
5**n seconds (5 s, 25 s, 125 s, 625 s); then the job stays failed until run again."""
ATTEMPTS = 1 + (RETRY.max_attempts or 0)

DEFAULT_QUEUE = "default"
PERIODIC_QUEUE = "periodic"
MAX_ERROR = 2000


def _record_failure(job_id: int, task_name: str, attempt: int, exc: BaseException) -> None:
    error = f"{type(exc).__name__}: {exc}"[:MAX_ERROR]
    JobFailure.objects.create(job_id=job_id, task_name=task_name, attempt=attempt, error=error)


def job(
    name: str,
    *,
    queue: str = DEFAULT_QUEUE,
    retry: procrastinate.RetryStrategy | None = RETRY,
    lock: str | None = None,
) -> Callable[[Callable[..., Any]], Any]:
    """Register ``func`` as the job ``name`` (defer with ``<task>.defer(**kwargs)``)."""

    def decorate(func: Callable[..., Any]) -> Any:
        @functools.wraps(func)
        def run(context: procrastinate.JobContext, **kwargs: Any) -> Any:
            current = context.job
            job_id = current.id or 0
            attempt = current.attempts + 1
            # As Django does around a request: a connection broken or too old (the database
            # restarted while the worker waited) is replaced, not reused by the next job.
            close_old_connections()
            with request_id.bound(f"job-{job_id}"):
                logger.info("job %s started (attempt %s)", name, attempt)
                try:
                    result = func(**kwargs)
                except Exception as exc:
                    _record_failure(job_id, name, attempt, exc)
                    logger.warning("job %s failed (attempt %s): %s", name, attempt, exc)
                    raise
                finally:
                    close_old_connections()
                logger.info("job %s succeeded", name)
                return result

        return app.task(name=name, queue=queue, retry=retry or False, pass_context=True, lock=lock)(
            run
        )

    return decorate


def periodic_job(
    name: str, *, cron: str, run: Callable[[dt.datetime], object], queue: str = PERIODIC_QUEUE
) -> Any:
    """Register ``run(scheduled_at)`` to run on the ``cron`` schedule (server time zone
    Europe/Oslo is not assumed: cron is read in UTC by procrastinate). One line per job."""

    def tick(*, timestamp: int) -> object:
        return run(dt.datetime.fromtimestamp(timestamp, tz=dt.UTC))

    tick.__name__ = tick.__qualname__ = name
    task = job(name, queue=queue, lock=name)(tick)
    return app.periodic(cron=cron, periodic_id="")(task)
