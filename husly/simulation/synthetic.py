# ruff: noqa: PLR2004 - invented shares, named where they are used
"""Seeded synthetic inputs for benchmarks and tests (no real people): a stock, a waiting list,
arrival templates and rates, roughly in balance so that the list neither empties nor explodes.
All numbers are invented for testing; none are statistics."""

from __future__ import annotations

from typing import Any

import numpy as np

from husly.matching.priority import PriorityPolicy
from husly.simulation.model import (
    GROUPS,
    ArrivalTemplates,
    Levers,
    Rates,
    SimulationInput,
    Stock,
    Waiting,
)

__all__ = ["synthetic_input"]

_SIZE_P = (0.45, 0.2, 0.15, 0.12, 0.05, 0.03)
_ROOMS_P = (0.2, 0.4, 0.24, 0.11, 0.03, 0.02)
_GROUP_P = (0.3, 0.15, 0.15, 0.1, 0.1, 0.2)
_URGENCY_P = (0.25, 0.2, 0.15, 0.1, 0.2, 0.1)


def _people(rng: np.random.Generator, n: int) -> dict[str, np.ndarray[Any, Any]]:
    size = rng.choice(np.arange(1, 7), size=n, p=_SIZE_P)
    group = rng.choice(len(GROUPS), size=n, p=_GROUP_P)
    group = np.where(size >= 3, 0, np.where(group == 0, 5, group))
    urgency = rng.choice(6, size=n, p=_URGENCY_P)
    return {
        "size": size,
        "group": group,
        "urgency": urgency,
        "medical": rng.integers(0, 4, n).astype(float),
        "social": rng.integers(0, 4, n).astype(float),
        "children": np.where(size >= 3, rng.integers(1, 4, n), 0).astype(float),
        "needs_wheelchair": rng.random(n) < 0.04,
    }


def synthetic_input(
    n_waiting: int = 2000,
    n_dwellings: int = 13000,
    *,
    runs: int = 100,
    horizon_months: int = 120,
    seed: int = 0,
    arrivals_scale: float = 1.0,
) -> SimulationInput:
    """An Oslo-shaped instance by default (about 2,000 waiting, 13,000 dwellings)."""
    rng = np.random.default_rng(seed)
    p = _people(rng, n_waiting)
    waiting = Waiting(
        id=np.arange(1, n_waiting + 1),
        waited_days=rng.integers(0, 540, n_waiting),
        in_temporary=p["urgency"] == 4,
        refusals=np.zeros(n_waiting, dtype=np.int64),
        **p,
    )
    occupied = rng.random(n_dwellings) < 0.97
    indefinite = rng.random(n_dwellings) < 0.3
    stock = Stock(
        id=np.arange(1, n_dwellings + 1),
        rooms=rng.choice(np.arange(1, 7), size=n_dwellings, p=_ROOMS_P),
        wheelchair_accessible=rng.random(n_dwellings) < 0.06,
        occupied=occupied,
        lease_end_month=np.where(occupied & ~indefinite, rng.integers(0, 60, n_dwellings), -1),
        tenant_group=np.where(occupied, rng.choice(len(GROUPS), n_dwellings, p=_GROUP_P), -1),
        ready_month=np.zeros(n_dwellings, dtype=np.int64),
    )
    t = _people(rng, 500)
    templates = ArrivalTemplates(**t)
    # about one vacancy a month per 95 dwellings; arrivals a little below that
    monthly = n_dwellings / 95.0 * arrivals_scale
    share = np.bincount(t["group"], minlength=len(GROUPS)) / len(t["group"])
    rates = Rates(
        arrivals_per_month=tuple(float(x) for x in monthly * share),
        residence_fail_share=(0.02, 0.0, 0.05, 0.02, 0.05, 0.05),
    )
    levers = Levers(priority=PriorityPolicy(version="synthetic").to_mapping())
    return SimulationInput(
        waiting=waiting,
        stock=stock,
        templates=templates,
        rates=rates,
        levers=levers,
        horizon_months=horizon_months,
        runs=runs,
        seed=seed,
    )
