"""A small OpenFisca model of Husly's bostøtte formula, kept ONLY for the benchmark.

It computes the same formula as ``husly.rules.housing_allowance`` (forskrift om bustøtte §§ 1-7,
13) on the same household-level inputs, written the way an OpenFisca country package would
write it: one variable per quantity, vectorised formulas with ``where``/``select``, and
parameters read from an OpenFisca parameter tree. The parameter values are copied from Husly's
YAML tree for the benchmark date, so both engines use identical numbers. The operation order
matches Husly's so the amounts agree to the krone (the benchmark asserts they are equal).

Two variants of the cap lookup (``build_tax_benefit_system(p, grid=...)``):

* ``"fancy_indexing"`` (default, the benchmark's baseline): OpenFisca's idiom for a grid of
  parameters indexed by category (here kommunegruppe x household size, like openfisca-france's
  rent ceilings by zone x household), which engineering-anchors B4 measured as a hidden
  per-element Python loop;
* ``"select"``: ``np.select`` over household size and group with scalar parameters, the fastest
  way we know to write it in OpenFisca (hand-tuned beyond the idiom; reported alongside).

Not used by Husly itself; openfisca-core is a dev dependency.
"""

from __future__ import annotations

# Household sizes and kommunegrupper are the legal categories, compared where they are used.
# ruff: noqa: PLR2004
import datetime as dt
from typing import Any

import numpy as np
from openfisca_core.entities import build_entity
from openfisca_core.parameters import ParameterNode  # type: ignore[import-untyped]
from openfisca_core.periods import DateUnit
from openfisca_core.simulations import SimulationBuilder  # type: ignore[import-untyped]
from openfisca_core.taxbenefitsystems import TaxBenefitSystem  # type: ignore[import-untyped]
from openfisca_core.variables import Variable  # type: ignore[import-untyped]

from husly.rules.housing_allowance import HousingAllowanceParameters

Household = build_entity(
    key="household",
    plural="households",
    label="Husstand (bostøtte)",
    is_person=True,
)

INPUTS: dict[str, type] = {
    "municipality_group": int,
    "household_size": int,
    "children_count": int,
    "income_annual": float,
    "net_wealth": float,
    "housing_costs_annual": float,
    "home_assessed_value": float,
    "is_renting": bool,
    "is_detached_owner": bool,
    "gets_heating_supplement": bool,
    "has_special_adaptation": bool,
    "is_young_disabled": bool,
    "is_single_pensioner": bool,
    "meets_conditions": bool,
}


class Float64Variable(Variable):  # type: ignore[misc]  # openfisca-core is untyped
    """OpenFisca stores ``float`` variables as float32. Husly computes money in float64, so the
    benchmark model stores floats as float64 too: the amounts then agree to the krone and the
    comparison is like with like (same precision, same memory traffic per value)."""

    def __init__(self, baseline_variable: Any = None) -> None:
        super().__init__(baseline_variable)
        if self.value_type is float:
            self.dtype = np.float64


def _input_variable(name: str, value_type: type) -> type[Variable]:
    return type(
        name,
        (Float64Variable,),
        {
            "value_type": value_type,
            "entity": Household,
            "definition_period": DateUnit.MONTH,
            "label": name,
        },
    )


class housing_cost_cap(Float64Variable):  # noqa: N801 - OpenFisca names variables in snake_case
    value_type = float
    entity = Household
    definition_period = DateUnit.MONTH
    label = "Øvre grense for boutgifter (forskrift om bustøtte § 3)"

    def formula(household: Any, period: Any, parameters: Any) -> Any:  # noqa: N805
        p = parameters(period).housing_allowance.cap
        size = household("household_size", period)
        group = household("municipality_group", period)
        base = np.select(
            [size == 1, size == 2, size == 3, size == 4],
            [p.size_1, p.size_2, p.size_3, p.size_4],
            p.size_5_plus,
        )
        supplement = np.select(
            [group == 1, group == 2, group == 3], [p.group_1, p.group_2, p.group_3], 0.0
        )
        return (
            base + supplement + p.special_adaptation * household("has_special_adaptation", period)
        )


GROUP_KEYS = np.array(["group_1", "group_2", "group_3", "group_4"])
SIZE_KEYS = np.array(["size_1", "size_2", "size_3", "size_4", "size_5_plus"])


