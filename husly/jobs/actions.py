"""Actions on the job queue (administrators)."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob

from husly.audit.events import record_change
from husly.jobs.models import JobFailure
from husly.jobs.routers import queue_available
from husly.organisation.access import municipality_ids, require_permission
from husly.organisation.models import Municipality, Role, User

logger = logging.getLogger("husly.jobs")

RETRY_ROLES = frozenset({Role.ADMINISTRATOR})


def job_retry(*, actor: User | None, job_id: int) -> None:
    """Put a failed job back in the queue, to run now (after its cause is mended). A job of one
    municipality is retried by that municipality's administrator; a job over every
    municipality by any administrator."""
    job = ProcrastinateJob.objects.filter(pk=job_id).first() if queue_available() else None
    args = job.args if job is not None and isinstance(job.args, dict) else {}
    municipality_id = args.get("municipality_id")
    if municipality_id is None and actor is not None:
        municipality_id = next(iter(municipality_ids(actor, RETRY_ROLES)), None)
    require_permission(actor, municipality_id, RETRY_ROLES)
    if job is None or job.status != "failed":
        raise ValidationError(_("Only a failed job can be run again."))
    with transaction.atomic():
        app.job_manager.retry_job_by_id(job_id=job.pk, retry_at=timezone.now())
        record_change(
            actor=actor,
            action="job_retry",
            instance=job,
            municipality=Municipality.objects.filter(pk=args.get("municipality_id")).first(),
            changes={"status": ["failed", "todo"], "task_name": [job.task_name, job.task_name]},
        )


FINISHED = ("succeeded", "cancelled", "aborted")

_DELETE_FINISHED = """
DELETE FROM procrastinate_jobs
WHERE id IN (
    SELECT job.id FROM procrastinate_jobs job
    WHERE job.status::text = ANY(%s)
      AND (SELECT max(event.at) FROM procrastinate_events event WHERE event.job_id = job.id) < %s
)
"""


def jobs_remove_finished(
    *, now: dt.datetime, keep_days: int | None = None, keep_failed_days: int | None = None
) -> dict[str, int]:
    """Remove jobs that ended longer ago than the retention period (``HUSLY_JOBS_KEEP_DAYS`` for
    done, cancelled and stopped jobs; ``HUSLY_JOBS_KEEP_FAILED_DAYS`` for failed ones, with
    their reasons). Queued and running jobs are never touched; safe to rerun. The jobs hold no
    case data (arguments are ids), so their removal is logged, not audited per row."""
    keep = settings.HUSLY_JOBS_KEEP_DAYS if keep_days is None else keep_days
    keep_failed = (
        settings.HUSLY_JOBS_KEEP_FAILED_DAYS if keep_failed_days is None else keep_failed_days
    )
    if not queue_available():
        return {"finished": 0, "failed": 0}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_DELETE_FINISHED, [list(FINISHED), now - dt.timedelta(days=keep)])
        finished = cursor.rowcount
        cursor.execute(_DELETE_FINISHED, [["failed"], now - dt.timedelta(days=keep_failed)])
        failed = cursor.rowcount
        JobFailure.objects.exclude(job_id__in=ProcrastinateJob.objects.values("pk")).delete()
    logger.info("removed %s finished and %s failed jobs", finished, failed)
    return {"finished": finished, "failed": failed}
