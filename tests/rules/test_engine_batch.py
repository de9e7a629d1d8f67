"""One code path for one household and for many: batch results equal the explained results,
batch input is validated with field names, and formulas contain no per-household loops."""

from __future__ import annotations

import ast
import datetime as dt
import inspect
import textwrap
from typing import Any

import numpy as np
import pytest

from husly.rules import housing_allowance as ha
from husly.rules import living_costs, start_loan
from husly.rules.errors import EmptyHouseholdError, InvalidAmountError, RulesInputError
from husly.rules.municipalities import register_for

ON = dt.date(2026, 7, 1)
NUMBERS = ["0301", "4601", "5501", "3205", "3224", "1108", "5601", "3201"]


def random_households(n: int, seed: int) -> tuple[list[ha.HousingAllowanceApplication], Any]:
    rng = np.random.default_rng(seed)
    apps = []
    for _ in range(n):
        size = int(rng.integers(1, 7))
        members = [
            ha.Member(
                age=int(rng.integers(16, 90)),
                is_student=bool(rng.random() < 0.1),
                is_young_disabled=bool(rng.random() < 0.05),
                is_pensioner=bool(rng.random() < 0.15),
            )
        ]
        for _ in range(size - 1):
            child = bool(rng.random() < 0.6)
            members.append(
                ha.Member(
                    age=int(rng.integers(0, 18)) if child else int(rng.integers(18, 80)),
                    is_child_of_applicant=child,
                    is_student=bool(rng.random() < 0.05),
                    is_in_compulsory_service=bool(rng.random() < 0.02),
                )
            )
        renting = bool(rng.random() < 0.7)
        apps.append(
            ha.HousingAllowanceApplication(
                municipality_number=str(rng.choice(NUMBERS)),
                members=members,
                housing_costs_annual=float(rng.integers(20_000, 250_000)),
                income_annual=float(rng.integers(0, 700_000)),
                net_wealth=float(rng.choice([0, rng.integers(0, 2_000_000)])),
                is_renting=renting,
                home_assessed_value=0.0 if renting else float(rng.integers(0, 1_500_000)),
                is_detached_house_owner=(not renting) and bool(rng.random() < 0.5),
                heating_included_in_costs=bool(rng.random() < 0.7),
                has_special_adaptation=bool(rng.random() < 0.05),
            )
        )
    return apps, rng


def to_arrays(apps: list[ha.HousingAllowanceApplication]) -> tuple[Any, Any]:
    register = register_for(ON)
    k = len(apps)
    people = [(i, m) for i, a in enumerate(apps) for m in a.members]
    households = ha.HouseholdArrays(
        municipality_group=register.group_codes([a.municipality_number for a in apps]),
        income_annual=np.array([a.income_annual for a in apps]),
        net_wealth=np.array([a.net_wealth for a in apps]),
        housing_costs_annual=np.array([a.housing_costs_annual for a in apps]),
        home_assessed_value=np.array([a.home_assessed_value for a in apps]),
        is_renting=np.array([a.is_renting for a in apps]),
        is_detached_owner=np.array([a.is_detached_house_owner for a in apps]),
        heating_included_in_costs=np.array([a.heating_included_in_costs for a in apps]),
        has_special_adaptation=np.array([a.has_special_adaptation for a in apps]),
        lives_in_institution=np.zeros(k, dtype=bool),
        dwelling_meets_requirements=np.ones(k, dtype=bool),
    )
    first = dict.fromkeys(range(k), True)
    applicant = []
    for i, _ in people:
        applicant.append(first.pop(i, False))
    members = ha.MemberArrays(
        household=np.array([i for i, _ in people]),
        age=np.array([m.age for _, m in people]),
        is_applicant=np.array(applicant),
        is_child_of_applicant=np.array([m.is_child_of_applicant for _, m in people]),
        is_student=np.array([m.is_student for _, m in people]),
        is_in_compulsory_service=np.array([m.is_in_compulsory_service for _, m in people]),
        is_young_disabled=np.array([m.is_young_disabled for _, m in people]),
        is_pensioner=np.array([m.is_pensioner for _, m in people]),
    )
    return households, members


