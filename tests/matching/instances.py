"""Small instances and an independent brute-force oracle for the matching tests.

The oracle re-implements the rules from their plain-language statement (one record at a time, no
NumPy), so that the engine is checked against a second, naive reading of the same rules.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from hypothesis import strategies as st

from husly.matching import (
    BuildingRecord,
    Buildings,
    DwellingRecord,
    Dwellings,
    HouseholdRecord,
    Households,
    MatchingInput,
    MatchingPolicy,
    PriorityPolicy,
    Urgency,
    Vocabulary,
    score_priority,
)

DISTRICTS = ("Sentrum", "Nord", "Sør")
CATEGORIES = ("ordinary", "care", "hard_use")
VOCAB = Vocabulary(districts=DISTRICTS, categories=CATEGORIES)


@dataclass(frozen=True)
class Small:
    """Records plus the input built from them."""

    households: tuple[HouseholdRecord, ...]
    dwellings: tuple[DwellingRecord, ...]
    buildings: tuple[BuildingRecord, ...]
    inp: MatchingInput


def build(
    households: Sequence[HouseholdRecord],
    dwellings: Sequence[DwellingRecord],
    buildings: Sequence[BuildingRecord],
    *,
    matching_policy: MatchingPolicy | None = None,
    priority_policy: PriorityPolicy | None = None,
    seed: int = 7,
) -> Small:
    inp = MatchingInput(
        households=Households.from_records(list(households), VOCAB),
        dwellings=Dwellings.from_records(list(dwellings), VOCAB),
        buildings=Buildings.from_records(list(buildings)),
        vocabulary=VOCAB,
        priority_policy=priority_policy or PriorityPolicy(version="test-1"),
        matching_policy=matching_policy or MatchingPolicy(version="test-1"),
        seed=seed,
    )
    return Small(tuple(households), tuple(dwellings), tuple(buildings), inp)


@st.composite
def small_instances(
    draw: st.DrawFn,
    *,
    max_dwellings: int = 4,
    max_households: int = 6,
    top_band_first: bool | None = None,
    crowded: bool = False,
) -> Small:
    """Random small rounds with every constraint in play (and many ties). ``crowded``: few
    buildings with room for one more heavy-needs tenant, mostly heavy-needs households that fit
    most dwellings, so that the spread rule binds."""
    n_b = draw(st.integers(1, 2 if crowded else 3))
    buildings = [
        BuildingRecord(
            id=10 * (b + 1),
            heavy_needs_tenants=draw(st.integers(0, 1) if crowded else st.integers(0, 2)),
            heavy_needs_limit=draw(
                st.sampled_from([1, 2]) if crowded else st.sampled_from([None, None, 1, 2])
            ),
        )
        for b in range(n_b)
    ]
    n_d = draw(st.integers(1, max_dwellings))
    dwellings = []
    for j in range(n_d):
        b = draw(st.integers(0, n_b - 1))
        dwellings.append(
            DwellingRecord(
                id=100 + j,
                building_id=buildings[b].id,
                district=DISTRICTS[b % len(DISTRICTS)],
                rooms=draw(st.integers(1, 2) if crowded else st.integers(1, 4)),
                category=draw(
                    st.just("ordinary")
                    if crowded
                    else st.sampled_from(["ordinary", "ordinary", "care", "hard_use"])
                ),
                floor=draw(st.integers(0, 3)),
                has_lift=draw(st.booleans()),
                wheelchair_accessible=draw(st.booleans()),
            )
        )
    n_h = draw(st.integers(1, max_households))
    households = []
    for i in range(n_h):
        manual = draw(st.sampled_from([0.0, 0.0, 0.0, 5.0]))
        allowed = draw(st.one_of(st.none(), st.frozensets(st.sampled_from(DISTRICTS), min_size=1)))
        if crowded:
            households.append(
                HouseholdRecord(
                    id=1000 + i,
                    size=draw(st.integers(1, 2)),
                    categories=frozenset({"ordinary"}),
                    medical=draw(st.sampled_from([0.0, 1.0, 3.0])),
                    urgency=draw(st.sampled_from(list(Urgency))),
                    preferred_district=draw(st.sampled_from([None, *DISTRICTS])),
                    heavy_needs=draw(st.sampled_from([True, True, False])),
                )
            )
            continue
        households.append(
            HouseholdRecord(
                id=1000 + i,
                size=draw(st.integers(1, 5)),
                categories=draw(st.frozensets(st.sampled_from(CATEGORIES), min_size=1)),
                medical=draw(st.sampled_from([0.0, 1.0, 3.0])),
                social=draw(st.sampled_from([0.0, 2.0])),
                children=draw(st.sampled_from([0.0, 1.0])),
                urgency=draw(st.sampled_from(list(Urgency))),
                waited_days=draw(st.sampled_from([0, 30, 400])),
                manual_points=manual,
                manual_reason="Akutt behov etter brann" if manual else "",
                allowed_districts=allowed,
                preferred_district=draw(st.sampled_from([None, *DISTRICTS])),
                needs_wheelchair=draw(st.booleans()),
                max_floor_without_lift=draw(st.sampled_from([0, 1, 999])),
                heavy_needs=draw(st.booleans()),
            )
        )
    if top_band_first is None:
        top_band_first = draw(st.booleans())
    policy = MatchingPolicy(
        version="test-1",
        max_heavy_needs_per_building=draw(
            st.sampled_from([1, 2]) if crowded else st.sampled_from([None, 1, 2])
        ),
        top_band_first=top_band_first,
    )
    # a low top band so that the lexicographic objective matters in small instances
    priority = PriorityPolicy(version="test-1", bands=(("A", 30.0), ("B", 10.0), ("C", 0.0)))
    return build(
        households,
        dwellings,
        buildings,
        matching_policy=policy,
        priority_policy=priority,
        seed=draw(st.integers(0, 3)),
    )


# --- the oracle ----------------------------------------------------------------------------------


def compatible(small: Small, h: HouseholdRecord, d: DwellingRecord) -> bool:
    """The hard constraints, read one pair at a time (spread rule for a single placement)."""
    policy = small.inp.matching_policy
    size = min(h.size, len(policy.occupancy.min_rooms))
    if not policy.occupancy.min_rooms[size - 1] <= d.rooms <= policy.occupancy.max_rooms[size - 1]:
        return False
    if h.needs_wheelchair and not d.wheelchair_accessible:
        return False
    if d.floor > h.max_floor_without_lift and not d.has_lift:
        return False
    if d.category not in h.categories:
        return False
    if h.allowed_districts is not None and d.district not in h.allowed_districts:
        return False
    return not (h.heavy_needs and room(small, d.building_id) <= 0)


def room(small: Small, building_id: int) -> int:
    """How many more heavy-needs tenants the building may take."""
    b = next(x for x in small.buildings if x.id == building_id)
    limit = b.heavy_needs_limit
    if limit is None:
        limit = small.inp.matching_policy.max_heavy_needs_per_building
    if limit is None:
        return 10**9
    return max(limit - b.heavy_needs_tenants, 0)


def fit(small: Small, h: HouseholdRecord, d: DwellingRecord) -> float:
    fw = small.inp.matching_policy.fit
    size = min(h.size, len(small.inp.matching_policy.occupancy.min_rooms))
    extra = max(d.rooms - small.inp.matching_policy.occupancy.min_rooms[size - 1], 0)
    penalty = fw.extra_room_penalty * extra
    if h.preferred_district is not None and h.preferred_district != d.district:
        penalty += fw.outside_preferred_district_penalty
    if d.wheelchair_accessible and not h.needs_wheelchair:
        penalty += fw.unneeded_accessible_penalty
    return max(fw.minimum_fit, 1.0 - penalty)


def weighted(small: Small, i: int, j: int) -> float:
    points = float(score_priority(small.inp.priority_policy, small.inp.households).total[i])
    return round(points * fit(small, small.households[i], small.dwellings[j]), 3)


def objective(small: Small, pairs: Sequence[tuple[int, int]]) -> tuple[int, float]:
    """(top-band households housed if the policy ranks them first, total weighted fit)."""
    scores = score_priority(small.inp.priority_policy, small.inp.households)
    total = sum(weighted(small, i, j) for i, j in pairs)
    if not small.inp.matching_policy.top_band_first:
        return 0, round(total, 6)
    top = sum(1 for i, _ in pairs if scores.band[i] == 0)
    return top, round(total, 6)


def respects_spread_rule(small: Small, pairs: Sequence[tuple[int, int]]) -> bool:
    placed: dict[int, int] = {}
    for i, j in pairs:
        if small.households[i].heavy_needs:
            b = small.dwellings[j].building_id
            placed[b] = placed.get(b, 0) + 1
    return all(n <= room(small, b) for b, n in placed.items())


def brute_force(small: Small) -> tuple[tuple[int, float], list[tuple[int, int]]]:
    """Best objective over every assignment (each dwelling: one compatible household or none)."""
    n_h, n_d = len(small.households), len(small.dwellings)
    options = [
        [
            None,
            *[i for i in range(n_h) if compatible(small, small.households[i], small.dwellings[j])],
        ]
        for j in range(n_d)
    ]
    best: tuple[int, float] = (-1, -1.0)
    best_pairs: list[tuple[int, int]] = []
    for choice in itertools.product(*options):
        taken = [i for i in choice if i is not None]
        if len(taken) != len(set(taken)):
            continue
        pairs = [(i, j) for j, i in enumerate(choice) if i is not None]
        if not respects_spread_rule(small, pairs):
            continue
        value = objective(small, pairs)
        if value > best:
            best, best_pairs = value, pairs
    return best, best_pairs
