"""The § 5 needs overview: rounds, registrations by the units, the overview and its exports.
Views are thin: access through the selectors, changes through the actions."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from husly.core.pages import add_action_errors, form_errors_text, user_of
from husly.jobs.actions import export_queue
from husly.jobs.exports import export_kind
from husly.jobs.routers import queue_available
from husly.needs import actions, selectors
from husly.needs.forms import RegistrationForm, RoundForm
from husly.needs.models import RoundStatus
from husly.organisation.access import first_municipality, has_role, municipality_ids
from husly.organisation.models import Unit
from husly.people.selectors import log_reads


def overview(request: HttpRequest) -> HttpResponse:
    """The rounds and the overview of the latest (or the chosen) round."""
    user = user_of(request)
    municipality = first_municipality(municipality_ids(user, selectors.NEEDS_READ))
    rounds = list(selectors.rounds_for(user).filter(municipality=municipality))
    chosen = rounds[0] if rounds else None
    if request.GET.get("runde"):
        chosen = selectors.round_for(user, request.GET["runde"])
    lead = has_role(user, municipality.pk, selectors.NEEDS_LEAD)
    today = timezone.localdate()
    form = RoundForm(
        initial={
            "year": today.year,
            "title": _("Needs survey %(year)s") % {"year": today.year},
            "deadline": today + dt.timedelta(days=30),
        }
    )
    return render(
        request,
        "needs/overview.html",
        {
            "o": selectors.overview(municipality, chosen),
            "rounds": rounds,
            "chosen": chosen,
            "lead": lead,
            "registers": bool(selectors.registering_units(user, municipality.pk)),
            "form": form,
        },
    )


@require_POST
def round_open(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    municipality = first_municipality(municipality_ids(user, selectors.NEEDS_LEAD))
    form = RoundForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect("needs:overview")
    try:
        needs_round = actions.needs_round_open(
            actor=user, municipality=municipality, **form.cleaned_data
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("needs:overview")
    messages.success(request, _("The round is open. The units can now register households."))
    return redirect("needs:round_detail", needs_round.pk)


@require_POST
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    needs_round = selectors.round_for(user, pk)
    if not has_role(user, needs_round.municipality_id, selectors.NEEDS_LEAD):
        raise Http404
    try:
        actions.needs_round_close(actor=user, needs_round=needs_round)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The round is closed."))
    return redirect(f"{_overview_url()}?runde={needs_round.pk}")


def _overview_url() -> str:
    from django.urls import reverse

    return reverse("needs:overview")


def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A round as a unit sees it: its own registrations (people, each read logged) and the
    form to register another household."""
    user = user_of(request)
    needs_round = selectors.round_for(user, pk)
    unit_ids = selectors.registering_units(user, needs_round.municipality_id)
    if not unit_ids:
        return redirect(f"{_overview_url()}?runde={needs_round.pk}")
    units = [(u.pk, u.name) for u in Unit.objects.filter(pk__in=unit_ids).order_by("name")]
    form = RegistrationForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        unit = Unit.objects.get(pk=data.pop("unit"))
        national_id = data.pop("national_id")
        try:
            actions.needs_registration_create(
                actor=user, needs_round=needs_round, unit=unit, national_id=national_id, data=data
            )
        except actions.AlreadyRegisteredError as error:
            messages.warning(request, " ".join(error.messages))
            return redirect("needs:round_detail", needs_round.pk)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The household is registered."))
            return redirect("needs:round_detail", needs_round.pk)
    registrations = list(selectors.registrations_for(user, needs_round))
    shown = [r.person for r in registrations if r.person is not None]
    log_reads(user=user, persons=shown, what="needs_registrations", path=request.get_full_path())
    return render(
        request,
        "needs/round_detail.html",
        {
            "round": needs_round,
            "is_open": needs_round.status == RoundStatus.OPEN,
            "registrations": registrations,
            "form": form,
        },
    )


@require_POST
def registration_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    registration = selectors.registration_for(user, pk)
    round_pk = registration.round_id
    try:
        actions.needs_registration_withdraw(actor=user, registration=registration)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The registration is withdrawn."))
    return redirect("needs:round_detail", round_pk)


def _export(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Aggregates only ("<5"), for everyone who sees the overview. On the job queue (ADR 0034):
    the state page shows the download when the worker has made it; without a queue (SQLite)
    the file is made at once."""
    user = user_of(request)
    params = {"round": selectors.round_for(user, pk).pk}
    if queue_available():
        made = export_queue(
            actor=user, kind=kind, params=params, language=translation.get_language() or "nb"
        )
        return redirect("jobs:export_detail", made.pk)
    body, filename, content_type = export_kind(kind).build(user, params)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_POST
def export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    return _export(request, pk, "needs_overview_xlsx")


@require_POST
def export_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _export(request, pk, "needs_overview_pdf")
