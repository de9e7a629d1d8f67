"""Fairness monitoring: the same outcomes for groups of households, with how uncertain each
figure is (pure: NumPy in, plain data out; no Django).

Outcomes (one row per event in the period, ``Events``):

- *approval rate*: decisions on a municipal dwelling issued in the period, approvals among
  approvals and refusals;
- *wait*: days on the waiting list of households housed in the period (placed to housed);
- *offers per household*: offers made to the households housed in the period;
- *refusals*: offers answered in the period that the household refused;
- *time in temporary places*: nights of the stays in temporary accommodation that ended in the
  period.

Groups are read from what the records hold about each household (``Households``), on the day of
the event: *families with children* (a member under 18), *young people* (the main applicant 18 to
25), *refugees* (a member with residence on protection grounds, or a household settled through
the settlement of refugees; the permit is today's record, not the one on the day), *persons with
disabilities* (an application where reduced functional ability or a need for wheelchair access is
recorded), and the household's district where the outcome has one (the dwelling offered or let).
Substance use is not recorded in Husly, so that group cannot be shown.

Uncertainty, at 95 %:

- rates: the Wilson score interval (Wilson 1927), which stays inside 0 to 1 and behaves for
  small groups and rates near 0 or 1;
- medians: the distribution-free order-statistic interval: the j-th smallest and j-th largest
  values, with j the largest for which P(B <= j - 1) <= 2.5 %, B ~ Binomial(n, 1/2). It needs at
  least six values; its coverage is at least 95 % (it is exact, not an approximation);
- means (offers per household): mean ± 1.96 standard errors (sample standard deviation),
  an approximation that needs at least two values.

Small counts: a group with fewer than ``SMALL_COUNT`` events shows its count as "<5" and no
estimate (``husly.insight.suppression``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from husly.insight.suppression import SMALL_COUNT, suppressed

Z95 = 1.959963984540054
"""The standard normal quantile for a two-sided 95 % interval."""
ALPHA = 0.05
CHILD_AGE = 18
YOUNG_AGES = (18, 25)
"""Young people: the main applicant from 18 to 25 years old (both included), as in Husbanken's
and NAV's use of "unge" in housing work."""

DISABILITY_YES, DISABILITY_NO, DISABILITY_UNKNOWN = 1, 0, -1

GROUPS = ("all", "children", "young", "refugees", "disability", "disability_unknown")
"""The fixed groups; districts come after them as ``district:<name>``."""

Kind = Literal["rate", "median", "mean"]
MEASURES: dict[str, Kind] = {
    "approval": "rate",
    "wait": "median",
    "offers": "mean",
    "refusals": "rate",
    "temporary": "median",
}


@dataclass(frozen=True)
class Households:
    """What the records hold about each household, one row per household."""

    household: npt.NDArray[np.int64]
    youngest_born: npt.NDArray[np.datetime64]
    """Date of birth of the youngest member (NaT when unknown)."""
    applicant_born: npt.NDArray[np.datetime64]
    refugee: npt.NDArray[np.bool_]
    disability: npt.NDArray[np.int8]
    """1 recorded, 0 recorded as not, -1 not recorded."""


@dataclass(frozen=True)
class Events:
    """One outcome per row: whose, on which day, its value (1/0 for a rate, days or a count
    otherwise) and the district it belongs to ("" when it has none)."""

    household: npt.NDArray[np.int64]
    on: npt.NDArray[np.datetime64]
    value: npt.NDArray[np.float64]
    district: npt.NDArray[np.object_] = field(default_factory=lambda: np.array([], dtype=object))


@dataclass(frozen=True)
class Estimate:
    n: int
    estimate: float | None
    low: float | None
    high: float | None
    hits: int | None = None
    """For a rate: how many of the n (approvals, refusals)."""

    def shown(self, threshold: int = SMALL_COUNT) -> dict[str, Any]:
        """As it may leave the unit: a small group shows "<5" and no estimate or interval."""
        hidden = 0 < self.n < threshold
        return {
            "n": suppressed(self.n, threshold=threshold),
            "hits": None if self.hits is None else suppressed(self.hits, threshold=threshold),
            "suppressed": hidden,
            "estimate": None if hidden else self.estimate,
            "low": None if hidden else self.low,
            "high": None if hidden else self.high,
        }


