"""The audit log for internal control (administrators) and a person's data export (art. 15)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from husly.audit import selectors
from husly.audit.export import (
    EXPORT_ROLES,
    build_export,
    download,
    full_scope,
    render_json,
    render_pdf,
)
from husly.audit.forms import AuditSearchForm
from husly.core.pages import paginate, querystring_without_page, user_of
from husly.organisation.access import access_via
from husly.people import selectors as people_selectors


@require_GET
def audit_search(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    selectors.audit_municipality_ids(user)  # 404 for anyone but an administrator
    form = AuditSearchForm(request.GET or None, user=user)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    kind = data.get("kind") or AuditSearchForm.READS
    filters = {
        "actor": data.get("actor"),
        "person": data.get("person"),
        "date_from": data.get("date_from"),
        "date_to": data.get("date_to"),
    }
    if form.is_bound and not form.is_valid():
        queryset = selectors.access_event_search(user).none()
    elif kind == AuditSearchForm.CHANGES:
        queryset = selectors.change_event_search(user, action=data.get("action") or "", **filters)
    else:
        queryset = selectors.access_event_search(
            user,
            what=data.get("action") or "",
            emergency=bool(data.get("emergency")),
            **filters,
        )
    page = paginate(request, queryset, per_page=50)
    person_ids = {event.person_id for event in page.object_list if event.person_id}
    persons = selectors.persons_by_id(user, person_ids)
    # Showing who looked at whom is itself a read of those persons' data.
    people_selectors.log_reads(
        user=user, persons=persons.values(), what="audit_search", path=request.get_full_path()
    )
    rows = [(event, persons.get(event.person_id)) for event in page.object_list]
    return render(
        request,
        "audit/search.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "kind": kind,
            "querystring": querystring_without_page(request),
        },
    )


def _export_for(request: HttpRequest, pk: int, what: str) -> tuple[dict[str, object], str]:
    """The full export, by a role that handles access requests; logged as a read of the
    person with that role (before it is built, so the export lists itself)."""
    user = user_of(request)
    person = selectors.person_for_export(user, pk)
    people_selectors.log_reads(
        user=user,
        persons=[person],
        what=what,
        path=request.get_full_path(),
        via=access_via(user, person.municipality_id, EXPORT_ROLES),
    )
    stamp = timezone.localdate().isoformat()
    return build_export(person, full_scope(person, user)), f"husly-P{person.pk}-{stamp}"


@require_GET
def person_export_json(request: HttpRequest, pk: int) -> HttpResponse:
    export, name = _export_for(request, pk, "person_export_json")
    return download(render_json(export), "application/json; charset=utf-8", f"{name}.json")


@require_GET
def person_export_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    export, name = _export_for(request, pk, "person_export_pdf")
    return download(render_pdf(export), "application/pdf", f"{name}.pdf")
