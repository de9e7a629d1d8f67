"""The start-loan unit's other pages: the yearly funding with the grant budgets, the team's list
of candidates proposed by other units, grants (establishment and adaptation) as their own
cases, the exceptions 4 a–d on an application, and the end of a loan (loss, forced sale).
Thin views: fetch through a selector (404 without access), change through one action."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from husly.cases.models import Application
from husly.core.pages import user_of
from husly.loans import actions, selectors
from husly.loans.models import GrantKind, LoanExceptionUse
from husly.organisation.models import Municipality, Unit, User
from husly.people.models import Relation
from husly.people.selectors import household_get_for_user, log_household_reads, log_reads
from husly.rules import guidelines as g

FUNDING_FIELDS = (
    "nav_recommended",
    "council_decided",
    "applied_from_husbanken",
    "granted_by_husbanken",
)


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ValidationError(_("Write the date as YYYY-MM-DD.")) from exc


def _int(value: str) -> int:
    try:
        return int(value.replace(" ", "").replace("\u00a0", ""))
    except ValueError as exc:
        raise ValidationError(_("Write a whole number of kroner.")) from exc


def _run(request: HttpRequest, call: Callable[[], Any], done: str) -> bool:
    try:
        call()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    messages.success(request, done)
    return True


def _loan_municipality(user: User) -> Municipality:
    unit = Unit.objects.filter(pk__in=selectors.loan_unit_ids(user)).select_related("municipality")
    if not unit:
        raise Http404
    return unit[0].municipality


# --- funding -------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def funding(request: HttpRequest) -> HttpResponse:
    """The year's start-loan funding and the grant budgets, for the start-loan unit and its
    leader (the unit head)."""
    user = user_of(request)
    municipality = _loan_municipality(user)
    try:
        year = int(request.GET.get("ar") or timezone.localdate().year)
    except ValueError as exc:
        raise Http404 from exc
    if request.method == "POST":
        p = request.POST

        def save() -> None:
            data = {name: _int(p.get(name) or "0") for name in FUNDING_FIELDS}
            actions.funding_record(actor=user, municipality=municipality, year=year, data=data)
            for kind in GrantKind:
                value = p.get(f"budget_{kind.value}", "").strip()
                if value:
                    actions.grant_budget_set(
                        actor=user,
                        municipality=municipality,
                        year=year,
                        grant_kind=kind.value,
                        amount=_int(value),
                    )

        _run(request, save, _("The funding was recorded."))
        return redirect(f"{request.path}?ar={year}")
    view = selectors.funding_for_year(municipality, year)
    return render(
        request,
        "loans/funding.html",
        {
            "year": year,
            "view": view,
            "values": {
                name: getattr(view.funding, name) if view.funding else 0 for name in FUNDING_FIELDS
            },
            "budgets": selectors.grant_budget_rows(municipality, year),
        },
    )


# --- candidates ----------------------------------------------------------------------------------


@require_GET
def candidates(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    _loan_municipality(user)
    rows = list(
        selectors.candidates_for_user(user).select_related(
            "household", "proposed_by_unit", "application__case"
        )
    )
    log_household_reads(
        user=user,
        household_ids=[c.household_id for c in rows],
        what="loan_candidates",
        path=request.get_full_path(),
    )
    return render(
        request,
        "loans/candidates.html",
        {
            "open": [c for c in rows if c.status in selectors.OPEN_CANDIDATES],
            "closed": [c for c in rows if c.status not in selectors.OPEN_CANDIDATES],
        },
    )


@require_POST
def candidate_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    user = user_of(request)
    candidate = selectors.candidate_get_for_user(user, pk)
    note = request.POST.get("note", "")
    if step == "inviter":
        _run(
            request,
            lambda: actions.candidate_invite(actor=user, candidate=candidate, note=note),
            _("The household was invited to apply."),
        )
    elif step == "ikke-na":
        _run(
            request,
            lambda: actions.candidate_set_aside(actor=user, candidate=candidate, note=note),
            _("The household was taken off the list for now."),
        )
    else:
        raise Http404
    return redirect("loans:candidates")


@require_POST
def candidate_propose(request: HttpRequest) -> HttpResponse:
    """Another unit proposes a household it may see (e.g. from the ownership screening)."""
    user = user_of(request)
    household = household_get_for_user(user, request.POST.get("household"))
    _run(
        request,
        lambda: actions.candidate_propose(
            actor=user, household=household, note=request.POST.get("note", "")
        ),
        _("The household was proposed to the start-loan team."),
    )
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("home")


# --- exceptions 4 a–d on an application ----------------------------------------------------------


def exception_choices(application: Any) -> list[dict[str, str]]:
    """The exceptions the start-loan criteria allow, per criterion, for the form."""
    from django.utils.translation import get_language

    nn = (get_language() or "nb").startswith("nn")
    sets = [
        s
        for s in g.sets_for(application.case.municipality.number, timezone.localdate())
        if s.application_kind == "start_loan"
    ]
    if not sets:
        return []
    criteria = {c.id: c for c in sets[0].all_criteria()}
    return [
        {
            "value": f"{criterion_id}|{e.id}",
            "label": f"{criteria[criterion_id].source.point}: "
            f"{(criteria[criterion_id].title.nn if nn else criteria[criterion_id].title.nb)} – "
            f"{e.title.nn if nn else e.title.nb}",
        }
        for e in sets[0].exceptions
        for criterion_id in e.applies_to
        if criterion_id in criteria
    ]


@require_POST
def exception_record(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    application = selectors.application_get_for_user(user, pk)
    criterion_id, _sep, exception_id = request.POST.get("exception", "").partition("|")
    _run(
        request,
        lambda: actions.loan_exception_record(
            actor=user,
            application=application,
            criterion_id=criterion_id,
            exception_id=exception_id,
            reason=request.POST.get("reason", ""),
        ),
        _("The exception was recorded. Assess the application again to use it."),
    )
    return redirect("loans:application", pk=application.pk)


@require_POST
def exception_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    use = LoanExceptionUse.objects.filter(
        application__in=selectors.applications_for_user(user), pk=pk
    ).first()
    if use is None:
        raise Http404
    _run(
        request,
        lambda: actions.loan_exception_withdraw(actor=user, use=use),
        _("The exception is no longer used. Assess the application again."),
    )
    return redirect("loans:application", pk=use.application_id)


# --- the end of a loan ---------------------------------------------------------------------------


@require_POST
def loan_end(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    user = user_of(request)
    loan = selectors.loan_get_for_user(user, pk)
    p = request.POST
    if step == "tap":
        _run(
            request,
            lambda: actions.loan_loss_record(
                actor=user,
                loan=loan,
                amount=_int(p.get("amount", "")),
                on=_date(p.get("on", "")),
                note=p.get("note", ""),
            ),
            _("The loss was recorded."),
        )
    elif step == "tvangssalg":
        _run(
            request,
            lambda: actions.loan_forced_sale_record(
                actor=user,
                loan=loan,
                sold_on=_date(p.get("sold_on", "")),
                price=_int(p.get("price", "")),
                loss=_int(p.get("loss", "") or "0"),
                note=p.get("note", ""),
            ),
            _("The forced sale was recorded."),
        )
    else:
        raise Http404
    return redirect("loans:loan", pk=loan.pk)


# --- grants --------------------------------------------------------------------------------------


@require_GET
def grants(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    units = Unit.objects.filter(pk__in=selectors.grant_unit_ids(user))
    if not units:
        raise Http404
    rows = list(selectors.grants_for_user(user).select_related("case__household", "decision")[:200])
    log_household_reads(
        user=user,
        household_ids=[r.case.household_id for r in rows],
        what="grant_list",
        path=request.get_full_path(),
    )
    return render(
        request,
        "loans/grants.html",
        {
            "grants": rows,
            "budgets": selectors.grant_budget_rows(
                units[0].municipality_id, timezone.localdate().year
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def grant_create(request: HttpRequest, household_pk: int) -> HttpResponse:
    """Register a grant application for a household at the desk."""
    user = user_of(request)
    if not selectors.grant_unit_ids(user):
        raise Http404
    household = household_get_for_user(user, household_pk)
    fields = ("grant_kind", "purpose", "cost", "amount", "housing_kind")
    values = {k: request.POST.get(k, "") for k in fields}
    if request.method == "POST":
        created: list[Any] = []

        def create() -> None:
            created.append(
                actions.grant_application_create(
                    actor=user,
                    household=household,
                    grant_kind=values["grant_kind"],
                    channel="meeting",
                    data={
                        "purpose": values["purpose"].strip(),
                        "cost": _int(values["cost"]),
                        "amount_sought": _int(values["amount"]),
                    },
                    case_data={"housing_kind": values["housing_kind"]},
                )
            )

        if _run(request, create, _("The grant application was registered.")):
            return redirect("loans:grant", pk=created[0].pk)
    log_household_reads(
        user=user, household_ids=[household.pk], what="grant_create", path=request.get_full_path()
    )
    return render(
        request,
        "loans/grant_new.html",
        {
            "household": household,
            "kinds": GrantKind.choices,
            "housing_kinds": Application._meta.get_field("housing_kind").choices,
            "values": values,
        },
    )


GRANT_FACT_LABELS = {
    "cannot_finance_otherwise": "grant.cannot_finance_otherwise",
    "longer_term_fully_used": "grant.longer_term_fully_used",
    "dwelling_is_suitable": "grant.dwelling_is_suitable",
    "has_reduced_function_or_is_older": "grant.has_reduced_function_or_is_older",
    "adaptation_is_appropriate": "grant.adaptation_is_appropriate",
}


@require_GET
def grant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from django.utils.translation import get_language

    from husly.rules.guidelines.facts import FACT_LABELS

    user = user_of(request)
    grant = selectors.grant_get_for_user(user, pk)
    members = list(grant.case.household.members.select_related("person"))
    log_reads(
        user=user, persons=[m.person for m in members], what="grant", path=request.get_full_path()
    )
    nn = (get_language() or "nb").startswith("nn")
    kind = actions.GRANT_APPLICATION_KIND[GrantKind(grant.grant_kind)]
    set_ids = {s.id for s in g.default_registry().sets if s.application_kind == kind}
    assessment = grant.case.assessments.filter(guideline_set_id__in=set_ids).first()
    return render(
        request,
        "loans/grant.html",
        {
            "grant": grant,
            "applicant": next(
                (m.person for m in members if m.relation == Relation.APPLICANT), None
            ),
            "fact_rows": [
                {
                    "name": name,
                    "label": FACT_LABELS[path].nn if nn else FACT_LABELS[path].nb,
                    "value": getattr(grant, name),
                }
                for name, path in GRANT_FACT_LABELS.items()
            ],
            "assessment": assessment,
            "criteria": assessment.record["criteria"] if assessment else [],
            "cap": actions.grant_cap(
                grant.case.municipality.number, grant.grant_kind, timezone.localdate()
            ),
            "left": selectors.grant_budget_left(
                grant.case.municipality_id, timezone.localdate().year, grant.grant_kind
            ),
        },
    )


@require_POST
def grant_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    user = user_of(request)
    grant = selectors.grant_get_for_user(user, pk)
    p = request.POST
    values = {"yes": True, "no": False, "": None}

    def facts() -> None:
        if any(p.get(name, "") not in values for name in actions.GRANT_FACTS):
            raise ValidationError(_("Choose yes, no or unknown."))
        actions.grant_facts_record(
            actor=user,
            grant=grant,
            data={name: values[p.get(name, "")] for name in actions.GRANT_FACTS},
        )

    steps: dict[str, tuple[Callable[[], Any], str]] = {
        "fakta": (facts, _("The facts were recorded.")),
        "vurder": (
            lambda: actions.grant_assess(actor=user, grant=grant),
            _("The grant was assessed against the municipality's rules."),
        ),
        "vedtak": (
            lambda: actions.grant_decide(
                actor=user,
                grant=grant,
                outcome=p.get("outcome", ""),
                amount=_int(p.get("amount") or "0"),
                reasoning=p.get("reasoning", ""),
                conditions=p.get("conditions", ""),
            ),
            _("The decision was drafted and sent to the unit head for approval."),
        ),
        "utbetal": (
            lambda: actions.grant_pay(actor=user, grant=grant, on=_date(p.get("on", ""))),
            _("The grant was paid out."),
        ),
    }
    if step not in steps:
        raise Http404
    call, done = steps[step]
    _run(request, call, done)
    return redirect("loans:grant", pk=grant.pk)
