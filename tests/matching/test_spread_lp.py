"""The pieces that make the exact spread-rule phase fast, each checked on its own: the LP's warm
start from the optimum without the rule, the whole-step dual bound, the certificate for pruned
lists under building prices, and the small branch and bound around a fractional LP optimum."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

from husly.matching import MatchingInput, SolverOptions, prepare, propose_batch, solver
from husly.matching.synthetic import synthetic_instance
from tests.matching.spread_oracle import FIXTURES


def relaxed(inp: MatchingInput, k: int = 56) -> tuple[Any, solver.PairBuilder, solver.Graph, Any]:
    prep = prepare(inp)
    builder = solver.PairBuilder(prep, top_band_first=inp.matching_policy.top_band_first)
    n_rows = len(inp.dwellings)
    g, _ = builder.build(np.arange(n_rows), np.full(n_rows, k, dtype=np.int64))
    match, g, _ = solver.solve_certified(builder, g, "sparse")
    return prep, builder, g, match


def master_from(
    prep: Any, g: solver.Graph, match: Any, watched: Any
) -> tuple[solver._Master, bool]:
    """The LP over the pairs of zero reduced cost for ``match``, warm-started from it."""
    n_cols = len(prep.inp.households)
    u0 = solver.max_dual_prices(g, match)
    assert u0 is not None
    v0 = solver.household_duals(g, u0, np.zeros(g.rows.size), n_cols)
    start = np.flatnonzero(u0[g.rows] + v0[g.cols] - g.weight <= 0.5)
    slot = np.full(len(prep.inp.buildings), -1, dtype=np.int64)
    slot[watched] = np.arange(watched.size)
    es = solver._edge_slot(prep, g, slot)
    master = solver._Master(prep, watched, n_cols)
    master.add(g.rows[start], g.cols[start], es[start], g.weight[start])
    return master, master.start_from(match, u0, v0)


def test_the_lp_starts_at_the_optimum_without_the_rule() -> None:
    """Without building rows, the basis built from the assignment optimum is already optimal:
    HiGHS does not pivot once and its value is the assignment's. With the building rows, the
    warm start reaches the same LP optimum as a cold start."""
    inp = synthetic_instance(200, 2000, seed=1)
    prep, _, g, match = relaxed(inp)
    master, ok = master_from(prep, g, match, np.zeros(0, dtype=np.int64))
    assert ok
    assert master.solve(30.0)
    assert master.highs.getInfo().simplex_iteration_count == 0
    assert -master.highs.getInfo().objective_function_value == pytest.approx(
        g.objective(match), rel=1e-12
    )
    watched = solver.watched_buildings(prep)
    assert np.any(solver.heavy_load(prep, match)[watched] > prep.building_room[watched])
    warm, ok = master_from(prep, g, match, watched)
    assert ok
    cold = solver._Master(prep, watched, len(inp.households))
    cold.add(warm.rows, warm.cols, warm.slots, warm.weight)
    assert warm.solve(30.0)
    assert cold.solve(30.0)
    warm_info, cold_info = warm.highs.getInfo(), cold.highs.getInfo()
    assert warm_info.objective_function_value == pytest.approx(
        cold_info.objective_function_value, rel=1e-12
    )
    assert warm_info.simplex_iteration_count < cold_info.simplex_iteration_count


@pytest.mark.parametrize("index", range(0, 25, 3))
def test_any_whole_prices_bound_every_proposal_that_respects_the_rule(index: int) -> None:
    """The bound is valid for any whole prices, not only the LP's: checked against the stored
    optimum with random prices and short (incomplete) lists."""
    f = json.loads(FIXTURES.read_text())[index]
    inp = MatchingInput.from_dict(f["input"])
    best = f["optimum"]
    prep, builder, g, match = relaxed(inp, k=2)
    watched = solver.watched_buildings(prep)
    slot = np.full(len(inp.buildings), -1, dtype=np.int64)
    slot[watched] = np.arange(watched.size)
    es = solver._edge_slot(prep, g, slot)
    room = prep.building_room[watched].astype(np.float64)
    optimum = builder.bonus * best["top_band"] + best["weighted_fit_steps"]
    rng = np.random.default_rng(index)
    top = float(g.weight.max())
    n_cols = len(inp.households)
    # the assignment optimum's own prices (no building prices) give exactly its value
    u0 = solver.max_dual_prices(g, match)
    zero = np.zeros(watched.size)
    _, _, total = solver._dual_bound(
        g, u0, pen=np.zeros(g.rows.size), lam=zero, room=room, n_cols=n_cols
    )
    assert total == g.objective(match) >= optimum
    for _ in range(20):
        u = np.floor(u0 * rng.uniform(0.0, 1.2, u0.size))
        lam = np.floor(rng.uniform(0, top, watched.size) * rng.uniform(0, 0.05))
        pen = np.r_[lam, 0.0][es]  # es = -1: the pair counts in no watched building
        _, _, total = solver._dual_bound(g, u, pen=pen, lam=lam, room=room, n_cols=n_cols)
        assert total >= optimum
        assert total == np.floor(total)


def test_a_priced_free_household_does_not_prove_a_pruned_list() -> None:
    """Dwelling 0 keeps household 0 (proposed, weight 100) and household 1 (left unmatched,
    weight 40 after its building price); a dropped pair may be worth 50. An unmatched household
    in the list proves the list only if it is worth at least that much."""
    g = solver.Graph(
        rows=np.array([0, 0]),
        cols=np.array([0, 1]),
        weight=np.array([100.0, 40.0]),
        complete=np.array([False]),
        bound=np.array([50.0]),
        k=np.array([1]),
    )
    match = np.array([0])
    assert solver.failing_rows(g, match, None).tolist() == [0]
    worth = solver.Graph(g.rows, g.cols, np.array([100.0, 60.0]), g.complete, g.bound, g.k)
    assert solver.failing_rows(worth, match, None).tolist() == []


def test_the_small_branch_and_bound_around_a_fractional_lp_is_proven_by_the_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A round whose LP optimum is fractional: the small problem around the fractional pairs
    reaches the run's bound, so the proposal is optimal; branch and bound on all the LP's pairs
    (the small step switched off) finds the same value."""
    inp = synthetic_instance(200, 2000, seed=2)
    options = SolverOptions(tie_break="seeded_jitter")
    calls: list[bool] = []
    real = solver._around_fractional

    def spy(*args: Any, **kwargs: Any) -> Any:
        out = real(*args, **kwargs)
        calls.append(out is not None)
        return out

    monkeypatch.setattr(solver, "_around_fractional", spy)
    fast = propose_batch(inp, options)
    assert calls == [True]
    assert fast.report.spread_rule == "exact_milp"
    assert fast.report.certified_optimal
    monkeypatch.setattr(solver, "_around_fractional", lambda *a, **k: None)
    full = propose_batch(inp, options)
    assert full.report.certified_optimal
    assert full.report.objective_value == fast.report.objective_value
    assert full.report.dual_bound == fast.report.dual_bound
