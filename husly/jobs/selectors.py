"""The job queue as administrators see it: state, times, attempts and why a job failed.

Jobs of one municipality carry ``municipality_id`` among their arguments and are shown to that
municipality's administrators; jobs without one (the periodic runs over every municipality) are
shown to every administrator. Arguments themselves are never shown (an import's rows are data).
"""

from __future__ import annotations

from django.db.models import Count, Max, Min, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from procrastinate.contrib.django.models import ProcrastinateJob

from husly.jobs.models import JobFailure
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
    "lease_activations": _("Leases into force"),
    "renewal_reminders": _("Renewal reminders"),
    "retention_run": _("Retention"),
    "rent_roll": _("Rent roll"),
    "arrears_scan": _("Arrears steps"),
    "landlords_vacancy": _("Head-lease vacancy cost"),
    "jobs_cleanup": _("Finished jobs removed"),
    "webhooks_deliver": _("Webhooks sent"),
    "imports_apply": _("Import"),
    "kostra_year": _("KOSTRA figures for the year"),
    "deadline_alerts": _("Deadline alerts"),
}


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
