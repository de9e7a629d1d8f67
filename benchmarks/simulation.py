"""Benchmark: the policy simulation at Oslo scale, vectorised against per-household loops.

Run ``./dev bench simulation`` (``--quick`` for a small smoke run). Prints ONE JSON line with:

* ``seconds``: wall time of ``husly.simulation.simulate`` for ``runs`` runs of ``months`` months
  from a synthetic Oslo-sized start (``n_waiting`` on the list, ``n_dwellings`` dwellings; built
  here as plain inputs by ``husly.simulation.synthetic``, not from the demo database);
* ``runs_per_second``: ``runs / seconds``;
* ``vs_python_loops``: seconds per run of ``simulate_reference`` (the same model with
  per-household Python loops, the test oracle) divided by seconds per run of the engine. The
  reference is timed on ``reference_runs`` runs of the same input and extrapolated per run (it
  would take about an hour for all 100);
* ``within_budget``: ``seconds <= 60`` (issue 16's target on this 2-core machine).

Thread pools are pinned to 1 thread before NumPy is imported.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import dataclasses  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from typing import Any  # noqa: E402

from husly.simulation import simulate, simulate_reference  # noqa: E402
from husly.simulation.synthetic import synthetic_input  # noqa: E402

BUDGET_S = 60.0


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small smoke run")
    args = parser.parse_args(argv)
    if args.quick:
        n_waiting, n_dwellings, runs, months, ref_runs = 200, 1300, 10, 24, 2
    else:
        n_waiting, n_dwellings, runs, months, ref_runs = 2000, 13000, 100, 120, 1
    inp = synthetic_input(n_waiting, n_dwellings, runs=runs, horizon_months=months, seed=0)
    started = time.perf_counter()
    result = simulate(inp)
    seconds = time.perf_counter() - started
    ref_inp = dataclasses.replace(inp, runs=ref_runs)
    started = time.perf_counter()
    simulate_reference(ref_inp)
    ref_seconds = time.perf_counter() - started
    figures = result.figures()
    report: dict[str, Any] = {
        "name": "simulation",
        "seconds": round(seconds, 2),
        "runs_per_second": round(runs / seconds, 2),
        "vs_python_loops": round((ref_seconds / ref_runs) / (seconds / runs), 1),
        "reference_seconds_per_run": round(ref_seconds / ref_runs, 2),
        "reference_runs": ref_runs,
        "runs": runs,
        "months": months,
        "n_waiting": n_waiting,
        "n_dwellings": n_dwellings,
        "within_budget": seconds <= BUDGET_S,
        "housed_per_year_median": round(figures["housed_per_year"].median, 1),
        "wait_median_months": figures["wait_median"].median,
        "threads": 1,
    }
    print(json.dumps(report))
    return report


if __name__ == "__main__":
    main(sys.argv[1:])
