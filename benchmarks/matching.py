"""Benchmark: one allocation round at Oslo scale, against dense LSA and highest-priority-first.

Run ``uv run python -m benchmarks.matching`` (``--quick`` for a small smoke run). Prints ONE JSON
line with:

* ``median_s``: median wall time of ``propose_batch`` end to end (priority scoring, feasible-pair
  graph, exact solve with certificate, spread rule) over ``repeats`` runs;
* ``vs_dense_lsa``: time of one dense ``scipy.optimize.linear_sum_assignment`` on the same
  instance (same weights, one "leave vacant" column per dwelling, infeasible pairs priced below
  vacancy; building the dense matrix is *not* timed) divided by ``median_s``. Dense LSA cannot
  express the spread rule, so it solves the easier relaxation; ``dense_agrees`` checks its optimum
  equals our relaxation value;
* ``fit_vs_greedy``: our total priority-weighted fit / highest-priority-first greedy's (both under
  the same constraints, spread rule included);
* ``top_band_vs_greedy``: top-band households housed by us / by greedy;
* ``median_s_without_rule``: the same round with the spread rule switched off (no policy limit,
  no building limits), and ``rule_vs_without`` = ``median_s`` / ``median_s_without_rule``;
* ``spread_exact_share``: share of the spread-rule instances (the bench instance and
  ``--extra-seeds`` more of the same size) that the run proved optimal (certificate computed in the
  run: the proposal's objective equals the dual bound); ``max_gap_points``: the largest proven gap
  among them (objective points, top-band bonus included; 0 when all are proven optimal);
  ``instances``: per instance the seed, seconds, how the rule was handled and the gaps.

The instance is synthetic and seeded (``husly.matching.synthetic``): 15 districts, rooms,
categories, wheelchair and lift needs, area limits, heavy-needs households and the spread rule.

Thread pools (OpenMP, OpenBLAS, MKL, BLIS, numexpr, Accelerate) are pinned to 1 thread before
NumPy is imported, so both solvers run single-threaded; the report says ``"threads": 1``.
"""

from __future__ import annotations

import os

THREAD_VARS = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "BLIS_NUM_THREADS",
    "NUMEXPR_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
)
for _var in THREAD_VARS:
    os.environ[_var] = "1"

import argparse  # noqa: E402 - thread variables must be set before NumPy loads
import dataclasses  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402
from scipy.optimize import linear_sum_assignment  # noqa: E402

from husly.matching import (  # noqa: E402
    MatchingInput,
    SolverOptions,
    prepare,
    propose_batch,
    propose_greedy,
)
from husly.matching.solver import PairBuilder  # noqa: E402
from husly.matching.synthetic import synthetic_instance  # noqa: E402


def dense_lsa(inp: MatchingInput) -> tuple[float, float]:
    """Seconds for dense ``linear_sum_assignment`` on the full instance, and its optimum."""
    prep = prepare(inp)
    n_rows, n_cols = len(inp.dwellings), len(inp.households)
    builder = PairBuilder(prep, top_band_first=inp.matching_policy.top_band_first)
    graph, _ = builder.build(np.arange(n_rows), np.full(n_rows, n_cols + 1))
    benefit = np.full((n_rows, n_cols + n_rows), -1.0)  # infeasible: worse than vacant
    benefit[:, n_cols:] = 0.0  # leave vacant
    benefit[graph.rows, graph.cols] = graph.weight
    started = time.perf_counter()
    rows, cols = linear_sum_assignment(benefit, maximize=True)
    seconds = time.perf_counter() - started
    chosen = benefit[rows, cols]
    return seconds, float(chosen[chosen > 0].sum()) * inp.matching_policy.weight_resolution


def without_rule(inp: MatchingInput) -> MatchingInput:
    """The same round with the spread rule switched off."""
    return dataclasses.replace(
        inp,
        matching_policy=dataclasses.replace(inp.matching_policy, max_heavy_needs_per_building=None),
        buildings=dataclasses.replace(
            inp.buildings, heavy_needs_limit=np.full(len(inp.buildings), -1, dtype=np.int64)
        ),
    )


