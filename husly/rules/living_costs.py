"""Living-cost norms for startlån affordability, vectorised over persons and households.

* NAV: statlige veiledende satser for økonomisk stønad (sosialtjenesteloven § 18; the yearly
  rundskriv from Arbeids- og sosialdepartementet). Husbanken: money left for living must be at
  least these rates (Veileder for startlån, Beregne betjeningsevnen).
* SIFO: referansebudsjett for forbruksutgifter (OsloMet SIFO), Husbanken's reference for what
  a household actually needs (Veileder for startlån, Vurdere utgifter, SIFO).

Persons are arrays with a household position; amounts are summed per household with
``np.bincount`` (an aggregator, not a loop). Both norms exclude housing and electricity.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from husly.rules.params import AgeBand, ParameterTree, ResolvedValue, default_tree
from husly.rules.validation import check_bool_array, check_int_array, check_lengths

F64 = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]

NAV = "national.living_costs.nav_guideline_rates"
SIFO = "national.living_costs.sifo_reference_budget."
MAX_AGE = 130
ADULT_AGE = 18
# NAV's child bands: 0-5, 6-10 and 11-17 years (rundskriv, statlige veiledende retningslinjer).
NAV_CHILD_BAND_ENDS = (6, 11, ADULT_AGE)
TWO_ADULTS = 2  # the couple rate covers two adults
# SIFO: the student travel amount applies to students aged 20-29; cars cost more from 5 persons.
SIFO_STUDENT_AGES = (20, 29)
SIFO_LARGE_HOUSEHOLD = 5
SIFO_MAX_HOUSEHOLD_SIZE = 7
SIFO_PERSON_ITEMS = ("food", "clothing", "personal_care", "play_and_media", "travel")
SIFO_HOUSEHOLD_ITEMS = ("other_groceries", "household_articles", "furniture", "media_and_leisure")
NAV_KEYS = ("single", "couple", "shared_housing", "child_0_5", "child_6_10", "child_11_17")


@dataclass(frozen=True)
class PersonArrays:
    """Household members, one element per person; ``household`` is the household position."""

    household: npt.NDArray[np.integer[Any]]
    age: npt.NDArray[np.integer[Any]]
    is_female: Bools
    is_student: Bools
    is_pregnant: Bools

    def validate(self, n_households: int) -> None:
        check_lengths({k: getattr(self, k) for k in self.__dataclass_fields__})
        check_int_array("household", self.household, 0, max(n_households - 1, 0))
        check_int_array("age", self.age, 0, MAX_AGE)
        for name in ("is_female", "is_student", "is_pregnant"):
            check_bool_array(name, getattr(self, name))


def _band_table(bands: tuple[AgeBand, ...]) -> F64:
    """table[is_female * (MAX_AGE + 1) + age] -> amount (bands are validated at load)."""
    table = np.zeros(2 * (MAX_AGE + 1))
    for band in bands:
        hi = MAX_AGE if band.max_age is None else min(band.max_age, MAX_AGE)
        for female in (0, 1):
            if band.sex in ("any", "female" if female else "male"):
                start = female * (MAX_AGE + 1)
                table[start + band.min_age : start + hi + 1] = band.amount
    return table


@dataclass(frozen=True)
class NavRates:
    """NAV guideline rates in force on one date (kroner per month)."""

    rates: Mapping[str, float]
    source: ResolvedValue

    @classmethod
    def for_date(cls, on: dt.date, tree: ParameterTree | None = None) -> NavRates:
        return _nav_for(tree or default_tree(), on)


@functools.lru_cache(maxsize=64)
def _nav_for(tree: ParameterTree, on: dt.date) -> NavRates:
    rv = tree.at(NAV, on, field="date")
    rates = rv.as_number_map("NOK/month")
    missing = set(NAV_KEYS) - set(rates)
    if missing:
        from husly.rules.errors import ParameterFileError

        raise ParameterFileError(NAV, f"missing rates {sorted(missing)} on {on}")
    return NavRates(rates=rates, source=rv)


@dataclass(frozen=True)
class SifoBudget:
    """SIFO reference budget in force on one date, as lookup tables (kroner per month)."""

    person_tables: Mapping[str, F64]
    household_tables: Mapping[str, F64]
    food_pregnant: float
    travel_student: float
    car: Mapping[str, float]
    used: tuple[ResolvedValue, ...]

    @classmethod
    def for_date(cls, on: dt.date, tree: ParameterTree | None = None) -> SifoBudget:
        return _sifo_for(tree or default_tree(), on)


@functools.lru_cache(maxsize=64)
def _sifo_for(tree: ParameterTree, on: dt.date) -> SifoBudget:
    used: list[ResolvedValue] = []

    def get(name: str) -> ResolvedValue:
        rv = tree.at(SIFO + name, on, field="date")
        used.append(rv)
        return rv

    person = {k: _band_table(get(k).as_age_bands("NOK/month")) for k in SIFO_PERSON_ITEMS}
    household = {k: np.array(get(k).as_number_list("NOK/month")) for k in SIFO_HOUSEHOLD_ITEMS}
    return SifoBudget(
        person_tables=person,
        household_tables=household,
        food_pregnant=get("food_pregnant").as_number("NOK/month"),
        travel_student=get("travel_student").as_number("NOK/month"),
        car=get("car").as_number_map("NOK/month"),
        used=tuple(used),
    )


def _per_household(persons: PersonArrays, values: F64, n: int) -> F64:
    totals: F64 = np.bincount(
        persons.household.astype(np.intp), weights=values, minlength=n
    ).astype(np.float64)
    return totals


def nav_norm(persons: PersonArrays, n_households: int, rates: NavRates) -> F64:
    """Monthly NAV guideline amount per household (statlige veiledende satser, sosialtjenesteloven
    § 18 and the yearly rundskriv; the startlån floor per Husbanken, Beregne betjeningsevnen).

    One adult: the single rate; two or more adults: the couple rate plus the single rate for each
    adult beyond two [interpretation: the rundskriv gives no rate for a third adult]; a household
    whose only members are under 18 gets the single rate for one adult. Children by age band.
    """
    r = rates.rates
    age = persons.age
    adults = _per_household(persons, (age >= ADULT_AGE).astype(np.float64), n_households)
    young, middle, old = NAV_CHILD_BAND_ENDS
    band = np.select(
        [age < young, age < middle, age < old],
        [r["child_0_5"], r["child_6_10"], r["child_11_17"]],
        0.0,
    )
    children = _per_household(persons, band, n_households)
    adult_part = np.where(
        adults >= TWO_ADULTS, r["couple"] + r["single"] * (adults - TWO_ADULTS), r["single"]
    )
    return adult_part + children


@dataclass(frozen=True)
class SifoNorm:
    """SIFO amounts per household, by item (kroner per month)."""

    items: Mapping[str, F64]
    total: F64


def sifo_norm(
    persons: PersonArrays,
    n_households: int,
    budget: SifoBudget,
    cars_petrol: npt.NDArray[np.integer[Any]],
    cars_electric: npt.NDArray[np.integer[Any]],
) -> SifoNorm:
    """Monthly SIFO reference budget per household.

    Person items by age and sex (pregnant or breastfeeding women get the pregnancy food amount;
    students aged 20-29 the student travel amount); household items by size 1-7 (larger
    households use 7); car costs per car by fuel and household size (1-4 or 5 or more).
    """
    age = persons.age.astype(np.intp)
    index = persons.is_female.astype(np.intp) * (MAX_AGE + 1) + age
    items: dict[str, F64] = {}
    for name in SIFO_PERSON_ITEMS:  # a fixed list of budget items, not households
        amounts = budget.person_tables[name].take(index)
        if name == "food":
            pregnant = persons.is_pregnant & persons.is_female
            amounts = np.where(pregnant, budget.food_pregnant, amounts)
        if name == "travel":
            low, high = SIFO_STUDENT_AGES
            student = persons.is_student & (age >= low) & (age <= high)
            amounts = np.where(student, budget.travel_student, amounts)
        items[name] = _per_household(persons, amounts, n_households)
    size = np.bincount(persons.household.astype(np.intp), minlength=n_households)
    size_index = np.clip(size, 1, SIFO_MAX_HOUSEHOLD_SIZE) - 1
    for name in SIFO_HOUSEHOLD_ITEMS:
        items[name] = budget.household_tables[name].take(size_index)
    large = size >= SIFO_LARGE_HOUSEHOLD
    car = budget.car
    items["cars"] = cars_petrol * np.where(
        large, car["petrol_5_plus"], car["petrol_1_4"]
    ) + cars_electric * np.where(large, car["electric_5_plus"], car["electric_1_4"])
    total = np.zeros(n_households)
    for values in items.values():
        total += values
    return SifoNorm(items=items, total=total)