class housing_cost_cap_fancy(Float64Variable):  # noqa: N801
    """The same cap, read from a group x size parameter grid by OpenFisca's fancy indexing."""

    value_type = float
    entity = Household
    definition_period = DateUnit.MONTH
    label = "Øvre grense for boutgifter (forskrift om bustøtte § 3), grid lookup"

    def formula(household: Any, period: Any, parameters: Any) -> Any:  # noqa: N805
        p = parameters(period).housing_allowance
        size = np.minimum(household("household_size", period), 5)
        group = household("municipality_group", period)
        grid = p.cap_grid[GROUP_KEYS[group - 1]][SIZE_KEYS[size - 1]]
        return grid + p.cap.special_adaptation * household("has_special_adaptation", period)


def _approved_housing_costs(cap_variable: str) -> type[Variable]:
    """approved_housing_costs (forskrift om bustøtte §§ 2, 3), reading the given cap variable."""

    def formula(household: Any, period: Any, parameters: Any) -> Any:
        p = parameters(period).housing_allowance
        additions = p.operating_cost_allowance * household("is_detached_owner", period)
        additions = additions + p.heating_supplement * household("gets_heating_supplement", period)
        costs = household("housing_costs_annual", period) + additions
        return np.minimum(costs, household(cap_variable, period))

    return type(
        "approved_housing_costs",
        (Float64Variable,),
        {
            "value_type": float,
            "entity": Household,
            "definition_period": DateUnit.MONTH,
            "label": "Godkjente boutgifter (forskrift om bustøtte §§ 2, 3)",
            "formula": formula,
        },
    )


class household_income(Float64Variable):  # noqa: N801
    value_type = float
    entity = Household
    definition_period = DateUnit.MONTH
    label = "Inntekt med formuestillegg (forskrift om bustøtte §§ 5, 6)"

    def formula(household: Any, period: Any, parameters: Any) -> Any:  # noqa: N805
        p = parameters(period).housing_allowance.wealth
        exempt = np.where(
            household("is_renting", period),
            p.exempt_renting,
            np.minimum(household("home_assessed_value", period), p.exempt_owning_cap),
        )
        supplement = np.maximum(household("net_wealth", period) - exempt, 0.0) * p.rate
        return household("income_annual", period) + supplement


class weighted_income(Float64Variable):  # noqa: N801
    value_type = float
    entity = Household
    definition_period = DateUnit.MONTH
    label = "Omregnet inntekt (forskrift om bustøtte § 7)"

    def formula(household: Any, period: Any, parameters: Any) -> Any:  # noqa: N805
        p = parameters(period).housing_allowance.weight
        size = household("household_size", period)
        children = household("children_count", period)
        weight = (
            size * p.other_adult
            + children * (p.child - p.other_adult)
            + (p.first_person - p.other_adult)
        )
        return np.floor(household("household_income", period) / weight + 0.5)


class own_share(Float64Variable):  # noqa: N801
    value_type = float
    entity = Household
    definition_period = DateUnit.MONTH
    label = "Egenandel (forskrift om bustøtte § 4)"

    def formula(household: Any, period: Any, parameters: Any) -> Any:  # noqa: N805
        p = parameters(period).housing_allowance.own_share
        y = household("weighted_income", period)
        pensioner = household("is_single_pensioner", period)
        young_disabled = household("is_young_disabled", period)
        t1 = np.where(pensioner, p.single_pensioner_first_threshold, p.first_threshold)
        t2 = np.select(
            [young_disabled, pensioner],
            [p.young_disabled_second_threshold, p.single_pensioner_second_threshold],
            p.second_threshold,
        )
        first = np.maximum(y - t1, 0.0) * p.first_rate
        second = np.maximum(y - t2, 0.0) * p.second_rate
        if p.progressive_step_rate:
            steps = np.maximum(np.floor((y - t2 - 1.0) / p.progressive_step_size) + 1.0, 0.0)
            second = second + steps * p.progressive_step_rate * y
        return first + p.minimum + second


