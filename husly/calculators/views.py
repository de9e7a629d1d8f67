"""Calculators for bostøtte and startlån, for caseworkers and in Min side.

The calculation and its explanation come from husly.rules (no Django there); these views parse
the form, call the engine and show the trace; an input error the engine finds is shown on its
field in the user's language. From a case, the form is prefilled from the registers and the
application (and the read is logged).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from husly.calculators.forms import AllowanceForm, LoanForm, field_for, initial_from
from husly.cases.models import Case
from husly.cases.selectors import case_read
from husly.core.pages import user_of
from husly.portal.auth import resident_of
from husly.portal.views import portal_login_required
from husly.rules.errors import RulesInputError
from husly.rules.housing_allowance import (
    HousingAllowanceApplication,
    Member,
    explain_housing_allowance,
)
from husly.rules.start_loan import LoanHouseholdMember, StartLoanApplication, explain_start_loan


def _ages(case: Case, today: dt.date) -> list[int]:
    members = case.household.members.select_related("person").order_by("pk")
    ordered = sorted(members, key=lambda m: m.relation != "applicant")
    return [(today - m.person.date_of_birth).days // 365 for m in ordered]


def _prefill(request: HttpRequest) -> dict[str, Any]:
    """Initial values from a case the user may see (``?sak=<pk>``)."""
    pk = request.GET.get("sak")
    if not pk:
        return {}
    case = case_read(
        user=user_of(request), pk=pk, what="calculator_prefill", path=request.get_full_path()
    )
    application = case.application
    today = dt.date.today()  # noqa: DTZ011 - ages in whole years; the server date is enough
    income = application.gross_annual_income
    return initial_from(
        {
            "municipality_number": case.municipality.number,
            "income_monthly": round(income / 12) if income is not None else None,
            "net_wealth": application.wealth,
            "ages": ", ".join(str(age) for age in _ages(case, today)),
            "members": ", ".join(f"{age} k" for age in _ages(case, today)),
            "net_income_monthly": round(income * 0.75 / 12) if income is not None else None,
        }
    )


def _allowance(request: HttpRequest, template: str) -> HttpResponse:
    form = AllowanceForm(
        request.POST or None,
        initial=_prefill(request)
        if not request.POST and template.startswith("calculators/staff")
        else None,
    )
    result = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        members = [
            Member(age=age, is_child_of_applicant=index > 0 and age < 18)  # noqa: PLR2004
            for index, age in enumerate(data["ages"])
        ]
        application = HousingAllowanceApplication(
            municipality_number=data["municipality_number"],
            members=members,
            housing_costs_annual=data["housing_costs_monthly"] * 12,
            income_annual=data["income_monthly"] * 12,
            net_wealth=data["net_wealth"],
            is_renting=data["is_renting"],
            heating_included_in_costs=data["heating_included_in_costs"],
            has_special_adaptation=data["has_special_adaptation"],
        )
        try:
            result = explain_housing_allowance(application, data["on"].replace(day=1))
        except RulesInputError as error:
            form.add_error(field_for(form, error.field), error.message_in(get_language()))
    return render(request, template, {"form": form, "result": result, "kind": "allowance"})


def _loan(request: HttpRequest, template: str) -> HttpResponse:
    form = LoanForm(
        request.POST or None,
        initial=_prefill(request)
        if not request.POST and template.startswith("calculators/staff")
        else None,
    )
    result = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        application = StartLoanApplication(
            municipality_number=data["municipality_number"],
            members=[LoanHouseholdMember(age=age, sex=sex) for age, sex in data["members"]],  # type: ignore[arg-type]
            net_income_monthly=data["net_income_monthly"],
            loan_amount=data["loan_amount"],
            term_years=data["term_years"],
            repayment_profile=data["repayment_profile"],
            housing_operating_costs_monthly=data["housing_operating_costs_monthly"],
            other_fixed_costs_monthly=data["other_fixed_costs_monthly"],
            long_term_conditions_met=data["long_term_conditions_met"],
        )
        try:
            result = explain_start_loan(application, data["on"])
        except RulesInputError as error:
            form.add_error(field_for(form, error.field), error.message_in(get_language()))
    return render(request, template, {"form": form, "result": result, "kind": "loan"})


def staff_allowance(request: HttpRequest) -> HttpResponse:
    user_of(request)
    return _allowance(request, "calculators/staff.html")


def staff_loan(request: HttpRequest) -> HttpResponse:
    user_of(request)
    return _loan(request, "calculators/staff.html")


@portal_login_required
def portal_allowance(request: HttpRequest) -> HttpResponse:
    resident_of(request)
    return _allowance(request, "calculators/portal.html")


@portal_login_required
def portal_loan(request: HttpRequest) -> HttpResponse:
    resident_of(request)
    return _loan(request, "calculators/portal.html")
