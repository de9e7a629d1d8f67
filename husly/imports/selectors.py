"""An import as its uploader sees it: the batch (only one's own, in a municipality one may still
import into; 404 otherwise) and the state of its run on the job queue."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from husly.core.pages import writable_municipalities
from husly.imports.importers import IMPORT_ROLES
from husly.imports.models import ImportBatch, ImportStatus
from husly.jobs.routers import queue_available
from husly.jobs.selectors import JobState
from husly.organisation.models import User


def import_batch_for(user: User, pk: int) -> ImportBatch:
    batch = (
        ImportBatch.objects.filter(pk=pk, uploaded_by=user).select_related("municipality").first()
    )
    if (
        batch is None
        or not writable_municipalities(user, IMPORT_ROLES[batch.kind])
        .filter(pk=batch.municipality_id)
        .exists()
    ):
        raise Http404
    return batch


def run_state(batch: ImportBatch) -> JobState:
    """The batch's own state once it has ended; while queued, the job's (waiting or running,
    or failed after every retry on an error the worker could not get past)."""
    if batch.status == ImportStatus.APPLIED:
        return JobState("done", pgettext("job status", "Done"))
    if batch.status == ImportStatus.FAILED:
        return JobState("failed", pgettext("job status", "Failed"), batch.error)
    status = "todo"
    if batch.job_id is not None and queue_available():
        from procrastinate.contrib.django.models import ProcrastinateJob

        status = (
            ProcrastinateJob.objects.filter(pk=batch.job_id)
            .values_list("status", flat=True)
            .first()
            or "todo"
        )
    if status == "doing":
        return JobState("running", pgettext("job status", "Running"))
    if status in {"failed", "cancelled", "aborted"}:
        return JobState(
            "failed",
            pgettext("job status", "Failed"),
            _(
                "The import stopped on a technical error and nothing was imported. "
                "The administrator can see the cause under Background jobs and run it again."
            ),
        )
    return JobState("queued", pgettext("job status", "Queued"))
