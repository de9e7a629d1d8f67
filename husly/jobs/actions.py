"""Actions on the job queue (administrators)."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob

from husly.audit.events import record_change
from husly.jobs.exports import export_kind
from husly.jobs.models import ExportFile, ExportStatus, JobFailure
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


def export_queue(
    *, actor: User, kind: str, params: Mapping[str, Any], language: str = "nb"
) -> ExportFile:
    """Ask for a large export (ADR 0034): the kind's roles in the municipality and the app's
    own access check now, then the job ``exports_make`` builds it as ``actor``. Deferred in this
    transaction: no request without its job. The same export asked for again while one is
    still queued is that one (a double click queues nothing more)."""
    from husly.jobs.tasks import exports_make

    export = export_kind(kind)
    try:
        municipality = export.check(actor, params)
    except Http404 as unseen:
        raise PermissionDenied(
            _("Only those who may see what it holds may make this export.")
        ) from unseen
    require_permission(actor, municipality.pk, export.roles)
    with transaction.atomic():
        waiting = (
            ExportFile.objects.select_for_update()
            .filter(
                kind=kind,
                params=dict(params),
                requested_by=actor,
                status=ExportStatus.QUEUED,
                language=language,
            )
            .first()
        )
        if waiting is not None:
            return waiting
        made = ExportFile.objects.create(
            kind=kind,
            params=dict(params),
            municipality=municipality,
            requested_by=actor,
            language=language,
        )
        made.job_id = exports_make.defer(export_id=made.pk, municipality_id=municipality.pk)
        made.save(update_fields=["job_id"])
        record_change(
            actor=actor,
            action="export_queue",
            instance=made,
            municipality=municipality,
            changes={"kind": [None, kind], "params": [None, made.params]},
        )
    return made


def export_make_run(*, export_id: int) -> str:
    """The queue job's work: build the export once, as the user who asked, and store it. A
    rerun finds it no longer queued and does nothing. A user who may no longer see what it
    exports gets it *not made* with the reason; any other error (or a rollback of the row)
    leaves no file behind and is raised, so the queue retries it."""
    stored: list[str] = []
    try:
        with transaction.atomic():
            made = (
                ExportFile.objects.select_for_update()
                .select_related("requested_by", "municipality")
                .filter(pk=export_id)
                .first()
            )
            if made is None or made.status != ExportStatus.QUEUED:
                return made.status if made is not None else ""
            export = export_kind(made.kind)
            try:
                export.check(made.requested_by, made.params)
                require_permission(made.requested_by, made.municipality_id, export.roles)
            except (Http404, PermissionDenied):
                made.status = ExportStatus.FAILED
                made.error = _("You may no longer see what this export holds.")
                made.finished_at = timezone.now()
                made.save(update_fields=["status", "error", "finished_at"])
                return made.status
            with translation.override(made.language):
                body, filename, content_type = export.build(made.requested_by, made.params)
            made.file.save(filename, ContentFile(body), save=False)
            stored.append(made.file.name)
            made.filename, made.content_type = filename, content_type
            made.sha256 = hashlib.sha256(body).hexdigest()
            made.status = ExportStatus.DONE
            made.finished_at = timezone.now()
            made.save(
                update_fields=[
                    "file",
                    "filename",
                    "content_type",
                    "sha256",
                    "status",
                    "finished_at",
                ]
            )
            return made.status
    except BaseException:
        for name in stored:  # no file without its row
            default_storage.delete(name)
        raise


def exports_remove_expired(*, now: dt.datetime, keep_days: int | None = None) -> int:
    """Remove exports (files and rows) asked for longer ago than ``HUSLY_EXPORTS_KEEP_DAYS``;
    queued ones are kept. The file goes first: a row whose file is gone is never served (the
    download checks the hash). Safe to rerun."""
    keep = settings.HUSLY_EXPORTS_KEEP_DAYS if keep_days is None else keep_days
    removed = 0
    expired = ExportFile.objects.filter(created_at__lt=now - dt.timedelta(days=keep)).exclude(
        status=ExportStatus.QUEUED
    )
    for made in expired.iterator():
        if made.file:
            made.file.delete(save=False)
        made.delete()
        removed += 1
    logger.info("removed %s expired exports", removed)
    return removed
