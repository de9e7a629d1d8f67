"""The job queue page for administrators: what is queued, running, done and failed, and why."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from husly.core.pages import paginate, querystring_without_page, user_of
from husly.jobs import actions, selectors
from husly.jobs.exports import export_kind
from husly.jobs.models import ExportStatus
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


@require_GET
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An export on the queue: queued, running, ready to download or not made with the
    reason. The page asks again every few seconds (htmx) until it has ended."""
    made = selectors.export_for(user_of(request), pk)
    return render(
        request,
        "jobs/export_detail.html",
        {
            "made": made,
            "label": export_kind(made.kind).label,
            "state": selectors.export_state(made),
            "keep_days": settings.HUSLY_EXPORTS_KEEP_DAYS,
        },
    )


@require_GET
def export_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The stored file, for the user who asked only; 404 until it is ready, after it was
    removed, or when its bytes no longer match the hash stored with it."""
    made = selectors.export_for(user_of(request), pk)
    if made.status != ExportStatus.DONE or not made.file:
        raise Http404
    try:
        with made.file.open("rb") as handle:
            body = handle.read()
    except FileNotFoundError as missing:
        raise Http404 from missing
    if hashlib.sha256(body).hexdigest() != made.sha256:
        raise Http404
    response = HttpResponse(body, content_type=made.content_type)
    response["Content-Disposition"] = f'attachment; filename="{made.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
