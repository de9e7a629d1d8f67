"""What the vectorised engine and the per-household reference share: the allocation classes and
their fit (from ``husly.matching``), the random draws (same stream in both), the priority view
handed to ``husly.matching.score_priority``, and the result record.

The draws are made here, in the same order and shapes by both implementations, so that the
reference (Python loops, one household at a time) is an exact oracle for the engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from husly.matching.constraints import prepare
from husly.matching.data import (
    Buildings,
    Dwellings,
    Households,
    MatchingInput,
    Vocabulary,
)
from husly.matching.policy import MatchingPolicy
from husly.matching.priority import PriorityPolicy, PriorityScores, score_priority
from husly.simulation.model import DAYS_PER_MONTH, GROUPS, MAX_ROOMS, SimulationInput

__all__ = ["DAYS_PER_MONTH"]  # re-exported for the engine and the reference

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

N_CLASSES = MAX_ROOMS * 2
REFUGEES = GROUPS.index("refugees")
MAX_WAIT_MONTHS = 240


def dwelling_class(rooms: IntArray, accessible: BoolArray) -> IntArray:
    """Allocation class of a dwelling: (rooms, wheelchair accessible)."""
    out: IntArray = (np.clip(rooms, 1, MAX_ROOMS) - 1) * 2 + accessible.astype(np.int64)
    return out


def n_sizes(policy: MatchingPolicy) -> int:
    return len(policy.occupancy.min_rooms)


def household_type(size: IntArray, wheelchair: BoolArray, sizes: int) -> IntArray:
    """Household type for allocation: (persons, capped at the norm's last entry; wheelchair)."""
    out: IntArray = (np.clip(size, 1, sizes) - 1) * 2 + wheelchair.astype(np.int64)
    return out


def fit_matrix(policy: MatchingPolicy) -> FloatArray:
    """Fit of each household type for each dwelling class, ``-1`` where not compatible.

    Computed by production matching code (``husly.matching.prepare`` on one household per type
    and one dwelling per class): the occupancy norm, wheelchair access and the fit weights are
    the municipality's own. Districts, floors, categories and the spread rule are not modelled
    (ADR 0019)."""
    sizes = n_sizes(policy)
    n_types = sizes * 2
    size = np.repeat(np.arange(1, sizes + 1), 2)
    wheel = np.tile([False, True], sizes)
    rooms = np.repeat(np.arange(1, MAX_ROOMS + 1), 2)
    acc = np.tile([False, True], MAX_ROOMS)
    zeros = np.zeros(n_types)
    households = Households(
        id=np.arange(n_types),
        size=size,
        medical=zeros,
        social=zeros,
        children=zeros,
        urgency=np.zeros(n_types, dtype=np.int64),
        waited_days=np.zeros(n_types, dtype=np.int64),
        manual_points=zeros,
        manual_reasons=("",) * n_types,
        allowed_districts=np.full(n_types, -1),
        preferred_district=np.full(n_types, -1),
        categories=np.ones(n_types, dtype=np.int64),
        needs_wheelchair=wheel,
        max_floor_without_lift=np.full(n_types, 999),
        heavy_needs=np.zeros(n_types, dtype=np.bool_),
    )
    dwellings = Dwellings(
        id=np.arange(N_CLASSES),
        building_id=np.zeros(N_CLASSES, dtype=np.int64),
        district=np.zeros(N_CLASSES, dtype=np.int64),
        rooms=rooms,
        category=np.zeros(N_CLASSES, dtype=np.int64),
        floor=np.zeros(N_CLASSES, dtype=np.int64),
        has_lift=np.ones(N_CLASSES, dtype=np.bool_),
        wheelchair_accessible=acc,
    )
    buildings = Buildings(
        id=np.array([0]), heavy_needs_tenants=np.array([0]), heavy_needs_limit=np.array([-1])
    )
    inp = MatchingInput(
        households=households,
        dwellings=dwellings,
        buildings=buildings,
        vocabulary=Vocabulary(districts=("all",), categories=("ordinary",)),
        priority_policy=PriorityPolicy(version="simulation"),
        matching_policy=policy,
    )
    prep = prepare(inp)
    hi, dj = np.meshgrid(np.arange(n_types), np.arange(N_CLASSES), indexing="ij")
    bits = prep.pair_reasons(hi.ravel(), dj.ravel()).reshape(n_types, N_CLASSES)
    fit = prep.pair_fit(hi.ravel(), dj.ravel()).reshape(n_types, N_CLASSES)
    out: FloatArray = np.where(bits == 0, fit, -1.0)
    return out


@dataclass(frozen=True)
class PriorityView:
    """The ``husly.matching.priority.PriorityInputs`` protocol over the simulation's columns."""

    id: IntArray
    medical: FloatArray
    social: FloatArray
    children: FloatArray
    urgency: IntArray
    waited_days: IntArray
    manual_points: FloatArray
    manual_reasons: tuple[str, ...]


def priority_total(  # noqa: PLR0917 - the five priority inputs
    policy: PriorityPolicy,
    medical: FloatArray,
    social: FloatArray,
    children: FloatArray,
    urgency: IntArray,
    waited_days: IntArray,
) -> FloatArray:
    """Total priority points by ``husly.matching.score_priority`` (production code)."""
    n = int(medical.shape[0])
    view = PriorityView(
        id=np.arange(n, dtype=np.int64),
        medical=medical,
        social=social,
        children=children,
        urgency=urgency,
        waited_days=waited_days,
        manual_points=np.zeros(n),
        manual_reasons=_blank_reasons(n),
    )
    scores: PriorityScores = score_priority(policy, view)
    return scores.total


_BLANK: dict[int, tuple[str, ...]] = {}


def _blank_reasons(n: int) -> tuple[str, ...]:
    if n not in _BLANK:
        _BLANK.clear()
        _BLANK[n] = ("",) * n
    return _BLANK[n]


LEVELS = 4  # assessed levels 0-3 (husly.allocation LEVEL validators)
N_URGENCY = 6  # husly.matching.Urgency


def profile_code(
    medical: FloatArray, social: FloatArray, children: FloatArray, urgency: IntArray
) -> IntArray:
    """One code per combination of the priority inputs other than time waited."""
    out: IntArray = (
        (medical.astype(np.int64) * LEVELS + social.astype(np.int64)) * LEVELS
        + children.astype(np.int64)
    ) * N_URGENCY + urgency
    return out


def priority_table(policy: PriorityPolicy, months: int) -> FloatArray:
    """Total priority points for every profile (:func:`profile_code`) and every number of months
    waited ``0..months``, computed once by ``husly.matching.score_priority`` (production code):
    the simulation then looks each household's points up instead of rescoring the whole list
    every month (the points depend on nothing else)."""
    n_prof = LEVELS**3 * N_URGENCY
    code = np.arange(n_prof)
    urgency = code % N_URGENCY
    rest = code // N_URGENCY
    children, rest = rest % LEVELS, rest // LEVELS
    social, medical = rest % LEVELS, rest // LEVELS
    waited = np.arange(months + 1)
    p = np.repeat(code, waited.size)
    w = np.tile(waited, n_prof)
    total = priority_total(
        policy,
        medical[p].astype(np.float64),
        social[p].astype(np.float64),
        children[p].astype(np.float64),
        urgency[p],
        waited_days(0, -w),
    )
    out: FloatArray = total.reshape(n_prof, waited.size)
    return out


def waited_days(month: int, arrived: IntArray) -> IntArray:
    out: IntArray = np.rint((month - arrived) * DAYS_PER_MONTH).astype(np.int64)
    return out


def sort_key(total: FloatArray, tiebreak: FloatArray, active: BoolArray) -> FloatArray:
    """Order of offers: highest priority first (to 0.001 points, as the matching's weight grid),
    ties by the household's seeded tie-break."""
    key: FloatArray = np.where(active, -np.round(total * 1000.0) - tiebreak, np.inf)
    return key


def steps(month: int, per_year: float) -> int:
    """Whole units of a yearly number that fall in ``month`` (spread evenly, no randomness)."""
    return int(np.floor((month + 1) * per_year / 12.0) - np.floor(month * per_year / 12.0))


def initial_capacity(inp: SimulationInput) -> int:
    monthly = float(sum(inp.rates.arrivals_per_month))
    return len(inp.waiting) + max(64, int(np.ceil(6 * monthly)))


def stock_capacity(inp: SimulationInput) -> int:
    lv = inp.levers
    per_year = lv.bought_per_year + lv.head_leased_per_year
    return len(inp.stock) + sum(steps(m, per_year) for m in range(inp.horizon_months))


def added_dwelling(inp: SimulationInput, k: int) -> tuple[int, bool]:
    """Rooms and access of the ``k``-th dwelling bought or head-leased: like today's stock."""
    d = len(inp.stock)
    if d == 0:
        return 2, False
    j = (k * 7919) % d
    return int(inp.stock.rooms[j]), bool(inp.stock.wheelchair_accessible[j])


# --- the random stream (same calls, same order, in both implementations) -----------------------


def draw_dwellings(rng: np.random.Generator, runs: int, n: int) -> NDArray[np.float32]:
    """One uniform per dwelling and month (single precision: the largest array drawn; compared
    with double-precision thresholds, see :class:`Thresholds`)."""
    return rng.random((runs, n), dtype=np.float32)


def float32_bound(threshold: FloatArray) -> NDArray[np.float32]:
    """Per entry, the smallest single-precision number >= ``threshold``: for a single-precision
    *x*, ``x < threshold`` exactly when ``x < float32_bound(threshold)`` (no double-precision
    copy of the whole array needed)."""
    low = np.asarray(threshold, dtype=np.float64).astype(np.float32)
    below = low.astype(np.float64) < threshold
    out: NDArray[np.float32] = np.where(below, np.nextafter(low, np.float32(np.inf)), low)
    return out


#: Entropy mixed into the seed for the parameter draws: a stream of its own, so the monthly
#: draws of a run are those of the same seed whether or not its rates are uncertain.
PARAMETER_STREAM = 0x5A7E


@dataclass(frozen=True)
class RunRates:
    """The rates each run uses (one row per run): the estimates themselves, or drawn from their
    uncertainty when :class:`Rates` says what they were read from (:func:`draw_run_rates`)."""

    arrivals: FloatArray  # (runs, groups), a month
    move: FloatArray  # (runs,), monthly hazard
    evict: FloatArray  # (runs,), monthly hazard
    refusal: FloatArray  # (runs,), share of offers refused
    #: Per group, (runs, templates of the group): each run's cumulative shares of the group's
    #: templates among its arrivals, plus the run's index (so one search serves all runs:
    #: :func:`pick_templates`); ``None``: every template equally likely, in all runs.
    mix: tuple[FloatArray | None, ...] = ()


def pick_templates(mix: FloatArray, rows: IntArray, u: FloatArray) -> IntArray:
    """Which of a group's templates each arrival copies (position in the group's pool), by its
    run's shares (``RunRates.mix``) and a uniform ``u``: one search over all runs at once (the
    reference calls it with one arrival at a time, so both get the same answer)."""
    n = mix.shape[1]
    at = np.searchsorted(mix.ravel(), u + rows, side="right") - rows * n
    out: IntArray = np.clip(at, 0, n - 1).astype(np.int64)
    return out


def _multiplier(rng: np.random.Generator, events: FloatArray, shape: tuple[int, ...]) -> FloatArray:
    """Gamma(k, 1/k) of mean 1 where ``k`` > 0 (a rate read from no events stays as read)."""
    k = np.broadcast_to(events, shape)
    out: FloatArray = rng.gamma(np.where(k > 0, k, 1.0), 1.0 / np.where(k > 0, k, 1.0), size=shape)
    return np.where(k > 0, out, 1.0)


def draw_run_rates(inp: SimulationInput) -> RunRates:
    """Each run's rates. Without observed counts, the estimates in every run. With them (see
    :class:`Rates`), from their own stream of the seed (:data:`PARAMETER_STREAM`), before the
    months begin, the same in both implementations:

    * per run and group, the arrival rate times a Gamma(*k*, 1/*k*) multiplier (*k* the
      applications counted), and the mix of arrivals within the group as a Bayesian bootstrap
      of the arrivals seen (Dirichlet(1, ..., 1) shares of the group's templates);
    * per run, both tenancy hazards times one Gamma multiplier from the moves and evictions
      counted;
    * per run, the refusal share from Beta(*r*, *n* - *r*).
    """
    r, runs = inp.rates, inp.runs
    arrivals = np.tile(np.asarray(r.arrivals_per_month, dtype=np.float64), (runs, 1))
    move = np.full(runs, r.move_out_per_month)
    evict = np.full(runs, r.eviction_per_month)
    refusal = np.full(runs, r.refusal_share)
    mix: list[FloatArray | None] = []
    if not r.uncertain:
        return RunRates(arrivals=arrivals, move=move, evict=evict, refusal=refusal)
    rng = np.random.default_rng([inp.seed, PARAMETER_STREAM])
    if r.arrivals_observed is not None:
        k = np.asarray(r.arrivals_observed, dtype=np.float64)
        arrivals = arrivals * _multiplier(rng, k, arrivals.shape)
        group = inp.templates.group
        weights = rng.gamma(1.0, 1.0, size=(runs, group.shape[0]))
        for g in range(len(GROUPS)):
            mine = weights[:, group == g]
            if mine.shape[1] < 2:  # noqa: PLR2004 - one template or none: nothing to mix
                mix.append(None)
                continue
            cum = np.cumsum(mine, axis=1)
            mix.append(np.ascontiguousarray(cum / cum[:, -1:] + np.arange(runs)[:, None]))
    if r.ends_observed:
        scale = _multiplier(rng, np.full(runs, float(r.ends_observed)), (runs,))
        total = np.minimum((move + evict) * scale, 1.0)
        share = r.eviction_per_month / max(r.move_out_per_month + r.eviction_per_month, 1e-300)
        evict = total * share
        move = total - evict
    if r.offers_observed:
        refused = r.refusal_share * r.offers_observed
        kept = r.offers_observed - refused
        if refused > 0 and kept > 0:
            refusal = rng.beta(refused, kept, size=runs)
    return RunRates(arrivals=arrivals, move=move, evict=evict, refusal=refusal, mix=tuple(mix))


@dataclass(frozen=True)
class Thresholds:
    """Cut points on a dwelling's monthly uniform *u*, per run. At the lease's end: *u* <
    ``leave`` the tenant leaves; < ``fail`` the renewal test refuses (< ``back_nr``: and comes
    back onto the list); otherwise renewed. During the lease: *u* < ``evict`` evicted
    (< ``back_ev``: comes back); < ``move`` moves out. Kept as NumPy doubles so
    single-precision draws compare in double precision in both implementations."""

    leave: FloatArray
    fail: FloatArray
    back_nr: FloatArray
    evict: FloatArray
    back_ev: FloatArray
    move: FloatArray

    @classmethod
    def of(cls, inp: SimulationInput, run_rates: RunRates) -> Thresholds:
        r = inp.rates
        fail = r.renewal_test_fail_share if inp.levers.renewal_income_test else 0.0
        leave = r.leave_at_lease_end
        evict = run_rates.evict
        one = np.ones(inp.runs)
        return cls(
            leave=one * leave,
            fail=one * (leave + fail),
            back_nr=one * (leave + fail * r.return_after_nonrenewal),
            evict=evict.copy(),
            back_ev=evict * r.return_after_eviction,
            move=evict + run_rates.move,
        )


def draw_arrival_counts(rng: np.random.Generator, lam: FloatArray) -> IntArray:
    """Arrivals this month, (runs, groups), from each run's rates."""
    return rng.poisson(lam).astype(np.int64)


def draw_arrivals(rng: np.random.Generator, runs: int, n: int) -> FloatArray:
    """Per arrival: template, tie-break, residence test."""
    return rng.random((runs, n, 3))


def draw_settlement(rng: np.random.Generator, ready: IntArray, share: float) -> IntArray:
    if share <= 0:
        return np.zeros(ready.shape[0], dtype=np.int64)
    return rng.binomial(ready, share).astype(np.int64)


def draw_loans(rng: np.random.Generator, runs: int, per_year: float) -> IntArray:
    if per_year <= 0:
        return np.zeros(runs, dtype=np.int64)
    return rng.poisson(per_year / 12.0, size=runs).astype(np.int64)


def draw_refusals(rng: np.random.Generator, runs: int, n: int) -> FloatArray:
    return rng.random((runs, n))


# --- results -----------------------------------------------------------------------------------


@dataclass
class Tally:
    """Per-run counters, filled month by month."""

    runs: int
    months: int
    initial: int
    queue: IntArray = field(init=False)
    in_temporary: IntArray = field(init=False)
    vacant: IntArray = field(init=False)
    wait_hist: IntArray = field(init=False)
    housed_by_group: IntArray = field(init=False)
    settled: IntArray = field(init=False)
    loans: IntArray = field(init=False)
    offers: IntArray = field(init=False)
    refusals: IntArray = field(init=False)
    removed_after_refusal: IntArray = field(init=False)
    evictions: IntArray = field(init=False)
    not_renewed: IntArray = field(init=False)
    renewed: IntArray = field(init=False)
    residence_refused: IntArray = field(init=False)
    arrivals: IntArray = field(init=False)
    promise_kept: IntArray = field(init=False)
    promise_broken: IntArray = field(init=False)
    exits: IntArray = field(init=False)
    sojourn_months: IntArray = field(init=False)
    temporary_months: IntArray = field(init=False)
    temporary_ended: IntArray = field(init=False)
    first_offer: IntArray = field(init=False)
    stock_end: IntArray = field(init=False)
    applications: IntArray = field(init=False)
    residence_refused_by_group: IntArray = field(init=False)
    moved_out: IntArray = field(init=False)
    exposure: IntArray = field(init=False)
    lease_ends: IntArray = field(init=False)
    left_at_end: IntArray = field(init=False)
    back_after_nonrenewal: IntArray = field(init=False)
    back_after_eviction: IntArray = field(init=False)

    def __post_init__(self) -> None:
        r, m, g = self.runs, self.months, len(GROUPS)
        for name in ("queue", "in_temporary", "vacant"):
            setattr(self, name, np.zeros((r, m), dtype=np.int64))
        self.wait_hist = np.zeros((r, MAX_WAIT_MONTHS + 1), dtype=np.int64)
        self.housed_by_group = np.zeros((r, g), dtype=np.int64)
        self.applications = np.zeros((r, g), dtype=np.int64)
        self.residence_refused_by_group = np.zeros((r, g), dtype=np.int64)
        for name in (
            "settled",
            "loans",
            "offers",
            "refusals",
            "removed_after_refusal",
            "evictions",
            "not_renewed",
            "renewed",
            "residence_refused",
            "arrivals",
            "promise_kept",
            "promise_broken",
            "exits",
            "sojourn_months",
            "temporary_months",
            "temporary_ended",
            "stock_end",
            "moved_out",
            "exposure",
            "lease_ends",
            "left_at_end",
            "back_after_nonrenewal",
            "back_after_eviction",
        ):
            setattr(self, name, np.zeros(r, dtype=np.int64))
        self.first_offer = np.full((r, self.initial), -1, dtype=np.int64)

    def to_dict(self) -> dict[str, Any]:
        return {
            name: getattr(self, name).tolist()
            for name in self.__dataclass_fields__
            if name not in ("runs", "months", "initial")
        }
