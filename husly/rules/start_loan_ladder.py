"""The start-loan escalation ladder: the smallest help that carries, vectorised over households.

Sources: Rælingen's practice (raelingen L4031–4090): the reference solution is a floating-rate
loan over 30 years tested at the calculation rate; when its budget is in deficit the decision
team considers a fixed rate, a longer term and a lower living-cost rate, and last the
establishment grant (*etableringstilskudd*). The regulation sets the limits (forskrift om lån fra
Husbanken § 8-5: up to 30 years, up to 50 only when all of conditions a–d hold or are waived as
the regulation allows; Husbanken, Beregne betjeningsevnen: money left to live on never below the
state guideline rates for social assistance). The grant is municipal (spec/law-and-parameters.md
3: the municipality must first consider whether a longer term is fully used).

Steps, cumulative (each keeps what the step before added):

    0 reference            floating rate at the stress-test rate, 30 years, the living-cost norm
    1 fixed_rate           the fixed rate (or the stress rate if lower)
    2 longer_term          up to 50 years, only where § 8-5 allows it
    3 lower_living_costs   the caseworker's lower living-cost estimate, floored at the guideline
                           rates
    4 establishment_grant  the part of the price the household cannot carry, up to the grant cap

    payment(L, r, n) = L * i / (1 - (1 + i)^-n),  i = r / 12, n = months (annuity)
    margin           = round(available) - round(payment)

Pure NumPy, no Django: :func:`compute_ladder` takes arrays, :func:`ladder_for_one` one household.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from husly.rules.validation import check_amount_array, check_bool_array, check_lengths

F64 = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]

STEP_NAMES: tuple[str, ...] = (
    "reference",
    "fixed_rate",
    "longer_term",
    "lower_living_costs",
    "establishment_grant",
)

STEP_LABELS: dict[str, tuple[str, str, str]] = {
    "reference": (
        "Referanselån: flytende rente, 30 år",
        "Referanselån: flytande rente, 30 år",
        "Reference loan: floating rate, 30 years",
    ),
    "fixed_rate": ("Fast rente", "Fast rente", "Fixed rate"),
    "longer_term": (
        "Lengre nedbetalingstid (inntil 50 år, forskriften § 8-5)",
        "Lengre nedbetalingstid (inntil 50 år, forskrifta § 8-5)",
        "Longer term (up to 50 years, regulation § 8-5)",
    ),
    "lower_living_costs": (
        "Lavere sats for livsopphold (aldri under statlige veiledende satser)",
        "Lågare sats for livsopphald (aldri under statlege rettleiande satsar)",
        "Lower living-cost rate (never below the state guideline rates)",
    ),
    "establishment_grant": (
        "Etableringstilskudd",
        "Etableringstilskot",
        "Establishment grant",
    ),
}
"""Each step's name in bokmål, nynorsk and English."""

STEP_SOURCES: dict[str, str] = {
    "reference": "Rælingen, praksis (raelingen L4031–4046, L4066–4070); forskrift om lån fra "
    "Husbanken § 8-5",
    "fixed_rate": "Rælingen, praksis (raelingen L4048–4065)",
    "longer_term": "Forskrift om lån fra Husbanken § 8-5 (vilkår a–d)",
    "lower_living_costs": "Rælingen kriterium 2 (raelingen L5586–5590); Husbanken, Beregne "
    "betjeningsevnen (statlige veiledende satser som gulv)",
    "establishment_grant": "Rælingen, praksis (raelingen L4083–4090); kommunens regler for "
    "tilskudd [confirm]",
}


@dataclass(frozen=True)
class LadderParameters:
    """Rates and limits for the ladder on one date (fractions per year, years, kroner)."""

    stress_rate: float
    fixed_rate: float
    reference_term_years: int
    long_term_years: int
    grant_max: float


@dataclass(frozen=True)
class LadderBatch:
    """Households as arrays; monthly amounts in kroner, ``loan_amount`` in kroner.

    ``living_costs_monthly`` is the norm (already floored at the guideline rates);
    ``lower_living_costs_monthly`` the caseworker's lower estimate (floored again here);
    ``guideline_floor_monthly`` the state guideline rates for social assistance;
    ``long_term_allowed`` whether § 8-5 allows a term over 30 years (see :func:`long_term_allowed`).
    """

    net_income_monthly: F64
    other_fixed_costs_monthly: F64
    housing_operating_costs_monthly: F64
    living_costs_monthly: F64
    lower_living_costs_monthly: F64
    guideline_floor_monthly: F64
    loan_amount: F64
    long_term_allowed: Bools

    def validate(self) -> int:
        arrays = {k: getattr(self, k) for k in self.__dataclass_fields__}
        n = check_lengths(arrays)
        for name, values in arrays.items():
            if name == "long_term_allowed":
                check_bool_array(name, values)
            else:
                check_amount_array(name, values)
        return n


@dataclass(frozen=True)
class LadderResult:
    """Per household and step (shape ``(n, 5)``): margin, loan, whether the step is open; per
    household: the first step that carries (-1: none), the grant at the last step."""

    margin: F64
    loan: F64
    payment: F64
    available: Bools
    grant: F64
    first_working: npt.NDArray[np.int64]


def annuity_factor(rate: F64 | float, months: F64 | float) -> F64:
    """Monthly payment per krone for an annuity loan (forskrift § 8-5)."""
    i = np.asarray(rate, dtype=np.float64) / 12.0
    m = np.asarray(months, dtype=np.float64)
    safe = np.where(i > 0, i, 1.0)
    factor: F64 = np.where(i > 0, safe / (1.0 - (1.0 + safe) ** -m), 1.0 / m)
    return factor


