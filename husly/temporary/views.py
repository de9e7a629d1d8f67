"""Temporary accommodation (§ 27): stays for NAV's caseworkers, flags for the leader, the
provider register, the homelessness count. Thin views: parse, check access, call one action."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from husly.core.pages import add_action_errors, user_of
from husly.organisation.access import get_or_404, municipalities_for_user, municipality_ids
from husly.organisation.models import Municipality, Unit, User
from husly.people.models import ADULT_RELATIONS, Household, HouseholdMember
from husly.people.selectors import log_household_reads, log_reads
from husly.portal.auth import resident_of
from husly.portal.views import portal_login_required
from husly.temporary import actions, selectors
from husly.temporary.flags import ALL_FLAGS
from husly.temporary.forms import (
    AgreementForm,
    EndForm,
    ExtendForm,
    InspectionForm,
    MoveForm,
    PlaceCreateForm,
    PlaceForm,
    ProviderForm,
    SituationForm,
)
from husly.temporary.models import LastingPath, Stay


def _labels() -> dict[str, str]:
    return {
        "children": _("Children"),
        "young": _("Young people"),
        "over_limit": _("Past three months"),
        "discharge": _("From prison or institution"),
        "repeated": _("Repeated stay"),
    }


def _municipality(user: User, roles: frozenset[str]) -> Municipality:
    municipality = municipalities_for_user(user, roles).first()
    if municipality is None:
        raise Http404
    return municipality


def _rows(stays: list[Stay], today: dt.date) -> list[dict[str, Any]]:
    labels = _labels()
    rows = []
    for stay, flags in selectors.with_flags(stays, today):
        nights, cost = selectors.stay_cost(stay, today)
        segments = list(stay.segments.all())
        rows.append(
            {
                "stay": stay,
                "flags": flags,
                "flag_labels": [labels[f] for f in flags.flags],
                "nights": nights,
                "cost": cost,
                "place": segments[-1].place if segments else None,
            }
        )
    return rows


def stay_list(request: HttpRequest) -> HttpResponse:
    """NAV's caseworker: every open stay, with its flags and days so far."""
    user = user_of(request)
    ids = municipality_ids(user, selectors.STAY_ROLES)
    if not ids:
        raise Http404
    today = timezone.localdate()
    stays = list(selectors.open_stays(user, ids))
    log_household_reads(
        user=user,
        household_ids=[s.household_id for s in stays],
        what="temporary_stay_list",
        path=request.get_full_path(),
    )
    return render(request, "temporary/stay_list.html", {"rows": _rows(stays, today)})


def flags(request: HttpRequest) -> HttpResponse:
    """The leader's view: open stays with their flags and days, without names."""
    user = user_of(request)
    ids = municipality_ids(user, selectors.FLAG_READ)
    if not ids:
        raise Http404
    today = timezone.localdate()
    stays = list(
        selectors.open_stays(user, ids)
        .select_related(None)
        .only(
            "pk",
            "household_id",
            "starts_on",
            "planned_end",
            "discharge",
            "lasting_path",
            "ended_on",
            "persons",
        )
    )
    rows = _rows(stays, today)
    counts = selectors.flag_counts([(r["stay"], r["flags"]) for r in rows])
    labels = _labels()
    paths = dict(LastingPath.choices)
    return render(
        request,
        "temporary/flags.html",
        {
            "rows": [r for r in rows if r["flags"].flags],
            "open_count": len(rows),
            "counts": [(labels[f], counts.get(f, 0)) for f in ALL_FLAGS],
            "waiting": [
                (paths.get(w["lasting_path"], w["lasting_path"]), w["n"])
                for w in selectors.waiting_by_path(ids)
            ],
        },
    )


def _household_by_number(user: User, national_id: str) -> Household | None:
    member = (
        HouseholdMember.objects.filter(
            person__national_id=national_id,
            relation__in=ADULT_RELATIONS,
            household__municipality_id__in=municipality_ids(user, selectors.STAY_ROLES),
        )
        .select_related("household")
        .order_by("-pk")
        .first()
    )
    return member.household if member else None


