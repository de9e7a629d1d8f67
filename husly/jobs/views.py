"""The job queue page for administrators: what is queued, running, done and failed, and why."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from husly.core.pages import paginate, querystring_without_page, user_of
from husly.jobs import actions, selectors
from husly.jobs.routers import queue_available


@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    selectors.jobs_municipality_ids(user)  # 404 for anyone but an administrator
    status = request.GET.get("status", "")
    if status not in selectors.STATUS_LABELS:
        status = ""
    page = paginate(request, selectors.visible_jobs(user, status), per_page=50)
    counts = selectors.status_counts(user)
    return render(
        request,
        "jobs/job_list.html",
        {
            "page": page,
            "querystring": querystring_without_page(request),
            "status": status,
            "statuses": [
                (key, label, counts.get(key, 0)) for key, label in selectors.STATUS_LABELS.items()
            ],
            "status_labels": selectors.STATUS_LABELS,
            "task_labels": selectors.TASK_LABELS,
            "queue_available": queue_available(),
        },
    )


@require_POST
def job_retry(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    job = selectors.job_for(user, pk)
    try:
        actions.job_retry(actor=user, job_id=job.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The job is queued again."))
    return redirect("jobs:job_list")
