"""Actions on the job queue (administrators)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob

from husly.audit.events import record_change
from husly.jobs.routers import queue_available
from husly.organisation.access import municipality_ids, require_permission
from husly.organisation.models import Municipality, Role, User

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
