"""Benchmark: the settlement criteria engine over many candidate dwellings, one core.

Run:  ./dev bench settlement   (or python -m benchmarks.settlement [--n N] [--repeats R])

Prints ONE JSON line: ``dwellings_per_s`` for ``husly.settlement.criteria.assess`` over ``n``
synthetic candidate dwellings in one call (median of ``repeats``), and ``vs_loop``: the same
engine called one dwelling at a time on a sample in the same run, extrapolated to ``n``
(the ratio loop time / batch time). Results are asserted equal on the sample.
"""

from __future__ import annotations

# Shares of the synthetic candidates are data, written where they are used.
# ruff: noqa: PLR2004
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

from husly.matching.policy import MatchingPolicy  # noqa: E402
from husly.settlement.criteria import Candidates, Household, Limits, assess  # noqa: E402


def _rows(n: int, seed: int) -> list[dict[str, Any]]:
    rng = np.random.default_rng(seed)
    homes = rng.integers(0, 40, n)
    return [
        {
            "dwelling_id": i + 1,
            "rooms": int(rng.integers(1, 6)),
            "rent": int(rng.integers(6000, 16000)),
            "building_homes": int(homes[i]),
            "building_municipal": int(rng.integers(0, max(int(homes[i]), 1))),
            "building_refugee": int(rng.integers(0, 5)),
            "building_heavy_needs": int(rng.integers(0, 3)),
            "area_municipal": int(rng.integers(0, 200)),
            "area_refugee": int(rng.integers(0, 30)),
            "school_m": None if rng.random() < 0.3 else int(rng.integers(100, 3000)),
            "kindergarten_m": int(rng.integers(100, 3000)),
            "centre_m": None,
        }
        for i in range(n)
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--sample", type=int, default=500)
    args = parser.parse_args()
    rows = _rows(args.n, 1)
    limits = Limits(MatchingPolicy(version="bench"), 11_000, 0.25)
    household = Household(4, 2, heavy_needs=True)
    candidates = Candidates.from_rows(rows)
    times = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        batch = assess(household, candidates, limits)
        times.append(time.perf_counter() - start)
    batch_s = statistics.median(times)
    sample = rows[: args.sample]
    start = time.perf_counter()
    single = [assess(household, Candidates.from_rows([r]), limits)[0] for r in sample]
    loop_s = (time.perf_counter() - start) / len(sample) * args.n
    by_id = {r["dwelling_id"]: r for r in batch}
    assert all(by_id[r["dwelling_id"]] == r for r in single)  # noqa: S101 - same answers
    print(
        json.dumps(
            {
                "benchmark": "settlement_criteria",
                "n": args.n,
                "dwellings_per_s": round(args.n / batch_s),
                "batch_s": round(batch_s, 4),
                "loop_s_extrapolated": round(loop_s, 3),
                "vs_loop": round(loop_s / batch_s, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
