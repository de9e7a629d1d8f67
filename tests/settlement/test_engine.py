"""The settlement criteria engine (pure): norm, cost frame, spread, sorting."""

from __future__ import annotations

import math

from husly.matching.policy import MatchingPolicy
from husly.settlement.criteria import Candidates, Household, Limits, assess

POLICY = MatchingPolicy(version="t")


def _rows(**over: object) -> dict[str, object]:
    base: dict[str, object] = {"dwelling_id": 1, "rooms": 4, "rent": 10000}
    base.update(over)
    return base


def test_rooms_rent_and_spread_flags() -> None:
    rows = [
        _rows(dwelling_id=1, rooms=2),  # too few for four persons (norm 3-5)
        _rows(dwelling_id=2, rent=14000),  # above the frame
        _rows(dwelling_id=3, building_homes=8, building_refugee=2),  # (2+1)/8 > 0.25
        _rows(dwelling_id=4, building_homes=8, building_refugee=1, school_m=400),  # 2/8 ok
    ]
    out = assess(Household(4, 2), Candidates.from_rows(rows), Limits(POLICY, 12000, 0.25))
    flags = {r["dwelling_id"]: r["flags"] for r in out}
    assert flags == {
        1: ["too_few_rooms"],
        2: ["rent_above_frame"],
        3: ["refugee_share_above_limit"],
        4: [],
    }
    assert out[0]["dwelling_id"] == 4  # the only one breaking no limit comes first
    assert out[0]["refugee_share_after"] == 0.25
    assert out[0]["school_m"] == 400 and out[0]["centre_m"] is None
    assert out[0]["rooms_norm"] == [3, 5]


def test_the_allocation_spread_rule_binds_for_heavy_needs_only() -> None:
    rows = [_rows(building_heavy_needs=2)]  # the policy's default limit is 2
    light = assess(Household(4, 2), Candidates.from_rows(rows), Limits(POLICY, None, 0.25))
    heavy = assess(
        Household(4, 2, heavy_needs=True), Candidates.from_rows(rows), Limits(POLICY, None, 0.25)
    )
    assert light[0]["flags"] == [] and heavy[0]["flags"] == ["heavy_needs_limit"]
    assert light[0]["rent_within_frame"] is None  # no cost frame: rent not judged


def test_vectorised_over_many_dwellings() -> None:
    rows = [
        _rows(dwelling_id=i, rent=8000 + i, building_homes=20, building_refugee=i % 7)
        for i in range(2000)
    ]
    out = assess(Household(3, 1), Candidates.from_rows(rows), Limits(POLICY, 9000, 0.25))
    assert len(out) == 2000
    broken = [len(r["flags"]) for r in out]
    assert broken == sorted(broken)
    assert not any(math.isnan(r["refugee_share_after"]) for r in out)


def test_no_candidates() -> None:
    assert assess(Household(1, 0), Candidates.from_rows([]), Limits(POLICY, 9000, 0.25)) == []
