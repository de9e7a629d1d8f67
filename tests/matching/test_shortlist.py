"""Hard constraints, fit and the shortlist for one dwelling, with reasons."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings

from husly.matching import (
    BuildingRecord,
    DwellingRecord,
    HouseholdRecord,
    MatchingPolicy,
    OccupancyNorm,
    Urgency,
    prepare,
    shortlist_for_dwelling,
)
from husly.matching.solver import PairBuilder
from tests.matching.instances import Small, build, compatible, fit, small_instances

ORDINARY = frozenset({"ordinary"})


def dwelling(**kwargs: object) -> DwellingRecord:
    base: dict[str, object] = {
        "id": 500,
        "building_id": 10,
        "district": "Sentrum",
        "rooms": 2,
        "category": "ordinary",
        "floor": 0,
    }
    base.update(kwargs)
    return DwellingRecord(**base)  # type: ignore[arg-type]


def household(i: int, **kwargs: object) -> HouseholdRecord:
    base: dict[str, object] = {"id": i, "size": 2, "categories": ORDINARY}
    base.update(kwargs)
    return HouseholdRecord(**base)  # type: ignore[arg-type]


def codes(reasons: object) -> list[str]:
    return [r.code for r in reasons]  # type: ignore[attr-defined]


def test_it_excludes_each_broken_constraint_with_its_own_reason() -> None:
    small = build(
        [
            household(1, size=5),  # needs more rooms
            household(2, size=1, medical=3.0),  # fits
            household(3, needs_wheelchair=True),
            household(4, max_floor_without_lift=1),
            household(5, categories=frozenset({"care"})),
            household(6, allowed_districts=frozenset({"Nord"})),
            household(7, heavy_needs=True),
        ],
        [dwelling(floor=3, has_lift=False, rooms=2)],
        [BuildingRecord(id=10, heavy_needs_tenants=2)],
        matching_policy=MatchingPolicy(version="t", max_heavy_needs_per_building=2),
    )
    sl = shortlist_for_dwelling(small.inp, 500)
    assert [c.household_id for c in sl.candidates] == [2]
    why = {e.household_id: codes(e.reasons) for e in sl.excluded}
    assert why[1] == ["too_few_rooms"]
    assert why[3] == ["not_wheelchair_accessible"]
    assert why[4] == ["floor_without_lift"]
    assert why[5] == ["category_not_approved"]
    assert why[6] == ["outside_area"]
    assert why[7] == ["building_heavy_needs_limit"]
    assert sl.excluded_counts == {
        "too_few_rooms": 1,
        "not_wheelchair_accessible": 1,
        "floor_without_lift": 1,
        "category_not_approved": 1,
        "outside_area": 1,
        "building_heavy_needs_limit": 1,
    }


def test_it_explains_exclusions_in_norwegian_with_the_numbers() -> None:
    small = build(
        [household(1, size=5)],
        [dwelling(rooms=2)],
        [BuildingRecord(id=10)],
    )
    (excluded,) = shortlist_for_dwelling(small.inp, 500).excluded
    (reason,) = excluded.reasons
    assert reason.code == "too_few_rooms"
    assert reason.text == (
        "Boligen har 2 rom, men en husstand på 5 personer skal ha minst 4 rom etter normen."
    )
    assert reason.params == {"rooms": 2, "persons": 5, "min_rooms": 4, "max_rooms": 6}


def test_it_uses_the_configured_occupancy_norm() -> None:
    strict = MatchingPolicy(version="t", occupancy=OccupancyNorm(min_rooms=(2,), max_rooms=(2,)))
    small = build(
        [household(1, size=1), household(2, size=4)],
        [dwelling(rooms=2)],
        [BuildingRecord(id=10)],
        matching_policy=strict,
    )
    sl = shortlist_for_dwelling(small.inp, 500)
    assert {c.household_id for c in sl.candidates} == {1, 2}  # equal points: seeded order


def test_it_ranks_candidates_by_priority_weighted_fit_and_says_why_they_fit() -> None:
    small = build(
        [
            household(1, urgency=Urgency.HOMELESS, preferred_district="Nord"),  # 31 × 0.75
            household(2, urgency=Urgency.TEMPORARY_ACCOMMODATION, preferred_district="Sentrum"),
            household(3),  # 1 point
        ],
        [dwelling()],
        [BuildingRecord(id=10)],
    )
    sl = shortlist_for_dwelling(small.inp, 500)
    assert [c.household_id for c in sl.candidates] == [2, 1, 3]
    assert [c.weighted_fit for c in sl.candidates] == pytest.approx([26.0, 23.25, 1.0])
    first = sl.candidates[0]
    assert first.rank == 1
    assert codes(first.reasons) == [
        "rooms_within_norm",
        "category_approved",
        "preferred_district",
        "fit_score",
    ]
    assert "ønskede bydel (Sentrum)" in first.reasons[2].text
    assert codes(sl.candidates[1].reasons)[2] == "accepted_district"
    assert sum(i.points for i in first.priority.items) == pytest.approx(first.priority.total)
    assert sl.to_dict()["candidates"][0]["household_id"] == 2


def test_it_lowers_the_fit_of_an_accessible_dwelling_for_someone_who_does_not_need_it() -> None:
    small = build(
        [household(1, needs_wheelchair=True), household(2)],
        [dwelling(wheelchair_accessible=True)],
        [BuildingRecord(id=10)],
    )
    sl = shortlist_for_dwelling(small.inp, 500)
    by_id = {c.household_id: c for c in sl.candidates}
    assert by_id[1].fit == 1.0
    assert by_id[2].fit == pytest.approx(0.8)
    assert "accessible_unit_not_needed" in codes(by_id[2].reasons)
    assert "accessibility_met" in codes(by_id[1].reasons)


def test_it_lists_the_highest_priority_excluded_households_first() -> None:
    small = build(
        [household(i, size=6, medical=float(i % 4)) for i in range(1, 30)],
        [dwelling(rooms=2)],
        [BuildingRecord(id=10)],
    )
    sl = shortlist_for_dwelling(small.inp, 500, explain_excluded=5)
    points = [e.priority_points for e in sl.excluded]
    assert len(points) == 5
    assert points == sorted(points, reverse=True)
    assert sl.excluded_counts == {"too_few_rooms": 29}


def test_it_refuses_an_unknown_dwelling() -> None:
    small = build([household(1)], [dwelling()], [BuildingRecord(id=10)])
    with pytest.raises(KeyError):
        shortlist_for_dwelling(small.inp, 999)


@settings(max_examples=80, deadline=None)
@given(small_instances(max_dwellings=5, max_households=8))
def test_it_agrees_with_the_plain_reading_of_every_rule(small: Small) -> None:
    """The vectorised pair check, the shortlist and the solver's block builder all agree with
    the one-pair-at-a-time oracle."""
    prep = prepare(small.inp)
    for j, d in enumerate(small.dwellings):
        sl = shortlist_for_dwelling(prep, d.id, limit=100, explain_excluded=100)
        expected = {h.id for h in small.households if compatible(small, h, d)}
        assert {c.household_id for c in sl.candidates} == expected
        assert {e.household_id for e in sl.excluded} == {h.id for h in small.households} - expected
        for c in sl.candidates:
            i = [h.id for h in small.households].index(c.household_id)
            assert c.fit == pytest.approx(fit(small, small.households[i], d))
        for e in sl.excluded:
            assert e.reasons, "an excluded household always gets a reason"
        ordered = [c.weighted_fit for c in sl.candidates]
        assert ordered == sorted(ordered, reverse=True)
        del j
    builder = PairBuilder(prep, top_band_first=small.inp.matching_policy.top_band_first)
    n_d, n_h = len(small.dwellings), len(small.households)
    graph, feasible = builder.build(np.arange(n_d), np.full(n_d, n_h + 1))
    pairs = set(zip(graph.cols.tolist(), graph.rows.tolist(), strict=True))
    oracle = {
        (i, j)
        for i, h in enumerate(small.households)
        for j, d in enumerate(small.dwellings)
        if compatible(small, h, d)
    }
    assert pairs == oracle
    assert feasible == len(oracle)
    assert graph.complete.all()
