"""Runs the YAML rule cases in tests/rules/cases (given -> expect, OpenFisca style).

Each case names a rule, a period (the calculation date), inputs, and either expected outputs
(result fields or trace steps, intermediates included) or an expected error with its field.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import pytest
import yaml

from husly.rules import errors
from husly.rules.housing_allowance import (
    HousingAllowanceApplication,
    Member,
    explain_housing_allowance,
)
from husly.rules.start_loan import LoanHouseholdMember, StartLoanApplication, explain_start_loan

CASES_DIR = Path(__file__).parent / "cases"
DEFAULT_MARGIN = 0.005


def _load_cases() -> list[Any]:
    cases = []
    for file in sorted(CASES_DIR.glob("*.yaml")):
        cases.extend(
            pytest.param(case, id=f"{file.stem}: {case['name']}")
            for case in yaml.safe_load(file.read_text(encoding="utf-8"))
        )
    return cases


def _run(case: dict[str, Any]) -> Any:
    period = case["period"]
    assert isinstance(period, dt.date)
    data = dict(case["input"])
    if case["rule"] == "housing_allowance":
        data["members"] = [Member(**m) for m in data["members"]]
        return explain_housing_allowance(HousingAllowanceApplication(**data), period)
    if case["rule"] == "start_loan":
        data["members"] = [LoanHouseholdMember(**m) for m in data["members"]]
        return explain_start_loan(StartLoanApplication(**data), period)
    raise AssertionError(f"unknown rule {case['rule']}")


@pytest.mark.parametrize("case", _load_cases())
def test_case(case: dict[str, Any]) -> None:
    if "expect_error" in case:
        expected = case["expect_error"]
        error_class = getattr(errors, expected["type"])
        with pytest.raises(error_class) as info:
            _run(case)
        assert info.value.field == expected["field"]
        assert info.value.message_nb and info.value.message_nn and info.value.message_en
        return

    result = _run(case)
    margin = case.get("absolute_error_margin", DEFAULT_MARGIN)
    mismatches = []
    for key, expected in case["expect"].items():
        if key in getattr(result, "__dataclass_fields__", {}):
            actual = getattr(result, key)
        else:
            actual = result.trace[key].value
        if isinstance(expected, bool | str):
            ok = actual == expected
        else:
            ok = math.isclose(float(actual), float(expected), abs_tol=margin)
        if not ok:
            mismatches.append(f"{key}: expected {expected!r}, got {actual!r}")
    assert not mismatches, "\n".join(mismatches)
    # Every case's trace cites its parameters, with a reference each.
    assert result.trace.parameters
    assert all(p.references for p in result.trace.parameters)