@pytest.mark.parametrize("chunk_size", [7, 16_384])
def test_batch_equals_one_household_at_a_time(chunk_size: int) -> None:
    apps, _ = random_households(400, seed=4)
    batch = ha.households_from_members(*to_arrays(apps))
    result = ha.compute_housing_allowance(
        batch, ha.HousingAllowanceParameters.for_date(ON), chunk_size=chunk_size
    )
    singles = [ha.explain_housing_allowance(a, ON) for a in apps]
    assert [s.monthly_payout for s in singles] == result.monthly_payout.tolist()
    assert [s.is_eligible for s in singles] == batch.meets_conditions.tolist()
    annual = np.array([s.trace["annual_allowance"].value for s in singles])
    assert np.array_equal(annual, result.annual_allowance)
    # The sample is not trivial: some are paid, some are not, some are ineligible.
    assert 0 < (result.monthly_payout > 0).sum() < len(apps)
    assert not batch.meets_conditions.all()


def good_batch(n: int = 5) -> dict[str, Any]:
    return {
        "municipality_group": np.full(n, 4, dtype=np.int8),
        "household_size": np.full(n, 2, dtype=np.int16),
        "children_count": np.zeros(n, dtype=np.int16),
        "income_annual": np.full(n, 200_000.0),
        "net_wealth": np.zeros(n),
        "housing_costs_annual": np.full(n, 100_000.0),
        "home_assessed_value": np.zeros(n),
        "is_renting": np.ones(n, dtype=bool),
        "is_detached_owner": np.zeros(n, dtype=bool),
        "gets_heating_supplement": np.zeros(n, dtype=bool),
        "has_special_adaptation": np.zeros(n, dtype=bool),
        "is_young_disabled": np.zeros(n, dtype=bool),
        "is_single_pensioner": np.zeros(n, dtype=bool),
        "meets_conditions": np.ones(n, dtype=bool),
    }


@pytest.mark.parametrize(
    ("field", "value", "error", "named"),
    [
        ("income_annual", -1.0, InvalidAmountError, "income_annual[3]"),
        ("net_wealth", np.nan, InvalidAmountError, "net_wealth[3]"),
        ("housing_costs_annual", np.inf, InvalidAmountError, "housing_costs_annual[3]"),
        ("household_size", 0, EmptyHouseholdError, "household_size[3]"),
        ("municipality_group", 5, RulesInputError, "municipality_group[3]"),
        ("children_count", 2, RulesInputError, "children_count[3]"),
    ],
)
def test_batch_errors_name_field_and_household(
    field: str, value: Any, error: type[Exception], named: str
) -> None:
    data = good_batch()
    data[field] = data[field].copy()
    data[field][3] = value
    p = ha.HousingAllowanceParameters.for_date(ON)
    with pytest.raises(error) as info:
        ha.compute_housing_allowance(ha.HousingAllowanceBatch(**data), p)
    assert getattr(info.value, "field", None) == named


def test_batch_rejects_text_and_mismatched_lengths() -> None:
    p = ha.HousingAllowanceParameters.for_date(ON)
    data = good_batch()
    data["income_annual"] = np.array(["1", "2", "3", "4", "5"])
    with pytest.raises(InvalidAmountError) as info:
        ha.compute_housing_allowance(ha.HousingAllowanceBatch(**data), p)
    assert info.value.field == "income_annual"
    data = good_batch()
    data["net_wealth"] = np.zeros(4)
    with pytest.raises(RulesInputError) as info2:
        ha.compute_housing_allowance(ha.HousingAllowanceBatch(**data), p)
    assert info2.value.field == "net_wealth"


def test_municipality_codes_are_looked_up_vectorised() -> None:
    register = register_for(ON)
    codes = register.group_codes(np.array(["0301", "4601", "3205", "3224", "5636"]))
    assert codes.tolist() == [1, 2, 3, 4, 4]
    with pytest.raises(RulesInputError) as info:
        register.group_codes(np.array(["0301", "9999"]))
    assert info.value.field == "municipality_number[1]"


def loops_in(function: Any) -> list[str]:
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    kinds = (ast.For, ast.While, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
    return [type(node).__name__ for node in ast.walk(tree) if isinstance(node, kinds)]


@pytest.mark.parametrize(
    "function",
    [ha._formula, start_loan._formula, start_loan.payment_factor, living_costs.nav_norm],
)
def test_formulas_have_no_python_loops(function: Any) -> None:
    """engineering-anchors B5.4: no per-element Python inside formulas."""
    assert loops_in(function) == []


def test_batch_driver_loops_over_chunks_only() -> None:
    source = inspect.getsource(ha.compute_housing_allowance)
    assert loops_in(ha.compute_housing_allowance) == ["For"]
    assert "range(0, n, chunk_size)" in source