def timed(inp: MatchingInput, options: SolverOptions, repeats: int) -> tuple[list[float], Any]:
    times, proposal = [], None
    for _ in range(repeats):
        wall0 = time.perf_counter()
        proposal = propose_batch(inp, options)
        times.append(time.perf_counter() - wall0)
    return times, proposal


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small smoke run")
    parser.add_argument("--vacancies", type=int, default=None)
    parser.add_argument("--households", type=int, default=None)
    parser.add_argument("--repeats", type=int, default=None)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-dense", action="store_true", help="skip the dense LSA comparison")
    parser.add_argument("--extra-seeds", type=int, default=None, help="more spread-rule instances")
    args = parser.parse_args(argv)
    n_v = args.vacancies or (200 if args.quick else 2000)
    n_h = args.households or (2000 if args.quick else 20000)
    repeats = args.repeats or (3 if args.quick else 7)
    extra = args.extra_seeds if args.extra_seeds is not None else 2

    inp = synthetic_instance(n_v, n_h, seed=args.seed)
    options = SolverOptions()
    proposal = propose_batch(inp, options)  # warm-up (imports, caches)
    times, cpu = [], []
    for _ in range(repeats):
        wall0, cpu0 = time.perf_counter(), time.process_time()
        proposal = propose_batch(inp, options)
        times.append(time.perf_counter() - wall0)
        cpu.append(time.process_time() - cpu0)
    median = statistics.median(times)
    free_times, _ = timed(without_rule(inp), options, repeats)
    median_free = statistics.median(free_times)
    instances = [(args.seed, median, proposal.report)]
    for k in range(1, extra + 1):
        other = synthetic_instance(n_v, n_h, seed=args.seed + k)
        wall0 = time.perf_counter()
        report_k = propose_batch(other, options).report
        instances.append((args.seed + k, time.perf_counter() - wall0, report_k))

    greedy = propose_greedy(inp)
    top = inp.priority_policy.top_band
    ours_top, greedy_top = proposal.housed_by_band()[top], greedy.housed_by_band()[top]
    report = proposal.report
    out: dict[str, Any] = {
        "name": "matching",
        "median_s": round(median, 4),
        "vs_dense_lsa": None,
        "fit_vs_greedy": round(proposal.total_weighted_fit / greedy.total_weighted_fit, 4),
        "top_band_vs_greedy": round(ours_top / greedy_top, 4) if greedy_top else None,
        "n_vacancies": n_v,
        "n_households": n_h,
        "feasible_pairs": report.feasible_pairs,
        "repeats": repeats,
        "threads": 1,
        "seed": args.seed,
        "min_s": round(min(times), 4),
        "median_cpu_s": round(statistics.median(cpu), 4),
        "candidate_pairs": report.candidate_pairs,
        "solves": report.solves,
        "spread_rule": report.spread_rule,
        "certified_optimal": report.certified_optimal,
        "gap_bound_points": round(report.gap_bound, 3),
        "top_band_count_optimal": report.top_band_count_optimal,
        "top_band_gap": report.top_band_gap,
        "weight_gap_points": report.weight_gap,
        "median_s_without_rule": round(median_free, 4),
        "rule_vs_without": round(median / median_free, 2),
        "spread_exact_share": round(
            sum(r.certified_optimal for _, _, r in instances) / len(instances), 4
        ),
        "max_gap_points": round(max(r.gap_bound for _, _, r in instances), 3),
        "instances": [
            {
                "seed": seed_k,
                "s": round(sec, 3),
                "spread_rule": r.spread_rule,
                "certified_optimal": r.certified_optimal,
                "top_band_gap": r.top_band_gap,
                "weight_gap_points": r.weight_gap,
            }
            for seed_k, sec, r in instances
        ],
        "housed": len(proposal.assignments),
        "top_band_housed": ours_top,
        "greedy_top_band_housed": greedy_top,
        "total_weighted_fit": round(proposal.total_weighted_fit, 3),
        "greedy_total_weighted_fit": round(greedy.total_weighted_fit, 3),
    }
    if not args.no_dense:
        dense_s, dense_value = dense_lsa(inp)
        out["vs_dense_lsa"] = round(dense_s / median, 2)
        out["dense_lsa_s"] = round(dense_s, 3)
        relax = report.relaxation_value
        out["dense_agrees"] = bool(abs(dense_value - relax) <= 1e-6 * max(abs(relax), 1.0))
    print(json.dumps(out, separators=(",", ":")))
    sys.stdout.flush()
    return out


if __name__ == "__main__":
    main()