def wilson(hits: int, n: int, z: float = Z95) -> Estimate:
    """The rate hits/n with its Wilson score interval."""
    if n == 0:
        return Estimate(0, None, None, None, hits=0)
    p = hits / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z / denominator * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return Estimate(n, p, max(0.0, centre - half), min(1.0, centre + half), hits=hits)


def _binomial_half_cdf(n: int) -> npt.NDArray[np.float64]:
    """P(B <= k) for k = 0..n, B ~ Binomial(n, 1/2), computed in logs (no overflow)."""
    k = np.arange(n + 1)
    log_pmf = np.array(
        [math.lgamma(n + 1) - math.lgamma(i + 1) - math.lgamma(n - i + 1) for i in k]
    ) - n * math.log(2)
    return np.cumsum(np.exp(log_pmf))


def median_interval(values: npt.NDArray[np.float64], alpha: float = ALPHA) -> Estimate:
    """The median with its order-statistic interval (None when n is too small for one)."""
    n = len(values)
    if n == 0:
        return Estimate(0, None, None, None)
    ordered = np.sort(values)
    median = float(np.median(ordered))
    cdf = _binomial_half_cdf(n)
    # j - 1 = the largest k with P(B <= k) <= alpha / 2; j counts from 1
    ok = np.nonzero(cdf <= alpha / 2)[0]
    if len(ok) == 0:
        return Estimate(n, median, None, None)
    j = int(ok[-1]) + 1
    return Estimate(n, median, float(ordered[j - 1]), float(ordered[n - j]))


def mean_interval(values: npt.NDArray[np.float64], z: float = Z95) -> Estimate:
    """The mean with a normal-approximation interval (None for fewer than two values)."""
    n = len(values)
    if n == 0:
        return Estimate(0, None, None, None)
    mean = float(np.mean(values))
    if n < 2:  # noqa: PLR2004 - a standard deviation needs two values
        return Estimate(n, mean, None, None)
    half = z * float(np.std(values, ddof=1)) / math.sqrt(n)
    return Estimate(n, mean, max(0.0, mean - half), mean + half)


def estimate(kind: Kind, values: npt.NDArray[np.float64]) -> Estimate:
    if kind == "rate":
        return wilson(int(np.sum(values > 0)), len(values))
    if kind == "median":
        return median_interval(values)
    return mean_interval(values)


def _ymd(days: npt.NDArray[np.datetime64]) -> tuple[npt.NDArray[np.int64], ...]:
    years = days.astype("datetime64[Y]")
    months = days.astype("datetime64[M]")
    year = years.astype(np.int64) + 1970
    month = months.astype(np.int64) - (year - 1970) * 12 + 1
    day = (days - months).astype(np.int64) + 1
    return year, month, day


def age_on(born: npt.NDArray[np.datetime64], on: npt.NDArray[np.datetime64]) -> npt.NDArray[Any]:
    """Full years of age on a day (float, NaN where the birth date is unknown)."""
    known = ~np.isnat(born)
    safe = np.where(known, born, on)
    by, bm, bd = _ymd(safe.astype("datetime64[D]"))
    oy, om, od = _ymd(on.astype("datetime64[D]"))
    before_birthday = (om < bm) | ((om == bm) & (od < bd))
    age = (oy - by - before_birthday.astype(np.int64)).astype(float)
    return np.where(known, age, np.nan)


