"""Pages towards owning. Thin views: parse, fetch through the selectors (404 without access),
call one action."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from husly.core.pages import add_action_errors, user_of
from husly.core.stored_letters import letter_response
from husly.organisation.models import User
from husly.owning import actions, selectors
from husly.owning.forms import (
    AgreementForm,
    AnswerForm,
    AssessmentForm,
    DecideForm,
    PurchaseForm,
    SaleOfferForm,
    SaleRecordForm,
)
from husly.owning.models import OptionStatus, SaleStatus
from husly.people.selectors import log_household_reads
from husly.portal.auth import resident_of
from husly.rules.ownership import REASONS

REMINDER_MONTHS = 6
"""Months ahead the reminder list looks by default."""


def _log(request: HttpRequest, user: User, household_ids: list[int], what: str) -> None:
    log_household_reads(
        user=user, household_ids=household_ids, what=what, path=request.get_full_path()
    )


def _reasons(codes: list[str], language: str) -> list[str]:
    index = 1 if language == "nn" else 0
    return [REASONS[code][index] for code in codes if code in REASONS]


def overview(request: HttpRequest) -> HttpResponse:
    """The screening list: every tenant with their latest screening or none."""
    user = user_of(request)
    if not selectors.owning_menu(user):
        raise Http404
    open_ended = request.GET.get("open_ended") == "1"
    rows = selectors.screening_list(user, open_ended_only=open_ended)
    _log(request, user, [r["lease"].household_id for r in rows], "owning_screening_list")
    return render(
        request,
        "owning/overview.html",
        {
            "rows": rows,
            "open_ended": open_ended,
            "screened": sum(1 for r in rows if r["assessment"]),
            "may_screen": bool(selectors.municipality_ids(user, selectors.SCREEN_ROLES)),
        },
    )


def figures(request: HttpRequest) -> HttpResponse:
    """Households moved from renting to owning, and how (figures only)."""
    user = user_of(request)
    if not selectors.owning_menu(user):
        raise Http404
    return render(request, "owning/figures.html", {"years": selectors.owning_figures(user)})


@require_http_methods(["GET", "POST"])
def assess(request: HttpRequest, lease_pk: int) -> HttpResponse:
    user = user_of(request)
    lease = selectors.tenant_lease_get_for_user(user, lease_pk)
    if not selectors.can(user, selectors.SCREEN_ROLES, lease.municipality_id):
        raise Http404
    renewal = (
        lease.renewals.filter(pk=request.GET["renewal"], decision__isnull=True).first()
        if request.GET.get("renewal", "").isdigit()
        else None
    )
    form = AssessmentForm(request.POST or None)
    _log(request, user, [lease.household_id], "owning_assessment")
    if request.method == "POST" and form.is_valid():
        try:
            assessment = actions.ownership_assess(
                actor=user,
                household=lease.household,
                lease=lease,
                renewal=renewal,
                data=form.cleaned_data,
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            return redirect("owning:assessment_detail", pk=assessment.pk)
    return render(request, "owning/assess.html", {"form": form, "lease": lease, "renewal": renewal})


def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    assessment = selectors.assessment_get_for_user(user, pk)
    _log(request, user, [assessment.household_id], "owning_assessment")
    lease = assessment.lease
    return render(
        request,
        "owning/assessment_detail.html",
        {
            "assessment": assessment,
            "reasons": _reasons(assessment.reasons, request.LANGUAGE_CODE),
            "lease": lease,
            "lease_active": lease is not None and lease.status == "active",
            "purchase_form": PurchaseForm(initial={"bought_on": timezone.localdate()}),
            "may_screen": selectors.can(user, selectors.SCREEN_ROLES, assessment.municipality_id),
        },
    )


@require_POST
def purchase_record(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    assessment = selectors.assessment_get_for_user(user, pk)
    form = PurchaseForm(request.POST)
    if form.is_valid():
        try:
            actions.start_loan_purchase_record(
                actor=user, assessment=assessment, **form.cleaned_data
            )
        except ValidationError as error:
            add_action_errors(form, error)
    _log(request, user, [assessment.household_id], "owning_assessment")
    if form.is_valid() and not form.errors:
        return redirect("owning:assessment_detail", pk=pk)
    return render(
        request,
        "owning/assessment_detail.html",
        {
            "assessment": assessment,
            "reasons": _reasons(assessment.reasons, request.LANGUAGE_CODE),
            "lease": assessment.lease,
            "purchase_form": form,
            "may_screen": True,
        },
        status=400,
    )


@require_http_methods(["GET", "POST"])
def sale_offer(request: HttpRequest, lease_pk: int) -> HttpResponse:
    user = user_of(request)
    lease = selectors.tenant_lease_get_for_user(user, lease_pk)
    assessment = lease.household.ownership_assessments.first()
    today = timezone.localdate()
    form = SaleOfferForm(
        request.POST or None,
        initial={
            "offered_on": today,
            "valued_on": today,
            "answer_by": today + actions.ANSWER_TIME,
        },
    )
    _log(request, user, [lease.household_id], "owning_sale")
    if request.method == "POST" and form.is_valid():
        try:
            sale = actions.municipal_sale_offer(
                actor=user, lease=lease, data=form.cleaned_data, assessment=assessment
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            return redirect("owning:sale_detail", pk=sale.pk)
    return render(
        request,
        "owning/sale_offer.html",
        {
            "form": form,
            "lease": lease,
            "assessment": assessment,
            "discount": actions.sale_discount(lease.municipality.number, today),
        },
    )


def _sale_page(request: HttpRequest, user: User, sale: Any, **forms: Any) -> HttpResponse:
    _log(request, user, [sale.household_id], "owning_sale")
    today = timezone.localdate()
    return render(
        request,
        "owning/sale_detail.html",
        {
            "sale": sale,
            "open": sale.status == SaleStatus.OFFERED,
            "record_form": forms.get("record_form")
            or SaleRecordForm(
                initial={
                    "sold_on": today,
                    "pre_emption": sale.pre_emption,
                    "start_loan": sale.start_loan,
                    "grant": sale.grant,
                    "private_bank_loan": sale.private_bank_loan,
                }
            ),
            "answer_form": forms.get("answer_form") or AnswerForm(initial={"answered_on": today}),
        },
        status=400 if forms else 200,
    )


def sale_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    return _sale_page(request, user, selectors.sale_get_for_user(user, pk))


@require_POST
def sale_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    user = user_of(request)
    sale = selectors.sale_get_for_user(user, pk)
    if step == "solgt":
        form: Any = SaleRecordForm(request.POST)
        call = lambda: actions.municipal_sale_record(  # noqa: E731
            actor=user, sale=sale, **form.cleaned_data
        )
        key = "record_form"
    elif step == "avslatt":
        form = AnswerForm(request.POST)
        call = lambda: actions.municipal_sale_decline(  # noqa: E731
            actor=user, sale=sale, **form.cleaned_data
        )
        key = "answer_form"
    else:
        raise Http404
    if form.is_valid():
        try:
            call()
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            return redirect("owning:sale_detail", pk=pk)
    sale.refresh_from_db()
    return _sale_page(request, user, sale, **{key: form})


def agreement_list(request: HttpRequest) -> HttpResponse:
    """The rent-to-own agreements, and the reminders: open agreements whose option window
    opens within N months."""
    user = user_of(request)
    if not selectors.municipality_ids(user, selectors.CONTRACT_ROLES):
        raise Http404
    try:
        months = max(1, min(int(request.GET.get("months", REMINDER_MONTHS)), 60))
    except ValueError:
        months = REMINDER_MONTHS
    agreements = list(selectors.agreements_for_user(user))
    due = selectors.option_windows_due(user, today=timezone.localdate(), months=months)
    _log(request, user, [a.household_id for a in agreements], "owning_agreement")
    return render(
        request,
        "owning/agreement_list.html",
        {"agreements": agreements, "due": due, "months": months},
    )


@require_http_methods(["GET", "POST"])
def agreement_create(request: HttpRequest, lease_pk: int) -> HttpResponse:
    user = user_of(request)
    lease = selectors.tenant_lease_get_for_user(user, lease_pk)
    form = AgreementForm(request.POST or None)
    _log(request, user, [lease.household_id], "owning_agreement")
    if request.method == "POST" and form.is_valid():
        try:
            agreement = actions.rent_to_own_create(
                actor=user,
                lease=lease,
                data=form.cleaned_data,
                assessment=lease.household.ownership_assessments.first(),
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            return redirect("owning:agreement_detail", pk=agreement.pk)
    return render(request, "owning/agreement_form.html", {"form": form, "lease": lease})


def _agreement_page(
    request: HttpRequest, user: User, agreement: Any, form: Any = None
) -> HttpResponse:
    _log(request, user, [agreement.household_id], "owning_agreement")
    return render(
        request,
        "owning/agreement_detail.html",
        {
            "agreement": agreement,
            "open": agreement.status == OptionStatus.OPEN,
            "form": form or DecideForm(initial={"decided_on": timezone.localdate()}),
        },
        status=400 if form else 200,
    )


def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    return _agreement_page(request, user, selectors.agreement_get_for_user(user, pk))


@require_POST
def agreement_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    user = user_of(request)
    agreement = selectors.agreement_get_for_user(user, pk)
    if step not in ("kjop", "avslatt"):
        raise Http404
    form = DecideForm(request.POST)
    if form.is_valid():
        try:
            actions.rent_to_own_decide(
                actor=user, agreement=agreement, exercised=step == "kjop", **form.cleaned_data
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            return redirect("owning:agreement_detail", pk=pk)
    agreement.refresh_from_db()
    return _agreement_page(request, user, agreement, form)


def sale_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The offer letter as sent to the tenant."""
    user = user_of(request)
    sale = selectors.sale_get_for_user(user, pk)
    _log(request, user, [sale.household_id], "owning_sale_letter")
    return letter_response(sale, name=f"salgstilbud-{sale.pk}.pdf")


@login_required(login_url="portal:login")
def my_sale_letter(request: HttpRequest, pk: int) -> HttpResponse:
    user = resident_of(request)
    sale = selectors.my_sale(user, pk)
    return letter_response(sale, name=f"salgstilbud-{sale.pk}.pdf")
