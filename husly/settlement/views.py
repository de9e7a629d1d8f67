"""Settlement pages for the refugee service, the progress page for leaders. Thin views: parse,
fetch through the selectors (404 without access), call one action."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from husly.core.pages import add_action_errors, user_of
from husly.core.stored_letters import letter_response
from husly.housing.models import Building
from husly.organisation.access import first_municipality, get_or_404
from husly.organisation.models import Municipality, User
from husly.people.selectors import log_household_reads
from husly.portal.auth import resident_of
from husly.settlement import actions, selectors
from husly.settlement.forms import (
    AcceptForm,
    ArrivalForm,
    ChooseForm,
    ChoosePrivateForm,
    DecisionForm,
    DeclineForm,
    ImdiForm,
    PrivateForm,
    RequestForm,
    SelfSettlementForm,
    SurroundingsForm,
)
from husly.settlement.models import (
    BuildingSurroundings,
    CaseStatus,
    RequestStatus,
    SelfSettlement,
    SettlementCase,
)
from husly.tenancy.actions import default_terms
from husly.tenancy.forms import LeaseForm

FLAG_LABELS = {
    "too_few_rooms": gettext_lazy("Too few rooms for the household"),
    "too_many_rooms": gettext_lazy("More rooms than the household needs"),
    "rent_above_frame": gettext_lazy("Rent above the cost frame"),
    "refugee_share_above_limit": gettext_lazy(
        "Clustering: refugee share of the building above the limit"
    ),
    "heavy_needs_limit": gettext_lazy(
        "The building has reached the limit of tenants with heavy needs"
    ),
}


def _settlement_municipality(user: User) -> Municipality:
    return first_municipality(selectors.settlement_municipality_ids(user))


def overview(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    municipality = _settlement_municipality(user)
    today = timezone.localdate()
    requests = selectors.requests_for_user(user)
    cases = list(selectors.cases_for_user(user).exclude(status=CaseStatus.ARRIVED))
    arrived = list(
        selectors.cases_for_user(user)
        .filter(status=CaseStatus.ARRIVED)
        .order_by("-arrived_on")[:20]
    )
    log_household_reads(
        user=user,
        household_ids=[c.household_id for c in cases + arrived],
        what="settlement_overview",
        path=request.get_full_path(),
    )
    return render(
        request,
        "settlement/overview.html",
        {
            "municipality": municipality,
            "progress": selectors.progress(municipality, today.year),
            "received": list(requests.filter(status=RequestStatus.RECEIVED)),
            "declined": list(requests.filter(status=RequestStatus.DECLINED)[:20]),
            "cases": cases,
            "arrived": arrived,
        },
    )


def progress(request: HttpRequest) -> HttpResponse:
    """For leaders and the refugee service: figures only, no persons."""
    user = user_of(request)
    municipality = first_municipality(selectors.progress_municipality_ids(user))
    today = timezone.localdate()
    return render(
        request,
        "settlement/progress.html",
        {
            "municipality": municipality,
            "progress": selectors.progress(municipality, today.year),
            "years": selectors.years_of(municipality),
            "can_work": bool(selectors.settlement_municipality_ids(user)),
        },
    )


@require_http_methods(["GET", "POST"])
def decision_edit(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    municipality = _settlement_municipality(user)
    year = timezone.localdate().year
    current = (
        selectors.decisions_for_user(user).filter(municipality=municipality, year=year).first()
    )
    form = DecisionForm(request.POST or None, instance=current, initial={"year": year})
    if request.method == "POST" and form.is_valid():
        try:
            actions.settlement_decision_record(
                actor=user, municipality=municipality, data=form.cleaned_data
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The council's decision was recorded."))
            return redirect("settlement:overview")
    return render(
        request, "settlement/decision_form.html", {"form": form}, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
def request_create(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    municipality = _settlement_municipality(user)
    form = RequestForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            created = actions.settlement_request_register(
                actor=user, municipality=municipality, data=form.cleaned_data
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The request was registered."))
            return redirect("settlement:request_detail", pk=created.pk)
    return render(
        request, "settlement/request_form.html", {"form": form}, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    settlement_request = selectors.request_get_for_user(user, pk)
    step = request.POST.get("step")
    accept = AcceptForm(
        request.POST if step == "accept" else None,
        initial={
            "family_name": settlement_request.family_name,
            "expected_arrival": timezone.localdate() + dt.timedelta(days=60),
        },
    )
    decline = DeclineForm(request.POST if step == "decline" else None)
    if step == "accept" and accept.is_valid():
        data = accept.cleaned_data
        try:
            case = actions.settlement_request_accept(
                actor=user,
                request=settlement_request,
                applicant={
                    k: data[k]
                    for k in ("given_name", "family_name", "national_id", "date_of_birth")
                },
                expected_arrival=data["expected_arrival"],
            )
        except ValidationError as error:
            add_action_errors(accept, error)
        else:
            messages.success(request, _("The request was accepted and a settlement case opened."))
            return redirect("settlement:case_detail", pk=case.pk)
    if step == "decline" and decline.is_valid():
        try:
            actions.settlement_request_decline(
                actor=user, request=settlement_request, reason=decline.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_action_errors(decline, error)
        else:
            messages.success(request, _("The request was declined."))
            return redirect("settlement:request_detail", pk=settlement_request.pk)
    case = getattr(settlement_request, "case", None)
    if case is not None:
        log_household_reads(
            user=user,
            household_ids=[case.household_id],
            what="settlement_request",
            path=request.get_full_path(),
        )
    return render(
        request,
        "settlement/request_detail.html",
        {"req": settlement_request, "case": case, "accept_form": accept, "decline_form": decline},
        status=400 if accept.errors or decline.errors else 200,
    )


def _case_page(request: HttpRequest, user: User, pk: int, **forms: Any) -> HttpResponse:
    case = selectors.case_get_for_user(user, pk)
    today = timezone.localdate()
    log_household_reads(
        user=user,
        household_ids=[case.household_id],
        what="settlement_case",
        path=request.get_full_path(),
        everyone=True,
    )
    open_case = case.status != CaseStatus.ARRIVED and case.lease_id is None
    proposals = [
        {
            "dwelling": proposal.dwelling,
            "c": proposal.criteria,
            "flags": [FLAG_LABELS[f] for f in proposal.criteria["flags"]],
        }
        for proposal in (selectors.proposals(case, today) if open_case else [])
    ]
    private_proposals = [
        {
            "offered": proposal.offered,
            "c": proposal.criteria,
            "flags": [FLAG_LABELS[f] for f in proposal.criteria["flags"]],
        }
        for proposal in (selectors.private_proposals(case, today) if open_case else [])
    ]
    approval = SelfSettlement.objects.filter(case=case).first()
    chosen = dict(case.choice_criteria or {})
    frame = selectors.case_cost_frame(case, today)
    status = 400 if any(f.errors for f in forms.values()) else 200
    return render(
        request,
        "settlement/case_detail.html",
        {
            "case": case,
            "req": case.request,
            "members": list(case.household.members.select_related("person")),
            "proposals": proposals,
            "private_proposals": private_proposals,
            "open_case": open_case,
            "chosen": chosen,
            "chosen_flags": [FLAG_LABELS[f] for f in chosen.get("flags", [])],
            "approval": approval,
            "frame": frame,
            "minimum_lease": selectors.minimum_lease_months(case.municipality, today),
            "choose_form": forms.get("choose_form") or ChooseForm(),
            "private_form": forms.get("private_form") or PrivateForm(),
            "choose_private_form": forms.get("choose_private_form") or ChoosePrivateForm(),
            "self_form": forms.get("self_form")
            or SelfSettlementForm(instance=approval, initial={"decision": "approved"}),
            "imdi_form": forms.get("imdi_form") or ImdiForm(initial={"answered_on": today}),
            "arrival_form": forms.get("arrival_form")
            or ArrivalForm(initial={"arrived_on": min(case.expected_arrival, today)}),
            "in_register": case.dwelling_id is not None,
        },
        status=status,
    )


def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    return _case_page(request, user, pk)


STEP_FORMS = {
    "velg": ("choose_form", ChooseForm),
    "privat": ("private_form", PrivateForm),
    "utleier": ("choose_private_form", ChoosePrivateForm),
    "selvbosetting": ("self_form", SelfSettlementForm),
    "imdi": ("imdi_form", ImdiForm),
    "ankomst": ("arrival_form", ArrivalForm),
}


def _choose(user: User, case: SettlementCase, step: str, data: dict[str, Any]) -> str:
    """Choose a proposed dwelling: of the municipal register (``velg``) or a landlord's
    (``utleier``); the proposal is looked up again, so a dwelling taken meanwhile is refused."""
    today = timezone.localdate()
    if step == "velg":
        proposal = selectors.proposal_for(case, data["dwelling"], today)
        if proposal is None:
            raise ValidationError(_("The dwelling is no longer vacant."))
        actions.settlement_dwelling_choose(
            actor=user, case=case, dwelling=proposal.dwelling, reason=data["reason"]
        )
        return _("The dwelling was chosen and reserved for the household.")
    offered = selectors.private_proposal_for(case, data["offered"], today)
    if offered is None:
        raise ValidationError(_("The landlord's dwelling is no longer free."))
    actions.settlement_private_dwelling_choose(
        actor=user, case=case, offered=offered.offered, reason=data["reason"]
    )
    return _("The landlord's dwelling was chosen. Make the brokerage agreement.")


@require_POST
def case_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    user = user_of(request)
    case = selectors.case_get_for_user(user, pk)
    if step not in STEP_FORMS:
        raise Http404
    name, form_class = STEP_FORMS[step]
    form = form_class(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if step in {"velg", "utleier"}:
                done = _choose(user, case, step, data)
            elif step == "privat":
                actions.settlement_private_dwelling_record(actor=user, case=case, **data)
                done = _("The private dwelling was recorded.")
            elif step == "selvbosetting":
                approval = actions.self_settlement_assess(actor=user, case=case, data=data)
                done = (
                    _("The dwelling was approved.")
                    if approval.status == "approved"
                    else _("The dwelling was not approved.")
                )
            elif step == "imdi":
                approval = SelfSettlement.objects.filter(case=case).first()
                if approval is None:
                    raise ValidationError(_("Assess the dwelling the household found first."))
                actions.self_settlement_imdi_record(actor=user, approval=approval, **data)
                done = _("IMDi's answer was recorded.")
            else:
                actions.settlement_arrival_record(actor=user, case=case, data=data)
                done = _("The arrival was recorded.")
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("settlement:case_detail", pk=case.pk)
    return _case_page(request, user, pk, **{name: form})


@require_http_methods(["GET", "POST"])
def case_lease(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    case = selectors.case_get_for_user(user, pk)
    if case.dwelling is None:
        raise Http404
    log_household_reads(
        user=user,
        household_ids=[case.household_id],
        what="lease_create",
        path=request.get_full_path(),
    )
    start = max(case.expected_arrival, timezone.localdate())
    form = LeaseForm(request.POST or None, initial=default_terms(case.dwelling, start))
    if request.method == "POST" and form.is_valid():
        try:
            lease = actions.settlement_lease_create(actor=user, case=case, data=form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(
                request, _("The lease was written. The property unit sends it for signing.")
            )
            return redirect("tenancy:lease_detail", pk=lease.pk)
    return render(
        request,
        "tenancy/lease_form.html",
        {
            "form": form,
            "dwelling": case.dwelling,
            "household": case.household,
            "title": _("Write the lease"),
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def surroundings_edit(request: HttpRequest, building_pk: int) -> HttpResponse:
    user = user_of(request)
    building = get_or_404(
        Building.objects.filter(municipality_id__in=selectors.settlement_municipality_ids(user)),
        building_pk,
    )
    current = BuildingSurroundings.objects.filter(building=building).first()
    form = SurroundingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            actions.building_surroundings_save(
                actor=user, building=building, data=form.cleaned_data
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The surroundings were saved."))
            back = request.POST.get("next", "")
            if back.startswith("/bosetting/"):
                return redirect(back)
            return redirect("settlement:overview")
    return render(
        request,
        "settlement/surroundings_form.html",
        {"form": form, "building": building, "next": request.GET.get("next", "")},
        status=400 if form.errors else 200,
    )


# --- letters ----------------------------------------------------------------------------------


def request_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The answer to IMDi as sent (accepted or declined)."""
    user = user_of(request)
    settlement_request = selectors.request_get_for_user(user, pk)
    case = getattr(settlement_request, "case", None)
    if case is not None:
        log_household_reads(
            user=user,
            household_ids=[case.household_id],
            what="settlement_letter",
            path=request.get_full_path(),
        )
    return letter_response(settlement_request, name=f"svar-imdi-{pk}.pdf", field="answer_letter")


def self_settlement_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The approval or refusal of the self-found dwelling as sent to the household."""
    user = user_of(request)
    case = selectors.case_get_for_user(user, pk)
    approval = SelfSettlement.objects.filter(case=case).first()
    if approval is None:
        raise Http404
    log_household_reads(
        user=user,
        household_ids=[case.household_id],
        what="settlement_letter",
        path=request.get_full_path(),
        everyone=True,
    )
    return letter_response(approval, name=f"selvbosetting-{approval.pk}.pdf")


@login_required(login_url="portal:login")
def my_self_settlement_letter(request: HttpRequest, pk: int) -> HttpResponse:
    user = resident_of(request)
    approval = selectors.my_self_settlement(user, pk)
    return letter_response(approval, name=f"selvbosetting-{approval.pk}.pdf")
