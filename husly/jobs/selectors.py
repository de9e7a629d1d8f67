"""The job queue as administrators see it: state, times, attempts and why a job failed.

Jobs of one municipality carry ``municipality_id`` among their arguments and are shown to that
municipality's administrators; jobs without one (the periodic runs over every municipality) are
shown to every administrator. Arguments themselves are never shown (an import's rows are data).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Max, Min, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy
from procrastinate.contrib.django.models import ProcrastinateJob

from husly.jobs.exports import export_kind
from husly.jobs.models import ExportFile, ExportStatus, JobFailure
from husly.jobs.routers import queue_available
from husly.organisation.access import municipality_ids
from husly.organisation.models import Role, User

JOBS_READ = frozenset({Role.ADMINISTRATOR})

STATUS_LABELS = {
    "todo": pgettext_lazy("job status", "Queued"),
    "doing": pgettext_lazy("job status", "Running"),
    "succeeded": pgettext_lazy("job status", "Done"),
    "failed": pgettext_lazy("job status", "Failed"),
    "cancelled": pgettext_lazy("job status", "Cancelled"),
    "aborted": pgettext_lazy("job status", "Stopped"),
}
TASK_LABELS = {
    "lease_activations": gettext_lazy("Leases into force"),
    "renewal_reminders": gettext_lazy("Renewal reminders"),
    "retention_run": gettext_lazy("Retention"),
    "rent_roll": gettext_lazy("Rent roll"),
    "arrears_scan": gettext_lazy("Arrears steps"),
    "landlords_vacancy": gettext_lazy("Head-lease vacancy cost"),
    "jobs_cleanup": gettext_lazy("Finished jobs removed"),
    "webhooks_deliver": gettext_lazy("Webhooks sent"),
    "imports_apply": gettext_lazy("Import"),
    "kostra_year": gettext_lazy("KOSTRA figures for the year"),
    "deadline_alerts": gettext_lazy("Deadline alerts"),
    "policy_simulate": gettext_lazy("Policy simulation"),
    "exports_make": gettext_lazy("Export"),
}


def queue_status(job_id: int | None) -> str:
    """The queue's state of one job (``todo``, ``doing``, ``succeeded``, ``failed``, ...), for a
    page that shows the user their own work on the queue; ``todo`` when unknown."""
    if job_id is None or not queue_available():
        return "todo"
    return (
        ProcrastinateJob.objects.filter(pk=job_id).values_list("status", flat=True).first()
        or "todo"
    )


def jobs_municipality_ids(user: User) -> list[int]:
    """Municipalities whose jobs the user may see (administrators); none gives 404."""
    ids = municipality_ids(user, JOBS_READ)
    if not ids:
        raise Http404
    return ids


def _scoped(user: User) -> QuerySet[ProcrastinateJob]:
    ids = jobs_municipality_ids(user)
    if not queue_available():
        return ProcrastinateJob.objects.none()
    return ProcrastinateJob.objects.filter(
        ~Q(args__has_key="municipality_id") | Q(args__municipality_id__in=ids)
    )


def visible_jobs(user: User, status: str = "") -> QuerySet[ProcrastinateJob]:
    last_failure = JobFailure.objects.filter(job_id=OuterRef("pk")).order_by("-failed_at", "-pk")
    jobs = (
        _scoped(user)
        .annotate(
            deferred_at=Min("procrastinateevent__at"),
            changed_at=Max("procrastinateevent__at"),
            reason=Subquery(last_failure.values("error")[:1]),
        )
        .order_by("-id")
    )
    if status:
        jobs = jobs.filter(status=status)
    return jobs


def job_for(user: User, job_id: int) -> ProcrastinateJob:
    job = visible_jobs(user).filter(pk=job_id).first()
    if job is None:
        raise Http404
    return job


def status_counts(user: User) -> dict[str, int]:
    counts = dict.fromkeys(STATUS_LABELS, 0)
    for row in _scoped(user).order_by().values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    return counts


def export_for(user: User, pk: int) -> ExportFile:
    """The one access function for an export made on the queue: the user who asked for it,
    while they still may see what it holds (the app's own check); 404 for anyone else."""
    made = ExportFile.objects.filter(pk=pk, requested_by=user).first()
    if made is None:
        raise Http404
    export_kind(made.kind).check(user, made.params)
    return made


@dataclass(frozen=True)
class JobState:
    """Work on the queue as its page shows it to the user who asked."""

    key: str
    """queued, running, done or failed"""
    label: str
    reason: str = ""

    @property
    def finished(self) -> bool:
        return self.key in {"done", "failed"}


def job_state(*, done: bool, failed: str | None, job_id: int | None, stopped: str) -> JobState:
    """The work's own state once it has ended (``done``, or ``failed`` with its reason); while
    queued, the job's: waiting, running, or failed after every retry on an error the worker
    could not get past (``stopped`` says so in the user's words)."""
    if done:
        return JobState("done", pgettext("job status", "Done"))
    if failed is not None:
        return JobState("failed", pgettext("job status", "Failed"), failed)
    status = queue_status(job_id)
    if status == "doing":
        return JobState("running", pgettext("job status", "Running"))
    if status in {"failed", "cancelled", "aborted"}:
        return JobState("failed", pgettext("job status", "Failed"), stopped)
    return JobState("queued", pgettext("job status", "Queued"))


def export_state(made: ExportFile) -> JobState:
    return job_state(
        done=made.status == ExportStatus.DONE,
        failed=made.error if made.status == ExportStatus.FAILED else None,
        job_id=made.job_id,
        stopped=_(
            "The export stopped on a technical error and no file was made. "
            "The administrator can see the cause under Background jobs and run it again."
        ),
    )