def group_masks(households: Households, events: Events) -> dict[str, npt.NDArray[np.bool_]]:
    """For every group, which events belong to it (on the day of each event)."""
    count = len(events.household)
    order = np.argsort(households.household, kind="stable")
    ids = households.household[order]
    position = np.searchsorted(ids, events.household)
    position = np.minimum(position, max(len(ids) - 1, 0))
    found = ids[position] == events.household if len(ids) else np.zeros(count, dtype=bool)
    take = order[position] if len(ids) else np.zeros(count, dtype=np.int64)

    def column(values: npt.NDArray[Any], missing: Any) -> npt.NDArray[Any]:
        if not len(ids):
            return np.full(count, missing, dtype=values.dtype)
        return np.where(found, values[take], missing)

    nat = np.datetime64("NaT", "D")
    youngest = column(households.youngest_born.astype("datetime64[D]"), nat)
    applicant = column(households.applicant_born.astype("datetime64[D]"), nat)
    on = events.on.astype("datetime64[D]")
    child_age = age_on(youngest, on)
    applicant_age = age_on(applicant, on)
    with np.errstate(invalid="ignore"):
        young = (applicant_age >= YOUNG_AGES[0]) & (applicant_age <= YOUNG_AGES[1])
        children = child_age < CHILD_AGE
    disability = column(households.disability, DISABILITY_UNKNOWN)
    masks: dict[str, npt.NDArray[np.bool_]] = {
        "all": np.ones(count, dtype=bool),
        "children": children,
        "young": young,
        "refugees": column(households.refugee, False).astype(bool),
        "disability": disability == DISABILITY_YES,
        "disability_unknown": disability == DISABILITY_UNKNOWN,
    }
    if len(events.district) == count:
        for name in sorted({str(d) for d in events.district if d}):
            masks[f"district:{name}"] = events.district == name
    return masks


def measure(kind: Kind, households: Households, events: Events) -> dict[str, Estimate]:
    """The estimate for every group of one outcome."""
    return {
        group: estimate(kind, events.value[mask])
        for group, mask in group_masks(households, events).items()
    }


def report(
    households: Households,
    events: dict[str, Events],
    *,
    threshold: int = SMALL_COUNT,
) -> dict[str, Any]:
    """Every outcome for every group, as it may leave the unit (small counts suppressed):
    ``{"measures": {name: {group: shown estimate}}, "groups": [...], "districts": [...]}``."""
    measures: dict[str, dict[str, dict[str, Any]]] = {}
    districts: set[str] = set()
    for name, kind in MEASURES.items():
        rows = measure(kind, households, events[name])
        measures[name] = {group: e.shown(threshold) for group, e in rows.items()}
        districts |= {g.removeprefix("district:") for g in rows if g.startswith("district:")}
    return {
        "measures": measures,
        "groups": list(GROUPS),
        "districts": sorted(districts),
        "threshold": threshold,
    }


def _per_household(
    ids: npt.NDArray[np.int64], keys: npt.NDArray[np.int64], values: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """The largest value per household in ``ids`` (int64 minimum where it has none)."""
    out = np.full(len(ids), np.iinfo(np.int64).min, dtype=np.int64)
    if len(keys):
        np.maximum.at(out, np.searchsorted(ids, keys), values)
    return out


def households_from(
    *,
    member_household: npt.NDArray[np.int64],
    member_born: npt.NDArray[np.datetime64],
    member_is_applicant: npt.NDArray[np.bool_],
    member_protection: npt.NDArray[np.bool_],
    settled: npt.NDArray[np.int64],
    application_household: npt.NDArray[np.int64],
    application_disability: npt.NDArray[np.int8],
) -> Households:
    """One row per household from its members and its applications: the youngest member's
    and the main applicant's birth dates, refugee (a member on protection grounds or a
    settlement case), disability (recorded in any application: yes beats no beats unknown)."""
    ids = np.unique(np.concatenate([member_household, application_household, settled]))
    born = member_born.astype("datetime64[D]").astype(np.int64)  # NaT is the int64 minimum
    youngest = _per_household(ids, member_household, born)
    applicant = _per_household(
        ids, member_household[member_is_applicant], born[member_is_applicant]
    )
    protection = _per_household(ids, member_household, member_protection.astype(np.int64))
    refugee = (protection > 0) | np.isin(ids, settled)
    disability = _per_household(ids, application_household, application_disability.astype(np.int64))
    disability = np.where(disability == np.iinfo(np.int64).min, DISABILITY_UNKNOWN, disability)
    return Households(
        household=ids.astype(np.int64),
        youngest_born=youngest.astype("datetime64[D]"),
        applicant_born=applicant.astype("datetime64[D]"),
        refugee=refugee,
        disability=disability.astype(np.int8),
    )
