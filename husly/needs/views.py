"""The § 5 needs overview: rounds, registrations by the units, the overview and its exports.
Views are thin: access through the selectors, changes through the actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from husly.core.pages import add_action_errors, form_errors_text, user_of
from husly.core.pdf import render_pdf
from husly.core.spreadsheet import xlsx_bytes
from husly.needs import actions, selectors
from husly.needs.forms import RegistrationForm, RoundForm
from husly.needs.models import NeedsRound, RoundStatus
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


def _export_round(request: HttpRequest, pk: int) -> tuple[NeedsRound, dict[str, Any]]:
    """Aggregates only ("<5"), for everyone who sees the overview."""
    needs_round = selectors.round_for(user_of(request), pk)
    return needs_round, selectors.overview(needs_round.municipality, needs_round)


def _rows(o: dict[str, Any]) -> list[list[Any]]:
    rows: list[list[Any]] = [
        [str(o["round"]), o["municipality"].name, o["on"]],
        [],
        [_("From the records"), _("Households")],
    ]
    rows += [[str(label), value] for label, value in o["records"]]
    rows += [[str(label), value] for label, value in o["by_urgency"]]
    rows += [[_("Households in need known from the records"), o["in_records"]], []]
    survey = o["survey"]
    rows += [
        [_("From the needs survey"), _("Households")],
        [_("Registered by the units"), survey.get("registered", 0)],
        [_("… of them already known from the records"), survey.get("already_in_records", 0)],
        [_("… without identity number (not checked for duplicates)"), survey.get("not_checked", 0)],
        [_("… homeless (national definition)"), survey.get("homeless", 0)],
        [_("… with children"), survey.get("with_children", 0)],
    ]
    for key in ("by_situation", "by_dwelling", "by_household", "by_unit"):
        rows += [[str(label), value] for label, value in survey.get(key, [])]
    rows += [[], [_("Households in need, each once"), o["total"]]]
    return rows


def export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    needs_round, o = _export_round(request, pk)
    body = xlsx_bytes(_rows(o), title=_("Needs overview"))
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="behovsoversikt-{needs_round.year}.xlsx"'
    )
    return response


def export_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    needs_round, o = _export_round(request, pk)
    html = render_to_string(
        "needs/overview_pdf.html", {"o": o, "lang": translation.get_language() or "nb"}
    )
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="behovsoversikt-{needs_round.year}.pdf"'
    )
    return response
