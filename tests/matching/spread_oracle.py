"""Seeded spread-rule instances and an independent optimiser for them (the fixture oracle).

The oracle reads each (household, dwelling) pair from the plain serialised input, one pair at a
time in pure Python (no engine code apart from the priority points), and solves the lexicographic
problem in two stages with SciPy's MILP (HiGHS): first the largest number of top-band households
housed, then, with that number fixed, the largest total weighted fit. The engine instead adds a
bonus per top-band household, prunes candidate lists and works through LP duality; the two share
only the rules.

Build the stored fixtures with ``python -m tests.matching.spread_oracle`` (rewrites
``tests/matching/fixtures/spread_optima.json``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.optimize import LinearConstraint, milp

from husly.matching import (
    Buildings,
    Dwellings,
    Households,
    MatchingInput,
    MatchingPolicy,
    PriorityPolicy,
    Vocabulary,
    score_priority,
)

FIXTURES = Path(__file__).parent / "fixtures" / "spread_optima.json"


def pairs(inp: MatchingInput) -> list[tuple[int, int, int, bool]]:
    """Every compatible (household, dwelling) pair with its weight in resolution steps and
    whether the household is in the top band, read one pair at a time."""
    data = inp.to_dict()
    h, d, b = data["households"], data["dwellings"], data["buildings"]
    policy = inp.matching_policy
    norm, fw = policy.occupancy, policy.fit
    points = score_priority(inp.priority_policy, inp.households)
    room: dict[int, int] = {}
    for k, bid in enumerate(b["id"]):
        limit = b["heavy_needs_limit"][k]
        if limit < 0:
            limit = policy.max_heavy_needs_per_building
        room[bid] = 10**9 if limit is None else max(limit - b["heavy_needs_tenants"][k], 0)
    out = []
    for i in range(len(h["id"])):
        size = min(h["size"][i], len(norm.min_rooms))
        lo, hi = norm.min_rooms[size - 1], norm.max_rooms[size - 1]
        for j in range(len(d["id"])):
            rooms = d["rooms"][j]
            if not lo <= rooms <= hi:
                continue
            if h["needs_wheelchair"][i] and not d["wheelchair_accessible"][j]:
                continue
            if d["floor"][j] > h["max_floor_without_lift"][i] and not d["has_lift"][j]:
                continue
            if not (h["categories"][i] >> d["category"][j]) & 1:
                continue
            if (
                h["allowed_districts"][i] != -1
                and not (h["allowed_districts"][i] >> d["district"][j]) & 1
            ):
                continue
            if h["heavy_needs"][i] and room[d["building_id"][j]] <= 0:
                continue
            penalty = fw.extra_room_penalty * max(rooms - lo, 0)
            pref = h["preferred_district"][i]
            if pref >= 0 and pref != d["district"][j]:
                penalty += fw.outside_preferred_district_penalty
            if d["wheelchair_accessible"][j] and not h["needs_wheelchair"][i]:
                penalty += fw.unneeded_accessible_penalty
            fit = max(fw.minimum_fit, 1.0 - penalty)
            steps = int(np.round(float(points.total[i]) * fit / policy.weight_resolution))
            out.append((i, j, steps, bool(points.band[i] == 0)))
    return out


def optimum(inp: MatchingInput) -> dict[str, Any]:
    """The lexicographic optimum: (top-band households housed, weighted fit in steps)."""
    data = inp.to_dict()
    p = pairs(inp)
    n_h, n_d = len(data["households"]["id"]), len(data["dwellings"]["id"])
    m = len(p)
    if m == 0:
        return {"top_band": 0, "weighted_fit_steps": 0, "pairs": 0}
    hi = np.array([x[0] for x in p])
    dj = np.array([x[1] for x in p])
    w = np.array([x[2] for x in p], dtype=np.float64)
    top = np.array([x[3] for x in p], dtype=np.float64)
    e = np.arange(m)
    rows = [
        sp.csr_matrix((np.ones(m), (hi, e)), shape=(n_h, m)),
        sp.csr_matrix((np.ones(m), (dj, e)), shape=(n_d, m)),
    ]
    upper = [np.ones(n_h), np.ones(n_d)]
    b = data["buildings"]
    heavy = np.array(data["households"]["heavy_needs"], dtype=bool)
    building_of = np.array(data["dwellings"]["building_id"])
    for k, bid in enumerate(b["id"]):
        limit = b["heavy_needs_limit"][k]
        if limit < 0:
            limit = inp.matching_policy.max_heavy_needs_per_building
        if limit is None:
            continue
        sel = np.flatnonzero(heavy[hi] & (building_of[dj] == bid))
        if sel.size:
            rows.append(sp.csr_matrix((np.ones(sel.size), (np.zeros(sel.size), sel)), shape=(1, m)))
            upper.append(np.array([max(limit - b["heavy_needs_tenants"][k], 0)], dtype=float))
    a = sp.vstack(rows).tocsr()
    ub = np.concatenate(upper)
    opts = {"mip_rel_gap": 0.0, "disp": False}
    count = 0
    if inp.matching_policy.top_band_first:
        first = milp(
            -top,
            integrality=np.ones(m),
            bounds=(0, 1),
            constraints=LinearConstraint(a, -np.inf, ub),
            options=opts,
        )
        assert first.status == 0
        count = round(-first.fun)
        a = sp.vstack([a, sp.csr_matrix(top[None, :])]).tocsr()
        lower = np.r_[np.full(ub.size, -np.inf), count]
        ub = np.r_[ub, np.inf]
    else:
        lower = np.full(ub.size, -np.inf)
    second = milp(
        -w,
        integrality=np.ones(m),
        bounds=(0, 1),
        constraints=LinearConstraint(a, lower, ub),
        options=opts,
    )
    assert second.status == 0
    x = np.round(second.x)
    return {
        "top_band": round(float(top @ x)),
        "weighted_fit_steps": round(float(w @ x)),
        "pairs": m,
    }


def crowded(seed: int, n_d: int, n_h: int, *, top_band_first: bool = True) -> MatchingInput:
    """A round where the spread rule binds in many buildings at once: few buildings with two to
    four vacancies each and room for one or two more heavy-needs tenants, many heavy-needs
    households, many of them in the top band, and some households no dwelling fits (too large,
    or approved only for a category with no vacancy)."""
    rng = np.random.default_rng(seed)
    vocab = Vocabulary(
        districts=("Sentrum", "Nord", "Sør"), categories=("ordinary", "care", "training")
    )
    n_b = max(1, n_d // 3)
    buildings = Buildings(
        id=np.arange(1, n_b + 1) * 10 + 1000 * seed,
        heavy_needs_tenants=rng.integers(0, 2, n_b),
        heavy_needs_limit=np.where(rng.random(n_b) < 0.5, 1, -1),
    )
    b = rng.integers(0, n_b, n_d)
    dwellings = Dwellings(
        id=np.arange(1, n_d + 1) * 7 + 100_000 * (seed + 1),
        building_id=buildings.id[b],
        district=b % 3,
        rooms=rng.choice([1, 2, 3], n_d, p=[0.4, 0.4, 0.2]),
        category=rng.choice([0, 1], n_d, p=[0.85, 0.15]),
        floor=rng.integers(0, 4, n_d),
        has_lift=rng.random(n_d) < 0.5,
        wheelchair_accessible=rng.random(n_d) < 0.1,
    )
    size = rng.choice([1, 2, 3, 6], n_h, p=[0.55, 0.25, 0.12, 0.08])  # 6 persons: nothing fits
    home = rng.integers(0, 3, n_h)
    allowed = np.where(rng.random(n_h) < 0.5, (1 << home) | (1 << ((home + 1) % 3)), -1)
    cats = np.where(rng.random(n_h) < 0.06, 1 << 2, np.where(rng.random(n_h) < 0.15, 3, 1))
    urgency = rng.choice(6, n_h, p=[0.2, 0.15, 0.15, 0.1, 0.2, 0.2])
    households = Households(
        id=np.arange(1, n_h + 1) * 3 + 1_000_000 * (seed + 1),
        size=size,
        medical=rng.choice(4, n_h).astype(np.float64),
        social=rng.choice(4, n_h).astype(np.float64),
        children=np.where(size > 1, rng.choice(3, n_h), 0).astype(np.float64),
        urgency=urgency,
        waited_days=rng.integers(0, 400, n_h),
        manual_points=np.zeros(n_h),
        manual_reasons=("",) * n_h,
        allowed_districts=allowed,
        preferred_district=np.where(rng.random(n_h) < 0.8, home, -1),
        categories=cats,
        needs_wheelchair=rng.random(n_h) < 0.05,
        max_floor_without_lift=np.where(rng.random(n_h) < 0.2, rng.integers(0, 2, n_h), 999),
        heavy_needs=rng.random(n_h) < 0.45,
    )
    return MatchingInput(
        households=households,
        dwellings=dwellings,
        buildings=buildings,
        vocabulary=vocab,
        priority_policy=PriorityPolicy(version="fixture-1"),
        matching_policy=MatchingPolicy(
            version="fixture-1", max_heavy_needs_per_building=1, top_band_first=top_band_first
        ),
        seed=seed,
    )


SPECS: tuple[tuple[int, int, int, bool], ...] = (
    # (seed, dwellings, households, top band first)
    *((s, 12, 40, True) for s in range(1, 9)),
    *((s, 24, 90, True) for s in range(9, 15)),
    *((s, 36, 140, True) for s in range(15, 19)),
    *((s, 18, 60, False) for s in range(19, 23)),
    *((s, 90, 300, True) for s in range(23, 26)),  # many buildings where the rule binds
)


def main() -> None:
    out = []
    for seed, n_d, n_h, top_first in SPECS:
        inp = crowded(seed, n_d, n_h, top_band_first=top_first)
        out.append(
            {"name": f"crowded-{seed}-{n_d}x{n_h}", "input": inp.to_dict(), "optimum": optimum(inp)}
        )
    FIXTURES.parent.mkdir(exist_ok=True)
    FIXTURES.write_text(json.dumps(out, separators=(",", ":")) + "\n")
    print(f"wrote {len(out)} fixtures to {FIXTURES}")


if __name__ == "__main__":
    main()
