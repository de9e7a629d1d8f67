"""Input checks shared by the rules: every failure names the field, in bokmål and English.

Scalar checks serve the single-household API; array checks serve the batch API and run as a few
vectorised reductions per array (no per-household Python).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from numbers import Real
from typing import Any

import numpy as np
import numpy.typing as npt

from husly.rules.errors import InvalidAmountError, RulesInputError

#: Norwegian labels for input fields, used in error messages and by the UI.
FIELD_LABELS_NB: Mapping[str, str] = {
    "date": "beregningsdato",
    "municipality_number": "kommunenummer",
    "members": "husstandsmedlemmer",
    "age": "alder",
    "sex": "kjønn",
    "housing_costs_annual": "boutgifter per år",
    "income_annual": "husstandens inntekt per år",
    "net_wealth": "nettoformue",
    "home_assessed_value": "likningsverdi av egen bolig",
    "household_size": "antall personer i husstanden",
    "children_count": "antall barn under 18 år",
    "municipality_group": "kommunegruppe",
    "net_income_monthly": "netto inntekt per måned",
    "other_fixed_costs_monthly": "andre faste utgifter per måned",
    "housing_operating_costs_monthly": "løpende boutgifter per måned",
    "actual_living_costs_monthly": "faktiske utgifter til livsopphold per måned",
    "living_costs_monthly": "utgifter til livsopphold per måned",
    "living_costs_floor_monthly": "minste livsopphold per måned",
    "loan_amount": "lånebeløp",
    "term_years": "nedbetalingstid",
    "repayment_profile": "lånetype",
    "stress_rate": "kalkulasjonsrente",
    "cars_petrol": "antall bensin- og dieselbiler",
    "cars_electric": "antall elbiler",
    "living_cost_norm": "norm for livsopphold",
}


def label_nb(field: str) -> str:
    """The Norwegian label of a field (the field name itself if there is none)."""
    base = re.sub(r"\[\d+\]", "", field).rsplit(".", 1)[-1]
    return FIELD_LABELS_NB.get(base, field)


def check_amount(field: str, value: object) -> float:
    """A money amount: a real number (not bool), finite and not negative. Returns it as float."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise InvalidAmountError(
            field,
            f"«{label_nb(field)}» må være et tall (fikk {value!r}).",
            f"must be a number, got {value!r}",
        )
    number = float(value)
    if math.isnan(number) or math.isinf(number):
        raise InvalidAmountError(
            field,
            f"«{label_nb(field)}» må være et endelig tall (fikk {value!r}).",
            f"must be a finite number, got {value!r}",
        )
    if number < 0:
        raise InvalidAmountError(
            field,
            f"«{label_nb(field)}» kan ikke være negativ (fikk {value!r}).",
            f"must not be negative, got {value!r}",
        )
    return number


def check_whole(field: str, value: object, low: int, high: int) -> int:
    """A whole number (not bool) in low..high."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise RulesInputError(
            field,
            f"«{label_nb(field)}» må være et helt tall (fikk {value!r}).",
            f"must be a whole number, got {value!r}",
        )
    number = int(value)
    if not low <= number <= high:
        raise RulesInputError(
            field,
            f"«{label_nb(field)}» må være mellom {low} og {high} (fikk {number}).",
            f"must be between {low} and {high}, got {number}",
        )
    return number


def check_bool(field: str, value: object) -> bool:
    """A real bool, not a truthy string."""
    if not isinstance(value, bool | np.bool_):
        raise RulesInputError(
            field,
            f"«{label_nb(field)}» må være ja eller nei (fikk {value!r}).",
            f"must be true or false, got {value!r}",
        )
    return bool(value)


def check_date(field: str, value: object) -> dt.date:
    """A date (not a datetime)."""
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise RulesInputError(
            field,
            f"«{label_nb(field)}» må være en dato (fikk {value!r}).",
            f"must be a date, got {value!r}",
        )
    return value


def check_amount_array(field: str, values: npt.NDArray[Any]) -> None:
    """Every element a finite, non-negative number. Names the first bad element."""
    if values.dtype.kind not in "iuf":
        raise InvalidAmountError(
            field,
            f"«{label_nb(field)}» må være tall (fikk datatypen {values.dtype}).",
            f"must be numeric, got dtype {values.dtype}",
        )
    if values.size == 0 or values.dtype.kind == "u":
        return
    low = values.min()
    high = values.max()
    if low >= 0 and (values.dtype.kind == "i" or math.isfinite(high)):
        return
    bad = ~np.isfinite(values) | (values < 0) if values.dtype.kind == "f" else values < 0
    i = int(np.flatnonzero(bad)[0])
    raise InvalidAmountError(
        f"{field}[{i}]",
        f"«{label_nb(field)}» for husstand nr. {i} må være et endelig tall som ikke er negativt "
        f"(fikk {values[i]!r}).",
        f"element {i} must be a finite, non-negative number, got {values[i]!r}",
    )


def check_int_array(field: str, values: npt.NDArray[Any], low: int, high: int) -> None:
    """Every element a whole number in low..high."""
    if values.dtype.kind not in "iu":
        raise RulesInputError(
            field,
            f"«{label_nb(field)}» må være hele tall (fikk datatypen {values.dtype}).",
            f"must be whole numbers, got dtype {values.dtype}",
        )
    if values.size == 0:
        return
    if values.min() >= low and values.max() <= high:
        return
    i = int(np.flatnonzero((values < low) | (values > high))[0])
    raise RulesInputError(
        f"{field}[{i}]",
        f"«{label_nb(field)}» for nr. {i} må være mellom {low} og {high} (fikk {values[i]}).",
        f"element {i} must be between {low} and {high}, got {values[i]}",
    )


def check_bool_array(field: str, values: npt.NDArray[Any]) -> None:
    """A boolean array."""
    if values.dtype != np.bool_:
        raise RulesInputError(
            field,
            f"«{label_nb(field)}» må være ja/nei-verdier (fikk datatypen {values.dtype}).",
            f"must be a boolean array, got dtype {values.dtype}",
        )


def check_lengths(arrays: Mapping[str, npt.NDArray[Any]]) -> int:
    """All arrays one-dimensional and of the same length; returns it."""
    n: int | None = None
    first = ""
    for name, values in arrays.items():
        if values.ndim != 1:
            raise RulesInputError(
                name,
                f"«{label_nb(name)}» må være en liste med én verdi per husstand.",
                f"must be one-dimensional, got shape {values.shape}",
            )
        if n is None:
            n, first = len(values), name
        elif len(values) != n:
            raise RulesInputError(
                name,
                f"«{label_nb(name)}» har {len(values)} verdier, men «{label_nb(first)}» har {n}.",
                f"has {len(values)} values but {first} has {n}",
            )
    return n or 0