def long_term_allowed(
    *,
    permanently_low_income: Bools,
    dwelling_suits_long_term: Bools,
    renting_unsuitable_or_dearer: Bools,
    shorter_term_not_responsible: Bools,
    children_in_household: Bools,
    at_risk_of_losing_home: Bools,
    low_predictable_income: Bools,
) -> Bools:
    """Forskrift om lån fra Husbanken § 8-5: a term over 30 years only when **all** of a)–d) hold.
    a) may be waived for families with children or households at risk of losing the home when a
    low but predictable income is documented; b) and c) may be waived for a household at risk of
    losing the home (spec/law-and-parameters.md 2.4). d) is never waived."""
    a = permanently_low_income | (
        (children_in_household | at_risk_of_losing_home) & low_predictable_income
    )
    b = dwelling_suits_long_term | at_risk_of_losing_home
    c = renting_unsuitable_or_dearer | at_risk_of_losing_home
    allowed: Bools = a & b & c & shorter_term_not_responsible
    return allowed


def _round(values: F64) -> F64:
    rounded: F64 = np.floor(values + 0.5)
    return rounded


def compute_ladder(b: LadderBatch, p: LadderParameters) -> LadderResult:
    """Every step of the ladder for every household, without a Python loop over households."""
    n = b.validate()
    base = b.net_income_monthly - b.other_fixed_costs_monthly - b.housing_operating_costs_monthly
    lower = np.maximum(b.lower_living_costs_monthly, b.guideline_floor_monthly)
    lower = np.minimum(lower, b.living_costs_monthly)  # "lower" never raises the norm
    ref_months = float(p.reference_term_years * 12)
    long_months = np.where(
        b.long_term_allowed, max(p.long_term_years, p.reference_term_years) * 12.0, ref_months
    )
    best_rate = min(p.fixed_rate, p.stress_rate)

    rates = np.array([p.stress_rate, best_rate, best_rate, best_rate, best_rate])
    margin = np.empty((n, 5))
    loan = np.empty((n, 5))
    payment = np.empty((n, 5))
    available = np.ones((n, 5), dtype=np.bool_)
    available[:, 2] = b.long_term_allowed
    available[:, 4] = p.grant_max > 0

    def step(k: int, months: F64 | float, living: F64) -> None:
        loan[:, k] = b.loan_amount
        payment[:, k] = _round(b.loan_amount * annuity_factor(rates[k], months))
        margin[:, k] = _round(base - living) - payment[:, k]

    step(0, ref_months, b.living_costs_monthly)
    step(1, ref_months, b.living_costs_monthly)
    step(2, long_months, b.living_costs_monthly)
    step(3, long_months, lower)

    # Establishment grant: the part of the loan the household cannot carry at step 3's terms.
    factor3 = annuity_factor(best_rate, long_months)
    room = np.maximum(_round(base - lower), 0.0)
    carried = np.floor(room / factor3)
    grant = np.clip(b.loan_amount - carried, 0.0, p.grant_max)
    loan[:, 4] = b.loan_amount - grant
    payment[:, 4] = _round(loan[:, 4] * factor3)
    margin[:, 4] = _round(base - lower) - payment[:, 4]

    works = (margin >= 0) & available
    first = np.where(works.any(axis=1), works.argmax(axis=1), -1).astype(np.int64)
    return LadderResult(
        margin=margin,
        loan=loan,
        payment=payment,
        available=available,
        grant=np.where(available[:, 4], grant, 0.0),
        first_working=first,
    )


@dataclass(frozen=True)
class LadderStep:
    """One step for one household, as the team sees it."""

    name: str
    label_nb: str
    label_nn: str
    label_en: str
    source: str
    available: bool
    loan: int
    payment: int
    margin: int
    grant: int


def ladder_for_one(
    *,
    net_income_monthly: float,
    other_fixed_costs_monthly: float,
    housing_operating_costs_monthly: float,
    living_costs_monthly: float,
    lower_living_costs_monthly: float,
    guideline_floor_monthly: float,
    loan_amount: float,
    long_term_allowed: bool,
    parameters: LadderParameters,
) -> tuple[list[LadderStep], int]:
    """The ladder for one household: its steps and the index of the first that carries (-1)."""
    batch = LadderBatch(
        net_income_monthly=np.array([net_income_monthly], dtype=np.float64),
        other_fixed_costs_monthly=np.array([other_fixed_costs_monthly], dtype=np.float64),
        housing_operating_costs_monthly=np.array(
            [housing_operating_costs_monthly], dtype=np.float64
        ),
        living_costs_monthly=np.array([living_costs_monthly], dtype=np.float64),
        lower_living_costs_monthly=np.array([lower_living_costs_monthly], dtype=np.float64),
        guideline_floor_monthly=np.array([guideline_floor_monthly], dtype=np.float64),
        loan_amount=np.array([loan_amount], dtype=np.float64),
        long_term_allowed=np.array([long_term_allowed], dtype=np.bool_),
    )
    r = compute_ladder(batch, parameters)
    steps = [
        LadderStep(
            name=name,
            label_nb=STEP_LABELS[name][0],
            label_nn=STEP_LABELS[name][1],
            label_en=STEP_LABELS[name][2],
            source=STEP_SOURCES[name],
            available=bool(r.available[0, k]),
            loan=int(r.loan[0, k]),
            payment=int(r.payment[0, k]),
            margin=int(r.margin[0, k]),
            grant=int(r.grant[0]) if name == "establishment_grant" else 0,
        )
        for k, name in enumerate(STEP_NAMES)
    ]
    return steps, int(r.first_working[0])


def steps_as_dicts(steps: Sequence[LadderStep]) -> list[dict[str, Any]]:
    """JSON-ready steps, to store with the assessment."""
    return [dict(step.__dict__) for step in steps]
