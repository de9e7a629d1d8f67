"""The start-loan escalation ladder (husly.rules.start_loan_ladder) and the start-loan limits the
guideline loader enforces (no income caps, no age limits)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from husly.rules.guidelines import GuidelineDefinitionError, load_set_definition
from husly.rules.start_loan_ladder import (
    LadderParameters,
    annuity_factor,
    ladder_for_one,
    long_term_allowed,
)

P = LadderParameters(
    stress_rate=0.065,
    fixed_rate=0.04237,
    reference_term_years=30,
    long_term_years=50,
    grant_max=300_000,
)
BASE = {
    "net_income_monthly": 34_000,
    "other_fixed_costs_monthly": 1_500,
    "housing_operating_costs_monthly": 4_500,
    "living_costs_monthly": 17_000,
    "lower_living_costs_monthly": 17_000,
    "guideline_floor_monthly": 13_100,
    "loan_amount": 2_400_000,
    "long_term_allowed": True,
}


def _ladder(**changes: object) -> tuple[list, int]:
    return ladder_for_one(**{**BASE, **changes}, parameters=P)  # type: ignore[arg-type]


def test_the_reference_loan_is_tested_at_the_stress_rate_over_30_years() -> None:
    steps, first = _ladder(net_income_monthly=45_000)
    expected = round(2_400_000 * float(annuity_factor(0.065, 360)))
    assert steps[0].payment == expected
    assert steps[0].margin == 45_000 - 1_500 - 4_500 - 17_000 - expected
    assert first == 0


def test_the_team_sees_the_smallest_step_that_carries() -> None:
    steps, first = _ladder()
    assert [s.margin >= 0 for s in steps[:3]] == [False, False, True]
    assert first == 2 and steps[2].name == "longer_term"
    assert steps[2].payment < steps[1].payment < steps[0].payment


def test_longer_term_is_closed_when_section_8_5_does_not_allow_it() -> None:
    steps, first = _ladder(long_term_allowed=False)
    assert steps[2].available is False
    assert steps[2].margin == steps[1].margin  # 30 years still
    assert first != 2


def test_lower_living_costs_never_go_below_the_guideline_rates() -> None:
    steps, _ = _ladder(lower_living_costs_monthly=5_000, long_term_allowed=False)
    floor_margin = 34_000 - 1_500 - 4_500 - 13_100 - steps[3].payment
    assert steps[3].margin == floor_margin


def test_the_grant_covers_what_the_loan_cannot_up_to_the_cap() -> None:
    steps, first = _ladder(net_income_monthly=33_500, long_term_allowed=False)
    assert first == 4
    grant = steps[4]
    assert 0 < grant.grant <= 300_000 and grant.loan == 2_400_000 - grant.grant
    assert grant.margin >= 0


def test_no_step_carries_when_the_gap_is_larger_than_the_grant() -> None:
    steps, first = _ladder(net_income_monthly=22_000, long_term_allowed=False)
    assert first == -1
    assert all(s.margin < 0 for s in steps)
    assert steps[4].grant == 300_000


def test_section_8_5_needs_every_condition_or_its_allowed_waiver() -> None:
    t, f = np.array([True]), np.array([False])
    base = {
        "permanently_low_income": t,
        "dwelling_suits_long_term": t,
        "renting_unsuitable_or_dearer": t,
        "shorter_term_not_responsible": t,
        "children_in_household": f,
        "at_risk_of_losing_home": f,
        "low_predictable_income": f,
    }
    assert long_term_allowed(**base)[0]
    for name in (
        "permanently_low_income",
        "dwelling_suits_long_term",
        "renting_unsuitable_or_dearer",
        "shorter_term_not_responsible",
    ):
        assert not long_term_allowed(**{**base, name: f})[0], name
    # a) waived for a family with children with a low but predictable income
    assert long_term_allowed(
        **{
            **base,
            "permanently_low_income": f,
            "children_in_household": t,
            "low_predictable_income": t,
        }
    )[0]
    # b) and c) waived when the household risks losing its home; d) never
    risk = {
        **base,
        "dwelling_suits_long_term": f,
        "renting_unsuitable_or_dearer": f,
        "at_risk_of_losing_home": t,
    }
    assert long_term_allowed(**risk)[0]
    assert not long_term_allowed(**{**risk, "shorter_term_not_responsible": f})[0]


SET = Path("husly/rules/guidelines/sets/raelingen-startlan-2016.yaml")


@pytest.mark.parametrize(
    ("kind", "params"),
    [
        ("income_ceiling_g", {"multiplier": 4}),
        ("min_age", {"years": 18}),
        ("wealth_ceiling", {"kroner": 100_000}),
    ],
)
def test_a_start_loan_guideline_may_not_set_absolute_caps_or_age_limits(
    kind: str, params: dict
) -> None:
    definition = yaml.safe_load(SET.read_text(encoding="utf-8"))
    definition["criteria"].append(
        {
            "id": "x",
            "point": "x",
            "role": "basic",
            "kind": kind,
            "params": params,
            "title": {"nb": "x"},
            "source": {"reference": "x", "text": {"nb": "x"}},
        }
    )
    with pytest.raises(GuidelineDefinitionError, match="start-loan guideline may not"):
        load_set_definition(definition)