class monthly_payout(Float64Variable):  # noqa: N801
    value_type = float
    entity = Household
    definition_period = DateUnit.MONTH
    label = "Bostøtte til utbetaling (forskrift om bustøtte §§ 1, 13)"

    def formula(household: Any, period: Any, parameters: Any) -> Any:  # noqa: N805
        p = parameters(period).housing_allowance
        basis = household("approved_housing_costs", period) - household("own_share", period)
        annual = np.maximum(basis, 0.0) * p.coverage_rate * household("meets_conditions", period)
        unrounded = annual / 12.0
        monthly = np.floor(unrounded + 0.5)
        return monthly * (unrounded >= p.minimum_payout)


def _parameter_data(p: HousingAllowanceParameters) -> dict[str, Any]:
    """Husly's values for one date, as an OpenFisca parameter tree valid from that date."""
    start = p.on.isoformat()

    def leaf(value: float) -> dict[str, Any]:
        return {"values": {start: {"value": float(value)}}}

    cap = {f"size_{k}": leaf(p.cap_for(k, 4, False)) for k in range(1, 5)}  # group 4: no supplement
    cap["size_5_plus"] = leaf(p.cap_for(5, 4, False))
    for g in (1, 2, 3):
        cap[f"group_{g}"] = leaf(p.cap_for(1, g, False) - p.cap_for(1, 4, False))
    cap["special_adaptation"] = leaf(p.cap_for(1, 4, True) - p.cap_for(1, 4, False))
    grid = {
        str(GROUP_KEYS[g - 1]): {
            str(SIZE_KEYS[k - 1]): leaf(p.cap_for(k, g, False)) for k in range(1, 6)
        }
        for g in range(1, 5)
    }
    return {
        "housing_allowance": {
            "cap_grid": grid,
            "coverage_rate": leaf(p.coverage_rate),
            "minimum_payout": leaf(p.minimum_payout),
            "operating_cost_allowance": leaf(p.addition_table[2]),
            "heating_supplement": leaf(p.addition_table[1]),
            "cap": cap,
            "wealth": {
                "rate": leaf(p.wealth_rate),
                "exempt_renting": leaf(p.exempt_renting),
                "exempt_owning_cap": leaf(p.exempt_owning_cap),
            },
            "weight": {
                "first_person": leaf(p.weight_first),
                "other_adult": leaf(p.weight_other_adult),
                "child": leaf(p.weight_child),
            },
            "own_share": {
                "minimum": leaf(p.minimum_own_share),
                "first_rate": leaf(p.first_rate),
                "second_rate": leaf(p.second_rate),
                "progressive_step_rate": leaf(p.step_rate),
                "progressive_step_size": leaf(p.step_size or 1.0),
                "first_threshold": leaf(p.first_threshold_table[0]),
                "second_threshold": leaf(p.second_threshold_table[0]),
                "young_disabled_second_threshold": leaf(p.second_threshold_table[1]),
                "single_pensioner_first_threshold": leaf(p.first_threshold_table[2]),
                "single_pensioner_second_threshold": leaf(p.second_threshold_table[2]),
            },
        }
    }


def build_tax_benefit_system(
    p: HousingAllowanceParameters, grid: str = "fancy_indexing"
) -> TaxBenefitSystem:
    """The OpenFisca tax-benefit system with Husly's parameter values for ``p.on``."""
    if grid not in ("select", "fancy_indexing"):
        raise ValueError(f"grid must be 'select' or 'fancy_indexing', got {grid!r}")
    system = TaxBenefitSystem([Household])
    system.add_variables(*(_input_variable(n, t) for n, t in INPUTS.items()))
    system.add_variables(
        housing_cost_cap,
        housing_cost_cap_fancy,
        _approved_housing_costs(
            "housing_cost_cap" if grid == "select" else "housing_cost_cap_fancy"
        ),
        household_income,
        weighted_income,
        own_share,
        monthly_payout,
    )
    system.parameters = ParameterNode("", data=_parameter_data(p))
    return system


def compute(system: TaxBenefitSystem, inputs: dict[str, np.ndarray], on: dt.date) -> np.ndarray:
    """Build a simulation for the households in ``inputs`` and calculate the monthly payout."""
    n = len(inputs["income_annual"])
    period = f"{on:%Y-%m}"
    simulation = SimulationBuilder().build_default_simulation(system, count=n)
    for name in INPUTS:
        simulation.set_input(name, period, inputs[name])
    return np.asarray(simulation.calculate("monthly_payout", period))
