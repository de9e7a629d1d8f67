"""Upload, preview and confirm an import. Nothing is written until every row is valid and the
user confirms; then every row is written in one transaction."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from husly.core.forms import StyledFormMixin
from husly.core.pages import user_of, writable_municipalities
from husly.imports import importers as imports
from husly.imports import selectors
from husly.imports.models import ImportBatch, ImportKind, ImportStatus
from husly.jobs.routers import queue_available
from husly.organisation.access import HOUSING_WRITE, PEOPLE_WRITE

ROLES = imports.IMPORT_ROLES
DONE_URL = {"persons": "people:person_list", "dwellings": "housing:dwelling_list"}


class UploadForm(StyledFormMixin, forms.Form):
    municipality = forms.ModelChoiceField(label=gettext_lazy("Municipality"), queryset=None)
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "CSV (UTF-8, separated by semicolon or comma) or Excel (.xlsx). "
            "The first row holds the column names."
        ),
    )

    def __init__(self, *args: object, municipalities: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["municipality"].queryset = municipalities  # type: ignore[attr-defined]
        self.only = municipalities.first() if municipalities.count() == 1 else None  # type: ignore[attr-defined]
        if self.only is not None:
            self.fields["municipality"].widget = forms.HiddenInput()
            self.fields["municipality"].required = False

    def clean_municipality(self) -> object:
        return self.cleaned_data.get("municipality") or self.only


def _kind_or_404(kind: str) -> str:
    if kind not in ImportKind.values:
        raise Http404
    return kind


@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, kind: str) -> HttpResponse:
    user = user_of(request)
    kind = _kind_or_404(kind)
    municipalities = writable_municipalities(user, ROLES[kind])
    if not municipalities.exists():
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None, municipalities=municipalities)
    context: dict[str, object] = {
        "form": form,
        "kind": kind,
        "kind_label": ImportKind(kind).label,
        "columns": imports.COLUMNS[kind],
    }
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        municipality = form.cleaned_data["municipality"]
        try:
            if upload_file.size > _max_bytes():
                raise imports.ImportFileError(_("The file is larger than 10 MB."))
            table = imports.read_table(upload_file.name, upload_file.read())
            result = imports.validate(kind, municipality, imports.parse_rows(kind, table))
        except imports.ImportFileError as exc:
            form.add_error("file", str(exc))
            return render(request, "imports/upload.html", context)
        context["result"] = result
        if result.ok:
            batch = ImportBatch.objects.create(
                kind=kind,
                municipality=municipality,
                uploaded_by=user,
                filename=upload_file.name[:200],
                rows=imports.to_json_rows(result.rows),
            )
            context["batch"] = batch
            context["preview"] = batch.rows[:20]
            context["preview_columns"] = imports.COLUMNS[kind]
        return render(request, "imports/preview.html", context)
    return render(request, "imports/upload.html", context)


def _max_bytes() -> int:
    return int(settings.HUSLY_IMPORT_MAX_BYTES)


@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    batch = (
        ImportBatch.objects.filter(
            pk=pk,
            uploaded_by=user,
            status=ImportStatus.PENDING,
            municipality__in=writable_municipalities(user, PEOPLE_WRITE | HOUSING_WRITE),
        )
        .select_related("municipality")
        .first()
    )
    if batch is None:
        raise Http404
    if batch.municipality not in writable_municipalities(user, ROLES[batch.kind]):
        raise Http404
    if queue_available() and len(batch.rows) > settings.HUSLY_IMPORT_SYNC_ROWS:
        try:
            imports.import_batch_queue(actor=user, batch=batch)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("imports:upload", kind=batch.kind)
        return redirect("imports:batch", pk=batch.pk)
    try:
        count = imports.import_batch_apply(actor=user, batch=batch)
    except ValidationError as error:
        messages.error(
            request, _("Nothing was imported: %(errors)s") % {"errors": " ".join(error.messages)}
        )
        return redirect("imports:upload", kind=batch.kind)
    messages.success(
        request,
        ngettext("%(count)s row was imported.", "%(count)s rows were imported.", count)
        % {"count": count},
    )
    return redirect(DONE_URL[batch.kind])


@require_GET
def batch(request: HttpRequest, pk: int) -> HttpResponse:
    """A queued import's state: queued, running, done or failed with the reason. The page asks
    again every few seconds (htmx) until the run has ended."""
    user = user_of(request)
    batch = selectors.import_batch_for(user, pk)
    return render(
        request,
        "imports/batch.html",
        {
            "batch": batch,
            "kind_label": ImportKind(batch.kind).label,
            "state": selectors.run_state(batch),
            "done_url": DONE_URL[batch.kind],
        },
    )