@require_http_methods(["GET", "POST"])
def stay_place(request: HttpRequest) -> HttpResponse:
    """The out-of-hours placement: one short form, made for a phone."""
    user = user_of(request)
    municipality = _municipality(user, selectors.STAY_ROLES)
    places = selectors.places_for_user(user).filter(provider__municipality=municipality)
    units = Unit.objects.filter(municipality=municipality)
    own_unit = (
        user.memberships.filter(unit__municipality=municipality)
        .values_list("unit_id", flat=True)
        .first()
    )
    form = PlaceForm(
        request.POST or None,
        places=places,
        units=units,
        initial={"responsible_unit": own_unit},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        household = _household_by_number(user, data["national_id"])
        if household is None:
            form.add_error(
                "national_id",
                _(
                    "No household in the municipality has an adult with this number. "
                    "Register the household first."
                ),
            )
        else:
            today = timezone.localdate()
            try:
                stay = actions.stay_place(
                    actor=user,
                    household=household,
                    place=data["place"],
                    starts_on=today,
                    planned_end=today + dt.timedelta(days=data["nights"]),
                    lasting_path=data["lasting_path"],
                    responsible_unit=data["responsible_unit"],
                    facts=data["facts"],
                    discharge=data["discharge"] or "",
                    family_reason=data["family_reason"],
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("The household is placed and the decision issued."))
                return redirect("temporary:stay_detail", stay.pk)
    return render(request, "temporary/stay_place.html", {"form": form})


def _stay_context(request: HttpRequest, user: User, stay: Stay) -> dict[str, Any]:
    today = timezone.localdate()
    members = list(stay.household.members.select_related("person"))
    segments = list(stay.segments.select_related("place__provider"))
    for segment in segments:
        segment.night_count = segment.nights(today)  # type: ignore[attr-defined]
        segment.cost = segment.night_count * segment.price_per_night  # type: ignore[attr-defined]
    ((_s, flags),) = selectors.with_flags([stay], today)
    nights, cost = selectors.stay_cost(stay, today)
    places = selectors.places_for_user(user).filter(provider__municipality_id=stay.municipality_id)
    return {
        "stay": stay,
        "members": members,
        "segments": segments,
        "changes": stay.changes.select_related("decision", "by"),
        "flags": flags,
        "flag_labels": [_labels()[f] for f in flags.flags],
        "nights": nights,
        "cost": cost,
        "extend_form": ExtendForm(auto_id="extend-%s"),
        "move_form": MoveForm(places=places, auto_id="move-%s", initial={"on": today}),
        "end_form": EndForm(auto_id="end-%s", initial={"on": today}),
    }


def stay_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    stay = selectors.stay_read(user=user, pk=pk, path=request.get_full_path())
    return render(request, "temporary/stay_detail.html", _stay_context(request, user, stay))


def _stay_action(
    request: HttpRequest, pk: int, form_class: Any, call: Any, done: str
) -> HttpResponse:
    user = user_of(request)
    stay = selectors.stay_get_for_user(user, pk)
    kwargs = {"places": selectors.places_for_user(user)} if form_class is MoveForm else {}
    form = form_class(request.POST, **kwargs)
    if form.is_valid():
        try:
            call(user, stay, form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, done)
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("temporary:stay_detail", stay.pk)


@require_POST
def stay_extend(request: HttpRequest, pk: int) -> HttpResponse:
    return _stay_action(
        request,
        pk,
        ExtendForm,
        lambda u, s, d: actions.stay_extend(
            actor=u, stay=s, planned_end=d["planned_end"], reason=d["reason"]
        ),
        _("The stay is extended and the decision issued."),
    )


@require_POST
def stay_move(request: HttpRequest, pk: int) -> HttpResponse:
    return _stay_action(
        request,
        pk,
        MoveForm,
        lambda u, s, d: actions.stay_move(
            actor=u,
            stay=s,
            place=d["place"],
            on=d["on"],
            reason=d["reason"],
            family_reason=d["family_reason"],
        ),
        _("The household is moved and the decision issued."),
    )


@require_POST
def stay_end(request: HttpRequest, pk: int) -> HttpResponse:
    return _stay_action(
        request,
        pk,
        EndForm,
        lambda u, s, d: actions.stay_end(
            actor=u, stay=s, on=d["on"], reason=d["reason"], note=d["note"]
        ),
        _("The stay is ended."),
    )


# --- providers ----------------------------------------------------------------------------------


def provider_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not municipality_ids(user, selectors.PROVIDER_READ):
        raise Http404
    today = timezone.localdate()
    providers = list(
        selectors.providers_for_user(user).prefetch_related("places", "agreements", "inspections")
    )
    rows = [(p, selectors.agreement_state(p, today)) for p in providers]
    can_write = bool(municipality_ids(user, selectors.PROVIDER_WRITE))
    return render(request, "temporary/provider_list.html", {"rows": rows, "can_write": can_write})


@require_http_methods(["GET", "POST"])
def provider_create(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    municipality = _municipality(user, selectors.PROVIDER_WRITE)
    form = ProviderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            provider = actions.provider_create(
                actor=user, municipality=municipality, data=form.cleaned_data
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            return redirect("temporary:provider_detail", provider.pk)
    return render(request, "temporary/provider_form.html", {"form": form})


def provider_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    provider = selectors.provider_get_for_user(user, pk)
    can_write = pk in set(
        selectors.providers_for_user(user)
        .filter(municipality_id__in=municipality_ids(user, selectors.PROVIDER_WRITE))
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "temporary/provider_detail.html",
        {
            "provider": provider,
            "state": selectors.agreement_state(provider, timezone.localdate()),
            "can_write": can_write,
            "place_form": PlaceCreateForm(auto_id="place-%s"),
            "agreement_form": AgreementForm(auto_id="agreement-%s"),
            "inspection_form": InspectionForm(auto_id="inspection-%s"),
        },
    )


PROVIDER_FORMS = {
    "plass": (PlaceCreateForm, actions.place_create, gettext_lazy("The place is added.")),
    "avtale": (
        AgreementForm,
        actions.agreement_record,
        gettext_lazy("The agreement is recorded."),
    ),
    "tilsyn": (
        InspectionForm,
        actions.inspection_record,
        gettext_lazy("The inspection is recorded."),
    ),
}


@require_POST
def provider_add(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    user = user_of(request)
    provider = selectors.provider_get_for_user(user, pk)
    if what not in PROVIDER_FORMS:
        raise Http404
    form_class, action, done = PROVIDER_FORMS[what]
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(actor=user, provider=provider, data=form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, str(done))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("temporary:provider_detail", provider.pk)


# --- homelessness -------------------------------------------------------------------------------


def homeless(request: HttpRequest) -> HttpResponse:
    """Who counts as homeless on a date, by the national definition (for the survey)."""
    user = user_of(request)
    municipality = _municipality(user, selectors.STAY_ROLES)
    on = parse_date(request.GET.get("dato", "") or "") or timezone.localdate()
    rows = selectors.homeless_on(municipality.pk, on)
    log_household_reads(
        user=user,
        household_ids=[h.pk for h, _s in rows],
        what="homeless_list",
        path=request.get_full_path(),
    )
    from husly.temporary.models import Situation

    labels = dict(Situation.choices)
    return render(
        request,
        "temporary/homeless.html",
        {"rows": [(h, labels[s]) for h, s in rows], "on": on},
    )


@require_http_methods(["GET", "POST"])
def situation_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a household's housing situation by the national definition."""
    user = user_of(request)
    municipality_ids_ = municipality_ids(user, selectors.STAY_ROLES)
    household = Household.objects.filter(pk=pk, municipality_id__in=municipality_ids_).first()
    if household is None:
        raise Http404
    members = list(household.members.select_related("person"))
    log_reads(
        user=user,
        persons=[m.person for m in members],
        what="housing_situation",
        path=request.get_full_path(),
    )
    form = SituationForm(request.POST or None, initial={"valid_from": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            actions.housing_situation_record(
                actor=user, household=household, data=form.cleaned_data
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The housing situation is recorded."))
            return redirect("temporary:situation_record", household.pk)
    return render(
        request,
        "temporary/situation_form.html",
        {
            "household": household,
            "form": form,
            "situations": household.housing_situations.all(),
        },
    )


@portal_login_required
def my_stay(request: HttpRequest, pk: int) -> HttpResponse:
    """Min side: the stay, the decision in force and who works on the lasting home."""
    user = resident_of(request)
    stay = cast(Stay, get_or_404(selectors.my_stays(user), pk))
    today = timezone.localdate()
    segments = list(stay.segments.select_related("place__provider"))
    for segment in segments:
        segment.night_count = segment.nights(today)  # type: ignore[attr-defined]
    return render(
        request,
        "temporary/my_stay.html",
        {"stay": stay, "segments": segments, "changes": stay.changes.all()},
    )
