"""The start-loan team's pages: the overview (work list with validity, team meetings, the
portfolio and the leaders' figures), one application (facts, credit check, explanation,
assessment with the ladder, recommendation), the team meeting, an approval's way to the keys and
a loan with its payments. Views are thin: every fetch goes through a selector (404 otherwise),
every change through an action."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from husly.core.pages import user_of
from husly.loans import actions, selectors
from husly.loans.models import ArrearsFollowUp, LoanApproval, Recommendation
from husly.organisation.models import Unit, User
from husly.people.models import Person, Relation
from husly.people.selectors import log_reads


def _applicants(applications: Any) -> list[Person]:
    return [
        m.person
        for a in applications
        for m in a.case.household.members.all()
        if m.relation == Relation.APPLICANT
    ]


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ValidationError(_("Write the date as YYYY-MM-DD.")) from exc


def _int(value: str) -> int:
    try:
        return int(value.replace(" ", ""))
    except ValueError as exc:
        raise ValidationError(_("Write a whole number of kroner.")) from exc


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    units = Unit.objects.filter(pk__in=selectors.loan_unit_ids(user)).select_related("municipality")
    today = timezone.localdate()
    applications = list(
        selectors.applications_for_user(user)
        .select_related("case", "case__household")
        .prefetch_related("case__household__members__person")
        .order_by("-created_at")[:100]
    )
    municipality = units[0].municipality if units else None
    incomplete = list(selectors.cases_without_loan_details(user)[:50])
    approvals = (
        list(selectors.approvals_expiring(municipality, today).select_related("decision__case"))
        if municipality
        else []
    )
    log_reads(
        user=user,
        persons=_applicants(applications),
        what="loan_overview",
        path=request.get_full_path(),
    )
    return render(
        request,
        "loans/overview.html",
        {
            "applications": applications,
            "incomplete": incomplete,
            "approvals": approvals,
            "today": today,
            "overdue_documents": list(selectors.documents_overdue(user, today)[:50]),
            "meetings": selectors.meetings_for_user(user)[:12],
            "loans": selectors.loans_for_user(user).select_related("household")[:100],
            "figures": selectors.loan_figures(municipality, today.year, today)
            if municipality
            else None,
        },
    )


CRITERIA_FACTS = (
    "has_long_term_financing_problems",
    "bank_cannot_finance",
    "has_used_opportunity_to_save",
    "dwelling_is_suitable",
    "dwelling_price_is_reasonable",
    "health_needs_stable_home_soon",
    "refinancing_lets_household_stay",
    "housing_prevents_work_or_business",
    "frees_municipal_dwelling",
)


def _term_conditions() -> dict[str, str]:
    """The § 8-5 conditions for a term over 30 years (forskrift om lån fra Husbanken)."""
    return {
        "permanently_low_income": _("a) Documented permanently low income"),
        "low_predictable_income": _("Low but predictable income (waives a for children or risk)"),
        "dwelling_suits_long_term": _("b) The dwelling meets the household's needs long-term"),
        "renting_unsuitable_or_dearer": _("c) Renting is unsuitable or dearer long-term"),
        "shorter_term_not_responsible": _("d) A shorter term is not financially responsible"),
        "at_risk_of_losing_home": _("At risk of losing the home (waives b and c)"),
    }


def _fact_rows(application: Any) -> list[dict[str, Any]]:
    from django.utils.translation import get_language

    from husly.rules.guidelines.facts import FACT_LABELS

    nn = (get_language() or "nb").startswith("nn")
    rows = [
        {
            "name": name,
            "label": FACT_LABELS[f"start_loan.{name}"].nn
            if nn
            else FACT_LABELS[f"start_loan.{name}"].nb,
            "value": getattr(application, name),
            "tri": True,
        }
        for name in CRITERIA_FACTS
    ]
    rows += [
        {"name": name, "label": label, "value": getattr(application, name), "tri": False}
        for name, label in _term_conditions().items()
    ]
    return rows


def _facts_from_post(post: Any) -> dict[str, Any]:
    values = {"yes": True, "no": False, "": None}
    data: dict[str, Any] = {}
    for name in CRITERIA_FACTS:
        if post.get(name, "") not in values:
            raise ValidationError(_("Choose yes, no or unknown."))
        data[name] = values[post.get(name, "")]
    for name in _term_conditions():
        data[name] = post.get(name) == "yes"
    return data


def _application_page(request: HttpRequest, user: User, pk: object) -> HttpResponse:
    application = selectors.application_get_for_user(user, pk)
    members = list(application.case.household.members.select_related("person"))
    log_reads(
        user=user,
        persons=[m.person for m in members],
        what="loan_application",
        path=request.get_full_path(),
    )
    latest = application.assessments.select_related("assessment").first()
    return render(
        request,
        "loans/application.html",
        {
            "application": application,
            "members": members,
            "latest": latest,
            "criteria": latest.assessment.record["criteria"] if latest else [],
            "recommendations": application.recommendations.select_related("decision", "meeting"),
            "approvals": application.approvals.select_related("decision"),
            "advice": application.advice_against.all(),
            "documents": application.document_requests.all(),
            "today": timezone.localdate(),
            "steps": list(latest.ladder if latest else []),
            "fact_rows": _fact_rows(application),
        },
    )


@require_GET
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _application_page(request, user_of(request), pk)


def _run(request: HttpRequest, call: Callable[[], Any], done: str) -> None:
    try:
        call()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)


@require_POST
def application_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    user = user_of(request)
    application = selectors.application_get_for_user(user, pk)
    p = request.POST
    steps: dict[str, tuple[Callable[[], Any], str]] = {
        "kredittsjekk": (
            lambda: actions.loan_credit_check_record(
                actor=user,
                application=application,
                result=p.get("result", ""),
                note=p.get("note", ""),
            ),
            _("The credit check was recorded."),
        ),
        "forklaring": (
            lambda: actions.loan_explanation_record(
                actor=user, application=application, how=p.get("how", "")
            ),
            _("The oral explanation was recorded."),
        ),
        "dokument": (
            lambda: actions.loan_document_request(
                actor=user,
                application=application,
                title=p.get("title", ""),
                due_on=_date(p.get("due_on", "")),
            ),
            _("The document was requested."),
        ),
        "fakta": (
            lambda: actions.loan_facts_record(
                actor=user, application=application, data=_facts_from_post(p)
            ),
            _("The facts were recorded."),
        ),
        "vurder": (
            lambda: actions.loan_assess(actor=user, application=application),
            _("The application was assessed."),
        ),
        "innstilling": (
            lambda: actions.recommendation_make(
                actor=user,
                application=application,
                outcome=p.get("outcome", ""),
                step=p.get("step", ""),
                text=p.get("text", ""),
            ),
            _("The recommendation was sent to the decision team."),
        ),
    }
    if step not in steps:
        raise Http404
    call, done = steps[step]
    _run(request, call, done)
    return redirect("loans:application", pk=application.pk)


@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    meeting = selectors.meeting_get_for_user(user, pk)
    items = list(
        meeting.items.select_related("application__case__household", "loan_assessment", "decision")
    )
    persons = _applicants([i.application for i in items])
    log_reads(user=user, persons=persons, what="loan_meeting", path=request.get_full_path())
    return render(request, "loans/meeting.html", {"meeting": meeting, "items": items})


@require_POST
def meeting_create(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    units = Unit.objects.filter(pk__in=selectors.loan_unit_ids(user)).select_related("municipality")
    if not units:
        raise Http404
    try:
        meeting = actions.team_meeting_create(
            actor=user,
            municipality=units[0].municipality,
            held_on=_date(request.POST.get("held_on", "")),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("loans:overview")
    return redirect("loans:meeting", pk=meeting.pk)


@require_POST
def recommendation_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    recommendation = Recommendation.objects.filter(
        application__in=selectors.applications_for_user(user), pk=pk
    ).first()
    if recommendation is None:
        raise Http404
    p = request.POST
    _run(
        request,
        lambda: actions.recommendation_decide(
            actor=user,
            recommendation=recommendation,
            outcome=p.get("outcome", ""),
            step=p.get("step", ""),
            minutes=p.get("minutes", ""),
            reasoning=p.get("reasoning", ""),
        ),
        _("The team's decision was recorded."),
    )
    if recommendation.meeting_id:
        return redirect("loans:meeting", pk=recommendation.meeting_id)
    return redirect("loans:application", pk=recommendation.application_id)


@require_POST
def approval_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    user = user_of(request)
    approval = LoanApproval.objects.filter(
        application__in=selectors.applications_for_user(user), pk=pk
    ).first()
    if approval is None:
        raise Http404
    p = request.POST
    steps: dict[str, tuple[Callable[[], Any], str]] = {
        "forleng": (
            lambda: actions.loan_approval_extend(
                actor=user,
                approval=approval,
                until=_date(p.get("until", "")),
                reason=p.get("reason", ""),
            ),
            _("The validity was extended."),
        ),
        "kjop": (
            lambda: actions.loan_purchase_record(
                actor=user,
                approval=approval,
                address=p.get("address", ""),
                price=_int(p.get("price", "")),
                accepted_on=_date(p.get("accepted_on", "")),
            ),
            _("The purchase was recorded."),
        ),
        "dokumenter": (
            lambda: actions.loan_documents_record(
                actor=user,
                approval=approval,
                signed_on=_date(p.get("signed_on", "")),
                registered_on=_date(p.get("registered_on", "")),
                priority=_int(p.get("priority", "")),
            ),
            _("The loan documents and the mortgage were recorded."),
        ),
        "utbetal": (
            lambda: actions.loan_disburse(actor=user, approval=approval, on=_date(p.get("on", ""))),
            _("The loan was paid out and registered in the portfolio."),
        ),
        "oppfolging": (
            lambda: actions.loan_approval_follow_up(
                actor=user, approval=approval, note=p.get("note", "")
            ),
            _("The follow-up was recorded."),
        ),
    }
    if step not in steps:
        raise Http404
    call, done = steps[step]
    _run(request, call, done)
    return redirect("loans:application", pk=approval.application_id)


@require_GET
def loan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    loan = selectors.loan_get_for_user(user, pk)
    members = list(loan.household.members.select_related("person"))
    log_reads(
        user=user,
        persons=[m.person for m in members],
        what="loan_detail",
        path=request.get_full_path(),
    )
    return render(
        request,
        "loans/loan.html",
        {
            "loan": loan,
            "members": members,
            "payments": loan.payments.all(),
            "follow_ups": loan.follow_ups.all(),
        },
    )


@require_POST
def loan_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    user = user_of(request)
    loan = selectors.loan_get_for_user(user, pk)
    p = request.POST
    if step == "betaling":
        paid = _int(p.get("amount_paid", "0") or "0")
        _run(
            request,
            lambda: actions.loan_payment_record(
                actor=user,
                loan=loan,
                due_on=_date(p.get("due_on", "")),
                amount_due=_int(p.get("amount_due", "")),
                amount_paid=paid,
                paid_on=_date(p["paid_on"]) if p.get("paid_on") else None,
            ),
            _("The payment was recorded."),
        )
    elif step == "oppfolging":
        follow_up = ArrearsFollowUp.objects.filter(loan=loan, pk=p.get("follow_up")).first()
        if follow_up is None:
            raise Http404
        _run(
            request,
            lambda: actions.arrears_follow_up_update(
                actor=user,
                follow_up=follow_up,
                measure=p.get("measure", ""),
                note=p.get("note", ""),
                interest_only_until=_date(p["interest_only_until"])
                if p.get("interest_only_until")
                else None,
                close=bool(p.get("close")),
            ),
            _("The follow-up was recorded."),
        )
    else:
        raise Http404
    return redirect("loans:loan", pk=loan.pk)
