"""Batch proposal: which waiting household for each vacant dwelling, optimal over the whole round.

Objective (see ``docs/matching.md``): maximise the total priority-weighted fit, Σ priority × fit,
over all proposed (household, dwelling) pairs, subject to the hard constraints of
``husly.matching.constraints``. With ``MatchingPolicy.top_band_first`` (the default) the objective
is lexicographic: first house as many households of the top priority band as possible, then
maximise weighted fit. It is exact: every top-band pair gets a bonus larger than any possible total
of weighted fit. Source: strict prioritisation of the most disadvantaged (oslo L4353–4355;
raelingen point 6, L5451–5463).

Solver (``husly.matching.solver``; measured in ``docs/decisions/0006-matching-solver.md``):

1. Feasible pairs are built block by block (district × rooms), vectorised with NumPy; a pair's
   weight is priority × fit rounded to ``weight_resolution`` (0.001 points), plus the bonus.
2. Each dwelling keeps every top-band pair and its ``k`` best other pairs; the sparse problem is
   solved exactly with ``scipy.sparse.csgraph.min_weight_full_bipartite_matching`` (LAPJVsp) per
   connected component, with a "leave vacant" option per dwelling when needed.
3. Certificate (LP duality): the kept-graph optimum is optimal for the full graph when every
   dwelling's list is complete, holds a household left unmatched, or the dwelling's dual price
   covers the best dropped pair. Failing dwellings get longer lists and the solve repeats. So the
   result is exact, not a heuristic.
4. Ties (equal weight to 0.001 points) go to the solver in a seeded order of dwellings and
   households; ``SolverOptions(tie_break="seeded_jitter")`` instead adds a seeded per-pair jitter
   below one resolution step, making the optimum unique (slower).

Spread rule (at most N heavy-needs tenants per building) is a side constraint that breaks the
matching structure (its LP is not integral, see ``docs/matching.md``). Buildings already at their
limit make heavy-needs pairs infeasible; buildings with room for all their vacancies cannot bind;
if the optimum without the rule respects it, it is optimal (``"not_binding"``). Otherwise
``solver.solve_spread`` solves it exactly: LP by column generation (HiGHS, warm-started), certified
by an integer Lagrangian bound (``"exact_lp"``), or closed by branch and bound (``"exact_milp"``).
Past ``SolverOptions.time_limit`` the best proposal found is returned with its proven gap
(``"bounded"``). Every claim in :class:`SolverReport` comes from a bound computed in the run.

The round is solved in a canonical order (sorted by id) and mapped back, so the order of the input
arrays never changes the result; the seed chooses among equally good proposals.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from husly.matching import solver
from husly.matching.constraints import UNLIMITED, Prepared, prepare
from husly.matching.data import MatchingInput
from husly.matching.explain import Reason, reason
from husly.matching.priority import PriorityBreakdown
from husly.matching.shortlist import dwelling_position, rank_for_dwelling

__all__ = [
    "Assignment",
    "BatchProposal",
    "DwellingExplanation",
    "HouseholdExplanation",
    "ReplayMismatchError",
    "SolverOptions",
    "SolverReport",
    "propose_batch",
    "propose_greedy",
    "replay",
]

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

PROPOSAL_FORMAT = "husly.matching.proposal/1"


@dataclass(frozen=True)
class SolverOptions:
    """How to solve; recorded with each proposal so a replay uses the same settings.

    ``method``: ``"sparse"`` (default: LAPJVsp per component) or ``"components"`` (dense
    ``linear_sum_assignment`` per component; kept for measurement). ``initial_k``: non-top-band
    candidates kept per dwelling before the certificate check. ``time_limit``: seconds the exact
    spread-rule phase may take (LP, then branch and bound); past it the best proposal found is
    returned with its proven gap. ``tie_break``: ``"seeded_order"`` or ``"seeded_jitter"`` (see
    the module docstring). ``repair_rounds`` and ``focus``: settings of the repair heuristic used
    only when the exact phase runs out of time.
    """

    method: str = "sparse"
    initial_k: int = 56
    time_limit: float = 30.0
    tie_break: str = "seeded_order"
    repair_rounds: int = 0
    focus: int = 4

    def __post_init__(self) -> None:
        if self.method not in ("sparse", "components"):
            raise ValueError(f"unknown method {self.method!r}")
        if self.tie_break not in ("seeded_order", "seeded_jitter"):
            raise ValueError(f"unknown tie_break {self.tie_break!r}")
        if self.initial_k < 1 or self.focus < 1:
            raise ValueError("initial_k and focus must be positive")
        if self.time_limit < 0 or self.repair_rounds < 0:
            raise ValueError("time_limit and repair_rounds cannot be negative")

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "initial_k": self.initial_k,
            "time_limit": self.time_limit,
            "tie_break": self.tie_break,
            "repair_rounds": self.repair_rounds,
            "focus": self.focus,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SolverOptions:
        names = ("method", "initial_k", "time_limit", "tie_break", "repair_rounds", "focus")
        return cls(**{k: data[k] for k in names if k in data})


@dataclass(frozen=True)
class SolverReport:
    """How the proposal was computed, and exactly what the run proved about it.

    A claim is made only from a bound computed in this run (``dual_bound``, in solver units:
    whole numbers of ``weight_resolution`` steps, the top-band bonus included):

    * ``certified_optimal``: the proposal's objective equals the bound, so no proposal is better
      (lexicographically: as many top-band households, then as much weighted fit).
    * ``top_band_gap``: at most this many more top-band households could have been housed
      (0 proves the top-band count optimal, ``top_band_count_optimal``). It is the bound divided
      by the bonus, rounded down, minus the count housed; valid because weighted fit alone never
      reaches one bonus.
    * ``weight_gap``: the best proposal's weighted fit is at most this many points above this
      one's (``weight_gap_percent`` of this one's weighted fit). It holds whatever the top-band
      count of the best proposal, since that count is at least this one's.

    ``spread_rule``: ``"off"``, ``"not_binding"`` (the optimum without the rule respects it),
    ``"exact_relaxation"`` (a proposal found under the time limit reached the optimum without
    the rule), ``"exact_lp"`` (the linear relaxation's optimum is a whole proposal),
    ``"exact_milp"`` (closed by branch and bound) or ``"bounded"`` (the exact phase ran out of
    ``time_limit``: the best proposal found, with the gap above). ``objective_value`` and
    ``relaxation_value`` are in points (bonus included), the latter the optimum without the
    spread rule.
    """

    method: str
    objective: str
    spread_rule: str
    certified_optimal: bool
    top_band_count_optimal: bool
    top_band_housed: int
    top_band_gap: int
    weight_gap: float
    weight_gap_percent: float
    gap_bound: float
    objective_value: float
    dual_bound: float
    relaxation_value: float
    top_band_bonus: float
    feasible_pairs: int
    candidate_pairs: int
    solves: int
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Assignment:
    """One proposed offer: household for dwelling, with its priority, band and fit."""

    dwelling_id: int
    household_id: int
    priority_points: float
    band: str
    fit: float
    weighted_fit: float

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class DwellingExplanation:
    """Why a dwelling got this household (or none), and what happened to higher-priority ones."""

    dwelling_id: int
    household_id: int | None
    priority: PriorityBreakdown | None
    fits: tuple[Reason, ...]
    others: tuple[Reason, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "dwelling_id": self.dwelling_id,
            "household_id": self.household_id,
            "priority": None if self.priority is None else self.priority.to_dict(),
            "fits": [r.to_dict() for r in self.fits],
            "others": [r.to_dict() for r in self.others],
        }


@dataclass(frozen=True)
class HouseholdExplanation:
    """Whether a household is proposed a dwelling in this round, and why (not)."""

    household_id: int
    dwelling_id: int | None
    priority: PriorityBreakdown
    reasons: tuple[Reason, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "household_id": self.household_id,
            "dwelling_id": self.dwelling_id,
            "priority": self.priority.to_dict(),
            "reasons": [r.to_dict() for r in self.reasons],
        }


class ReplayMismatchError(RuntimeError):
    """A replayed proposal differs from the stored one (input or result)."""


@dataclass(frozen=True, eq=False)
class BatchProposal:
    """A proposal for a round of vacancies. ``match[j]`` is the household position proposed for
    dwelling position ``j`` (-1: left vacant). Serialise with :meth:`to_dict`, replay with
    :func:`replay`, explain with :meth:`explain_dwelling` and :meth:`explain_household`."""

    prepared: Prepared = field(repr=False)
    match: IntArray = field(repr=False)
    options: SolverOptions
    report: SolverReport

    @property
    def input(self) -> MatchingInput:
        return self.prepared.inp

    @property
    def assignments(self) -> tuple[Assignment, ...]:
        p = self.prepared
        js = np.flatnonzero(self.match >= 0)
        hs = self.match[js]
        fit = p.pair_fit(hs, js)
        weighted = p.weighted_fit(hs, fit)
        return tuple(
            Assignment(
                dwelling_id=int(p.inp.dwellings.id[j]),
                household_id=int(p.inp.households.id[i]),
                priority_points=float(p.scores.total[i]),
                band=p.scores.band_name(int(i)),
                fit=float(fit[k]),
                weighted_fit=float(weighted[k]),
            )
            for k, (j, i) in enumerate(zip(js, hs, strict=True))
        )

    @property
    def vacant_dwelling_ids(self) -> tuple[int, ...]:
        return tuple(int(x) for x in self.input.dwellings.id[self.match < 0])

    @property
    def total_weighted_fit(self) -> float:
        js = np.flatnonzero(self.match >= 0)
        hs = self.match[js]
        p = self.prepared
        return float(p.weighted_fit(hs, p.pair_fit(hs, js)).sum())

    def housed_by_band(self) -> dict[str, int]:
        p = self.prepared
        bands = p.scores.band[self.match[self.match >= 0]]
        counts = np.bincount(bands.astype(np.int64), minlength=len(p.inp.priority_policy.bands))
        return {name: int(counts[k]) for k, name in enumerate(p.inp.priority_policy.band_names)}

    def to_dict(self, *, include_input: bool = True) -> dict[str, Any]:
        """A JSON-able record of the run; with the input it is a replayable snapshot."""
        out: dict[str, Any] = {
            "format": PROPOSAL_FORMAT,
            "input_digest": self.input.digest(),
            "priority_policy_version": self.input.priority_policy.version,
            "matching_policy_version": self.input.matching_policy.version,
            "seed": self.input.seed,
            "options": self.options.to_dict(),
            "report": self.report.to_dict(),
            "assignments": [a.to_dict() for a in self.assignments],
            "vacant_dwelling_ids": list(self.vacant_dwelling_ids),
            "total_weighted_fit": self.total_weighted_fit,
            "housed_by_band": self.housed_by_band(),
        }
        if include_input:
            out["input"] = self.input.to_dict()
        return out

    # --- explanations ----------------------------------------------------------------------------

    def _assigned_dwelling(self) -> IntArray:
        owner = np.full(len(self.input.households), -1, dtype=np.int64)
        js = np.flatnonzero(self.match >= 0)
        owner[self.match[js]] = js
        return owner

    def explain_dwelling(self, dwelling_id: int, *, limit: int = 5) -> DwellingExplanation:
        """Why this dwelling is proposed to its household; which higher-priority households were
        passed over, and why (proposed elsewhere, lower weighted fit here, or incompatible)."""
        p = self.prepared
        j = dwelling_position(p, dwelling_id)
        order, _, weighted, bits = rank_for_dwelling(p, j)
        owner = self._assigned_dwelling()
        ids, dids = p.inp.households.id, p.inp.dwellings.id
        total = p.scores.total
        i = int(self.match[j])
        if i < 0:
            fits: tuple[Reason, ...]
            if order.size == 0:
                fits = (reason("left_vacant_no_compatible"),)
            else:
                fits = (reason("left_vacant_all_taken", n=int(order.size)),)
            return DwellingExplanation(dwelling_id, None, None, fits, ())
        note = (
            f" (først flest mulig i prioritetsgruppe {p.inp.priority_policy.top_band}, "
            "deretter vektet passform)"
            if p.inp.matching_policy.top_band_first
            else ""
        )
        top_band = p.inp.priority_policy.top_band if p.inp.matching_policy.top_band_first else ""
        fits = (reason("proposed", band_note=note, top_band=top_band), *p.why_fits(i, j))
        this_weighted = float(weighted[np.flatnonzero(order == i)[0]])
        others: list[Reason] = []
        higher = total[order] > total[i]
        cand = order[higher]
        cand_w = weighted[higher]
        by_points = np.argsort(-total[cand], kind="stable")[:limit]
        for k in by_points:
            h = int(cand[k])
            if owner[h] >= 0:
                others.append(
                    reason(
                        "higher_priority_elsewhere",
                        household=int(ids[h]),
                        points=float(total[h]),
                        dwelling=int(dids[owner[h]]),
                    )
                )
            else:
                others.append(
                    reason(
                        "higher_priority_not_housed",
                        household=int(ids[h]),
                        points=float(total[h]),
                        weighted=float(cand_w[k]),
                        this_weighted=this_weighted,
                    )
                )
        bad = np.flatnonzero((bits != 0) & (total > total[i]))
        bad = bad[np.argsort(-total[bad], kind="stable")][:limit]
        for hb in bad:
            why_not = p.why_not(int(hb), j, int(bits[hb]))
            others.append(
                reason(
                    "higher_priority_incompatible",
                    household=int(ids[hb]),
                    points=float(total[hb]),
                    why=" ".join(r.text for r in why_not),
                    reasons=[r.to_dict() for r in why_not],
                )
            )
        return DwellingExplanation(
            dwelling_id, int(ids[i]), p.scores.breakdown(i), fits, tuple(others)
        )

    def explain_household(self, household_id: int) -> HouseholdExplanation:
        """The dwelling proposed to this household and why, or why none was."""
        p = self.prepared
        i = p.scores.index_of(household_id)
        owner = self._assigned_dwelling()
        breakdown = p.scores.breakdown(i)
        if owner[i] >= 0:
            j = int(owner[i])
            return HouseholdExplanation(
                household_id, int(p.inp.dwellings.id[j]), breakdown, p.why_fits(i, j)
            )
        n_d = len(p.inp.dwellings)
        bits = p.pair_reasons(np.full(n_d, i, dtype=np.int64), np.arange(n_d, dtype=np.int64))
        compatible = int(np.count_nonzero(bits == 0))
        if compatible == 0:
            return HouseholdExplanation(
                household_id, None, breakdown, (reason("not_housed_no_compatible"),)
            )
        return HouseholdExplanation(
            household_id, None, breakdown, (reason("not_housed_outranked", n=compatible),)
        )


# --- the solver ----------------------------------------------------------------------------------


def _canonical(inp: MatchingInput) -> tuple[MatchingInput, IntArray, IntArray]:
    """The same round with households, dwellings and buildings sorted by id, and the two orders
    used. Solving the canonical round makes the result independent of the input's array order
    by construction (every later step, the LP and branch and bound included, sees the same
    arrays whatever order the caller used)."""
    h_order = np.argsort(inp.households.id, kind="stable").astype(np.int64)
    d_order = np.argsort(inp.dwellings.id, kind="stable").astype(np.int64)
    b_order = np.argsort(inp.buildings.id, kind="stable").astype(np.int64)

    def take(table: Any, order: IntArray) -> Any:
        values: dict[str, Any] = {}
        for f in dataclasses.fields(table):
            value = getattr(table, f.name)
            if isinstance(value, np.ndarray):
                values[f.name] = value[order]
            else:
                values[f.name] = tuple(value[int(k)] for k in order)
        return type(table)(**values)

    canonical = MatchingInput(
        households=take(inp.households, h_order),
        dwellings=take(inp.dwellings, d_order),
        buildings=take(inp.buildings, b_order),
        vocabulary=inp.vocabulary,
        priority_policy=inp.priority_policy,
        matching_policy=inp.matching_policy,
        seed=inp.seed,
    )
    return canonical, h_order, d_order


def _repair(
    prep: Prepared,
    *,
    builder: solver.PairBuilder,
    g: solver.Graph,
    match: IntArray,
    watched: IntArray,
    options: SolverOptions,
) -> tuple[IntArray, solver.Graph, int]:
    """Fallback when the exact phase runs out of time: close dwellings to heavy-needs households
    in the buildings where the rule binds and re-solve exactly under that restriction. The
    result respects the rule; what it proves is only the relaxation bound (see the report)."""
    solves = 0
    for rounds in range(options.repair_rounds + 1):
        load = solver.heavy_load(prep, match)[watched]
        if rounds < options.repair_rounds:
            closing = watched[load >= prep.building_room[watched]]
        else:
            closing = watched  # every building where the rule can bind: this ends it
        solver.designate(prep, builder, g, match, closing)
        g = solver.focus(g.without(builder.heavy_barred_pairs(g)), match, options.focus)
        match, g, more = solver.solve_certified(builder, g, options.method)
        solves += more
        over = solver.heavy_load(prep, match)[watched] > prep.building_room[watched]
        if not over.any():
            break
    return match, g, solves


def propose_batch(inp: MatchingInput, options: SolverOptions | None = None) -> BatchProposal:
    """Optimal proposal for a round of vacant dwellings (see the module docstring), with a report
    of exactly what the run proved (:class:`SolverReport`)."""
    started = time.perf_counter()
    options = options or SolverOptions()
    canonical, h_order, d_order = _canonical(inp)
    prep = prepare(canonical)
    n_rows = len(inp.dwellings)
    builder = solver.PairBuilder(
        prep,
        top_band_first=inp.matching_policy.top_band_first,
        jitter=options.tie_break == "seeded_jitter",
    )
    k0 = np.full(n_rows, options.initial_k, dtype=np.int64)
    g, feasible = builder.build(np.arange(n_rows, dtype=np.int64), k0)
    match, g, solves = solver.solve_certified(builder, g, options.method)
    relaxed = g.objective(match)  # proven optimal without the spread rule
    bound = relaxed

    rule_on = bool(np.any(prep.building_limit < UNLIMITED))
    watched = solver.watched_buildings(prep)
    spread = "not_binding" if rule_on else "off"
    over = solver.heavy_load(prep, match)[watched] > prep.building_room[watched]
    if over.any():
        exact = solver.solve_spread(
            builder, g, match, watched, time.perf_counter() + options.time_limit
        )
        if exact is not None:
            match, g, spread = exact.match, exact.graph, exact.how
            bound = min(exact.bound, relaxed)
            solves += exact.solves
        else:
            match, g, more = _repair(
                prep, builder=builder, g=g, match=match, watched=watched, options=options
            )
            # proven optimal only if it reaches the relaxation's value (the report checks)
            spread = "exact_relaxation" if g.objective(match) >= relaxed else "bounded"
            solves += more
    value = g.objective(match)
    report = _report(
        prep,
        builder=builder,
        options=options,
        match=match,
        value=value,
        bound=bound,
        relaxed=relaxed,
        spread=spread,
    )
    report = dataclasses.replace(
        report,
        feasible_pairs=feasible,
        candidate_pairs=int(g.rows.size),
        solves=solves,
        seconds=time.perf_counter() - started,
    )
    original = np.full(n_rows, -1, dtype=np.int64)
    js = np.flatnonzero(match >= 0)
    original[d_order[js]] = h_order[match[js]]
    return BatchProposal(prepared=prepare(inp), match=original, options=options, report=report)


def _report(
    prep: Prepared,
    *,
    builder: solver.PairBuilder,
    options: SolverOptions,
    match: IntArray,
    value: float,
    bound: float,
    relaxed: float,
    spread: str,
) -> SolverReport:
    """What ``value`` against ``bound`` proves, in whole weight steps (the jitter removed: it is
    below one step for a whole proposal, so ``floor(x / scale)`` is the weight part)."""
    res, bonus = builder.resolution, builder.bonus
    value_w = float(np.floor(value / builder.scale))
    bound_w = max(float(np.floor(bound / builder.scale)), value_w)
    relaxed_w = float(np.floor(relaxed / builder.scale))
    top_first = prep.inp.matching_policy.top_band_first
    housed = match[match >= 0]
    count = int(np.count_nonzero(prep.top_band[housed]))
    if top_first and bonus > 0:
        top_gap = max(int(bound_w // bonus) - count, 0)
        fit_w = value_w - bonus * count
        best_fit = bound_w - bonus * count if top_gap == 0 else min(bound_w - bonus * count, bonus)
        weight_gap_w = max(best_fit - fit_w, 0.0)
    else:
        top_gap = 0
        fit_w = value_w
        weight_gap_w = bound_w - value_w
    return SolverReport(
        method=options.method,
        objective="top_band_then_weighted_fit" if top_first else "weighted_fit",
        spread_rule=spread,
        certified_optimal=bound_w <= value_w,
        top_band_count_optimal=top_first and top_gap == 0,
        top_band_housed=count,
        top_band_gap=top_gap,
        weight_gap=round(weight_gap_w * res, 6),
        weight_gap_percent=round(100.0 * weight_gap_w / fit_w, 6) if fit_w > 0 else 0.0,
        gap_bound=round((bound_w - value_w) * res, 6),
        objective_value=round(value_w * res, 6),
        dual_bound=round(bound_w * res, 6),
        relaxation_value=round(relaxed_w * res, 6),
        top_band_bonus=round(bonus * res, 6),
        feasible_pairs=0,
        candidate_pairs=0,
        solves=0,
        seconds=0.0,
    )


def propose_greedy(inp: MatchingInput) -> BatchProposal:
    """Baseline: highest priority first, each household takes its best-fitting free dwelling
    (same constraints, spread rule included). For comparison and benchmarks only."""
    started = time.perf_counter()
    prep = prepare(inp)
    n_rows, n_cols = len(inp.dwellings), len(inp.households)
    builder = solver.PairBuilder(prep, top_band_first=False)
    g, feasible = builder.build(
        np.arange(n_rows, dtype=np.int64), np.full(n_rows, max(n_cols, 1), dtype=np.int64)
    )
    fit = prep.pair_fit(g.cols, g.rows)
    by_household = np.lexsort((prep.dwelling_rank[g.rows], -fit, g.cols))
    cols_sorted = g.cols[by_household]
    starts = np.searchsorted(cols_sorted, np.arange(n_cols))
    ends = np.searchsorted(cols_sorted, np.arange(n_cols), side="right")
    order = np.lexsort((prep.household_rank, -prep.scores.total))
    taken = np.zeros(n_rows, dtype=np.bool_)
    room = prep.building_room.copy()
    heavy = inp.households.heavy_needs
    match = np.full(n_rows, -1, dtype=np.int64)
    left = n_rows
    for i in order:
        if left == 0:
            break
        s, e = starts[i], ends[i]
        if s == e:
            continue
        js = g.rows[by_household[s:e]]  # best fit first
        free = ~taken[js]
        if heavy[i]:
            free &= room[prep.dwelling_building[js]] > 0
        hit = np.flatnonzero(free)
        if hit.size == 0:
            continue
        j = int(js[hit[0]])
        match[j] = i
        taken[j] = True
        left -= 1
        if heavy[i]:
            room[prep.dwelling_building[j]] -= 1
    report = SolverReport(
        method="greedy_priority_first",
        objective="priority_order",
        spread_rule="respected_greedily",
        certified_optimal=False,
        top_band_count_optimal=False,
        top_band_housed=int(np.count_nonzero(prep.top_band[match[match >= 0]])),
        top_band_gap=-1,
        weight_gap=float("nan"),
        weight_gap_percent=float("nan"),
        gap_bound=float("nan"),
        objective_value=float("nan"),
        dual_bound=float("nan"),
        relaxation_value=float("nan"),
        top_band_bonus=0.0,
        feasible_pairs=feasible,
        candidate_pairs=int(g.rows.size),
        solves=1,
        seconds=time.perf_counter() - started,
    )
    return BatchProposal(prepared=prep, match=match, options=SolverOptions(), report=report)


def replay(snapshot: Mapping[str, Any]) -> BatchProposal:
    """Re-run a stored proposal (``BatchProposal.to_dict()``) from its own input and options, and
    check that input digest and assignments are identical. Raises :class:`ReplayMismatchError`."""
    if snapshot.get("format") != PROPOSAL_FORMAT:
        raise ValueError(f"not a {PROPOSAL_FORMAT} snapshot")
    if "input" not in snapshot:
        raise ValueError("the snapshot was stored without its input; it cannot be replayed")
    inp = MatchingInput.from_dict(snapshot["input"])
    if inp.digest() != snapshot["input_digest"]:
        raise ReplayMismatchError("the stored input does not match its digest")
    options = SolverOptions.from_dict(snapshot.get("options", {}))
    again = propose_batch(inp, options)
    old = [(a["dwelling_id"], a["household_id"]) for a in snapshot["assignments"]]
    new = [(a.dwelling_id, a.household_id) for a in again.assignments]
    if old != new:
        raise ReplayMismatchError("the replayed assignments differ from the stored ones")
    return again
