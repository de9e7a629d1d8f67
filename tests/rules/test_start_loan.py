"""Startlån formulas: payment factors, largest loan, living-cost norms."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from husly.rules.errors import InvalidAmountError, RulesInputError
from husly.rules.living_costs import NavRates, PersonArrays, SifoBudget, nav_norm, sifo_norm
from husly.rules.start_loan import (
    LoanHouseholdMember,
    StartLoanApplication,
    StartLoanBatch,
    StartLoanParameters,
    compute_start_loan,
    explain_start_loan,
    payment_factor,
)

ON = dt.date(2026, 7, 1)


def test_annuity_matches_the_textbook_value() -> None:
    # 1 000 000 over 25 years at 5 % nominal, monthly terms: 5 845.90 kr per month.
    f = payment_factor(0.05, np.array([25]), np.array([False]))
    assert round(1_000_000 * f[0], 2) == 5845.90


def test_serial_first_instalment_and_zero_rate() -> None:
    f = payment_factor(0.06, np.array([20]), np.array([True]))
    assert f[0] * 1_200_000 == pytest.approx(5000 + 6000)  # 1.2 M / 240 + 1.2 M x 0.5 %
    f0 = payment_factor(0.0, np.array([10]), np.array([False]))
    assert f0[0] * 120_000 == pytest.approx(1000)


def batch(**kw: object) -> StartLoanBatch:
    data = {
        "net_income_monthly": np.array([40_000.0]),
        "other_fixed_costs_monthly": np.array([0.0]),
        "housing_operating_costs_monthly": np.array([4_000.0]),
        "living_costs_monthly": np.array([12_000.0]),
        "loan_amount": np.array([2_000_000.0]),
        "term_years": np.array([30]),
        "is_serial": np.array([False]),
    }
    data.update(kw)  # type: ignore[arg-type]
    return StartLoanBatch(**data)  # type: ignore[arg-type]


@settings(max_examples=80, deadline=None)
@given(
    st.floats(10_000, 120_000),
    st.floats(0, 40_000),
    st.integers(5, 50),
    st.booleans(),
)
def test_largest_loan_is_the_break_even_loan(
    income: float, costs: float, years: int, serial: bool
) -> None:
    p = StartLoanParameters.for_municipality("3224", ON)
    probe = batch(
        net_income_monthly=np.array([income]),
        housing_operating_costs_monthly=np.array([costs]),
        term_years=np.array([years]),
        is_serial=np.array([serial]),
    )
    largest = compute_start_loan(probe, p).largest_loan[0]
    if largest == 0:
        return
    at = compute_start_loan(
        batch(
            net_income_monthly=np.array([income, income]),
            other_fixed_costs_monthly=np.zeros(2),
            housing_operating_costs_monthly=np.array([costs, costs]),
            living_costs_monthly=np.full(2, 12_000.0),
            loan_amount=np.array([largest, largest + 1_000]),
            term_years=np.array([years, years]),
            is_serial=np.array([serial, serial]),
        ),
        p,
    )
    # At the largest loan the margin is (about) zero; 1 000 kroner more cannot be serviced.
    assert -1 <= at.margin[0] <= 2  # whole-krone rounding of income and payment
    assert at.margin[1] < 0
    assert not at.can_service_loan[1]


def test_batch_rejects_a_term_beyond_fifty_years_and_negative_amounts() -> None:
    p = StartLoanParameters.for_municipality("3224", ON)
    with pytest.raises(RulesInputError) as info:
        compute_start_loan(batch(term_years=np.array([51])), p)
    assert info.value.field == "term_years[0]"
    with pytest.raises(InvalidAmountError) as info2:
        compute_start_loan(batch(loan_amount=np.array([-1.0])), p)
    assert info2.value.field == "loan_amount[0]"


def persons(ages: list[int], female: list[bool], student=None, pregnant=None) -> PersonArrays:  # type: ignore[no-untyped-def]
    k = len(ages)
    return PersonArrays(
        household=np.zeros(k, dtype=np.intp),
        age=np.array(ages),
        is_female=np.array(female),
        is_student=np.array(student or [False] * k),
        is_pregnant=np.array(pregnant or [False] * k),
    )


def test_nav_norm_for_three_adults_and_children() -> None:
    rates = NavRates.for_date(dt.date(2024, 6, 1))
    one = nav_norm(persons([30], [True]), 1, rates)[0]
    three = nav_norm(persons([50, 48, 19, 5, 10], [True, False, True, False, True]), 1, rates)[0]
    assert one == 7850
    assert three == 13100 + 7850 + 3850 + 3950  # couple + third adult + child 0-5 + child 6-10


def test_sifo_overrides_for_pregnancy_and_students() -> None:
    budget = SifoBudget.for_date(ON)
    none = np.zeros(1, dtype=np.int64)
    base = sifo_norm(persons([25], [True]), 1, budget, none, none)
    pregnant = sifo_norm(persons([25], [True], pregnant=[True]), 1, budget, none, none)
    student = sifo_norm(persons([25], [True], student=[True]), 1, budget, none, none)
    assert base.items["food"][0] == 4280
    assert pregnant.items["food"][0] == 4770
    assert student.items["travel"][0] == 591
    assert base.total[0] - student.total[0] == 985 - 591
    one_ev = sifo_norm(persons([25], [True]), 1, budget, none, np.ones(1, dtype=np.int64))
    assert one_ev.total[0] - base.total[0] == 2195


def test_explained_start_loan_uses_unconfirmed_parameters_visibly() -> None:
    r = explain_start_loan(
        StartLoanApplication(
            municipality_number="3224",
            members=[LoanHouseholdMember(35, "female")],
            net_income_monthly=35_000,
            loan_amount=2_000_000,
        ),
        ON,
    )
    assert r.trace.uses_unconfirmed_parameters
    data = r.to_dict()
    assert data["rule"] == "start_loan" and data["margin"] == r.margin
    paths = {p["path"] for p in data["trace"]["parameters"]}
    assert "municipal.3224.start_loan.establishment_fee_rate" in paths
    assert "national.start_loan.rates.policy_rate" in paths


def test_bad_sex_and_text_term_are_named() -> None:
    app = StartLoanApplication(
        municipality_number="3224",
        members=[LoanHouseholdMember(35, "x")],  # type: ignore[arg-type]
        net_income_monthly=35_000,
        loan_amount=2_000_000,
    )
    with pytest.raises(RulesInputError) as info:
        explain_start_loan(app, ON)
    assert info.value.field == "members[0].sex"
    app2 = StartLoanApplication(
        municipality_number="3224",
        members=[LoanHouseholdMember(35, "male")],
        net_income_monthly=35_000,
        loan_amount=2_000_000,
        term_years="30",  # type: ignore[arg-type]
    )
    with pytest.raises(RulesInputError) as info2:
        explain_start_loan(app2, ON)
    assert info2.value.field == "term_years"
