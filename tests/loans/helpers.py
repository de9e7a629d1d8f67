"""Shared set-up for the start-loan tests: a household applying for a cooperative flat."""

from __future__ import annotations

import datetime as dt
from typing import Any

from husly.loans import actions as loans

COOPERATIVE = {
    "net_income_monthly": 42_000,
    "income_documented": True,
    "other_fixed_costs_monthly": 1_200,
    "debt_total": 40_000,
    "savings": 25_000,
    "dwelling_kind": "cooperative",
    "dwelling_address": "Løvenskiolds gate 4 B, 2008 Fjerdingby",
    "dwelling_municipality_number": "3224",
    "price": 1_900_000,
    "common_debt": 600_000,
    "housing_costs_monthly": 6_500,
    "bank_co_financing": 0,
    "loan_amount": 2_500_000,
}
FACTS = {
    "has_long_term_financing_problems": True,
    "bank_cannot_finance": True,
    "has_used_opportunity_to_save": True,
    "dwelling_is_suitable": True,
    "dwelling_price_is_reasonable": True,
    "permanently_low_income": True,
    "dwelling_suits_long_term": True,
    "renting_unsuitable_or_dearer": True,
    "shorter_term_not_responsible": True,
}


def apply(actor: Any, household: Any, **changes: Any) -> Any:
    return loans.loan_application_create(
        actor=actor,
        household=household,
        channel="meeting",
        data={**COOPERATIVE, **changes},
        case_data={
            "lived_in_municipality_since": dt.date(2019, 1, 1),
            "housing_kind": "rented_private",
        },
    )


def prepared(nina: Any, household: Any, **changes: Any) -> Any:
    """Applied, facts recorded, credit check and oral explanation done, assessed."""
    application = apply(nina, household, **changes)
    loans.loan_facts_record(actor=nina, application=application, data=FACTS)
    loans.loan_credit_check_record(
        actor=nina, application=application, result="Ingen betalingsanmerkninger."
    )
    loans.loan_explanation_record(actor=nina, application=application, how="Møte på NAV")
    return application
