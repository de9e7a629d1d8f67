"""Benchmark: the start-loan escalation ladder for 100,000 synthetic applicants.

Run:  uv run python -m benchmarks.start_loan [--n N] [--repeats R]

Prints ONE JSON line: ``applicants_per_s`` for :func:`husly.rules.start_loan_ladder.compute_ladder`
(all five steps, input validation included, median of ``repeats`` runs),
``loop_applicants_per_s`` for a plain per-applicant Python loop computing the same ladder with
``math`` (timed on the same applicants in the same run, after checking that both give the same
margins and first working step), and ``vs_loop`` = vectorised / loop.
"""

from __future__ import annotations

# ruff: noqa: PLR2004
import argparse
import json
import math
import statistics
import time
from typing import Any

import numpy as np

from husly.rules.start_loan_ladder import LadderBatch, LadderParameters, compute_ladder

SEED = 20261202
PARAMS = LadderParameters(
    stress_rate=0.065,
    fixed_rate=0.04237,
    reference_term_years=30,
    long_term_years=50,
    grant_max=300_000.0,
)


def synthetic(n: int) -> LadderBatch:
    rng = np.random.default_rng(SEED)
    floor = np.round(rng.choice([7_850.0, 13_100.0, 17_000.0, 21_000.0], n))
    norm = floor + np.round(rng.uniform(0, 6_000, n))
    return LadderBatch(
        net_income_monthly=np.round(rng.gamma(6.0, 6_000.0, n)),
        other_fixed_costs_monthly=np.round(rng.uniform(0, 4_000, n)),
        housing_operating_costs_monthly=np.round(rng.uniform(2_000, 7_000, n)),
        living_costs_monthly=norm,
        lower_living_costs_monthly=np.maximum(norm - np.round(rng.uniform(0, 4_000, n)), 0),
        guideline_floor_monthly=floor,
        loan_amount=np.round(rng.uniform(800_000, 4_000_000, n)),
        long_term_allowed=rng.random(n) < 0.3,
    )


def _r(x: float) -> float:
    return math.floor(x + 0.5)


def _factor(rate: float, months: float) -> float:
    i = rate / 12.0
    return i / (1.0 - (1.0 + i) ** -months) if i > 0 else 1.0 / months


def loop(b: LadderBatch, p: LadderParameters) -> tuple[list[list[float]], list[int]]:
    """The same ladder, one applicant at a time, in plain Python."""
    margins: list[list[float]] = []
    firsts: list[int] = []
    best = min(p.fixed_rate, p.stress_rate)
    ref = p.reference_term_years * 12.0
    for k in range(len(b.loan_amount)):
        base = float(
            b.net_income_monthly[k]
            - b.other_fixed_costs_monthly[k]
            - b.housing_operating_costs_monthly[k]
        )
        norm = float(b.living_costs_monthly[k])
        lower = min(
            max(float(b.lower_living_costs_monthly[k]), float(b.guideline_floor_monthly[k])), norm
        )
        allowed = bool(b.long_term_allowed[k])
        long = p.long_term_years * 12.0 if allowed else ref
        loan = float(b.loan_amount[k])
        m = [
            _r(base - norm) - _r(loan * _factor(p.stress_rate, ref)),
            _r(base - norm) - _r(loan * _factor(best, ref)),
            _r(base - norm) - _r(loan * _factor(best, long)),
            _r(base - lower) - _r(loan * _factor(best, long)),
        ]
        f3 = _factor(best, long)
        grant = min(max(loan - math.floor(max(_r(base - lower), 0.0) / f3), 0.0), p.grant_max)
        m.append(_r(base - lower) - _r((loan - grant) * f3))
        open_ = [True, True, allowed, True, p.grant_max > 0]
        first = next((i for i in range(5) if open_[i] and m[i] >= 0), -1)
        margins.append(m)
        firsts.append(first)
    return margins, firsts


def timed(function: Any, repeats: int) -> tuple[float, Any]:
    result = function()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    batch = synthetic(args.n)
    vec_s, result = timed(lambda: compute_ladder(batch, PARAMS), args.repeats)
    loop_s, (margins, firsts) = timed(lambda: loop(batch, PARAMS), 1)
    if (
        not np.array_equal(np.array(margins), result.margin)
        or firsts != result.first_working.tolist()
    ):
        raise RuntimeError("the loop and the vectorised ladder disagree")
    out = {
        "benchmark": "start_loan",
        "applicants": args.n,
        "steps": 5,
        "applicants_per_s": round(args.n / vec_s),
        "loop_applicants_per_s": round(args.n / loop_s),
        "vs_loop": round(loop_s / vec_s, 1),
        "first_working_share": {
            str(k): round(float(np.mean(result.first_working == k)), 3) for k in range(-1, 5)
        },
    }
    print(json.dumps(out))
    return out


if __name__ == "__main__":
    main()
