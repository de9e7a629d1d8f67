"""Batch proposal: optimality, constraints, spread rule, determinism, replay, explanations."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings

from husly.matching import (
    BuildingRecord,
    DwellingRecord,
    HouseholdRecord,
    MatchingInput,
    MatchingPolicy,
    ReplayMismatchError,
    SolverOptions,
    Urgency,
    prepare,
    propose_batch,
    propose_greedy,
    replay,
)
from husly.matching.synthetic import synthetic_instance
from tests.matching.instances import (
    Small,
    brute_force,
    build,
    compatible,
    objective,
    respects_spread_rule,
    small_instances,
)

ORDINARY = frozenset({"ordinary"})


def pairs_of(small: Small, proposal_match: np.ndarray) -> list[tuple[int, int]]:  # type: ignore[type-arg]
    return [(int(i), j) for j, i in enumerate(proposal_match) if i >= 0]


def check_proposal(small: Small, options: SolverOptions) -> tuple[tuple[int, float], object]:
    proposal = propose_batch(small.inp, options)
    pairs = pairs_of(small, proposal.match)
    for i, j in pairs:
        assert compatible(small, small.households[i], small.dwellings[j])
    assert len({i for i, _ in pairs}) == len(pairs)
    assert respects_spread_rule(small, pairs)
    return objective(small, pairs), proposal


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_instances())
def test_it_finds_the_best_assignment_that_brute_force_finds(small: Small) -> None:
    best, _ = brute_force(small)
    ours, proposal = check_proposal(small, SolverOptions())
    event(f"spread rule: {proposal.report.spread_rule}")  # type: ignore[attr-defined]
    assert ours[0] == best[0]
    assert ours[1] == pytest.approx(best[1], abs=1e-6)
    assert proposal.report.certified_optimal  # type: ignore[attr-defined]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_instances(max_dwellings=4, max_households=6, crowded=True))
def test_it_finds_the_best_assignment_when_the_spread_rule_binds(small: Small) -> None:
    best, _ = brute_force(small)
    ours, proposal = check_proposal(small, SolverOptions())
    event(f"spread rule: {proposal.report.spread_rule}")  # type: ignore[attr-defined]
    assert ours[0] == best[0]
    assert ours[1] == pytest.approx(best[1], abs=1e-6)
    assert proposal.report.certified_optimal  # type: ignore[attr-defined]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_instances())
def test_it_stays_optimal_with_tiny_candidate_lists(small: Small) -> None:
    """``initial_k=1`` forces the certificate to widen lists; the answer must not change."""
    best, _ = brute_force(small)
    ours, _ = check_proposal(small, SolverOptions(initial_k=1))
    assert ours[0] == best[0]
    assert ours[1] == pytest.approx(best[1], abs=1e-6)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_instances())
def test_it_finds_the_same_optimum_with_dense_components(small: Small) -> None:
    best, _ = brute_force(small)
    ours, _ = check_proposal(small, SolverOptions(method="components"))
    assert ours[1] == pytest.approx(best[1], abs=1e-6)
    assert ours[0] == best[0]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_instances(crowded=True))
def test_it_claims_only_what_it_proves_when_the_time_runs_out(small: Small) -> None:
    """With no time for the exact phase the repair heuristic runs: the rule holds, and every
    claim in the report holds against the brute-force optimum."""
    best, _ = brute_force(small)
    ours, proposal = check_proposal(small, SolverOptions(time_limit=0.0))
    report = proposal.report  # type: ignore[attr-defined]
    event(f"spread rule: {report.spread_rule}, certified: {report.certified_optimal}")
    assert best[0] - ours[0] <= report.top_band_gap
    if report.top_band_count_optimal:
        assert ours[0] == best[0]
    assert best[1] - ours[1] <= report.weight_gap + 1e-6
    if report.certified_optimal:
        assert ours[0] == best[0]
        assert ours[1] == pytest.approx(best[1], abs=1e-6)


def test_it_never_proposes_an_incompatible_pair_at_city_scale() -> None:
    inp = synthetic_instance(300, 3000, seed=11)
    proposal = propose_batch(inp)
    prep = proposal.prepared
    js = np.flatnonzero(proposal.match >= 0)
    assert js.size > 250
    assert np.all(prep.pair_reasons(proposal.match[js], js) == 0)
    heavy = inp.households.heavy_needs[proposal.match[js]]
    load = np.bincount(prep.dwelling_building[js[heavy]], minlength=len(inp.buildings))
    assert np.all(load <= prep.building_room)


def test_it_beats_or_equals_highest_priority_first_on_fit_and_top_band() -> None:
    inp = synthetic_instance(300, 3000, seed=5)
    ours = propose_batch(inp)
    greedy = propose_greedy(inp)
    assert ours.total_weighted_fit >= greedy.total_weighted_fit
    assert ours.housed_by_band()["A"] >= greedy.housed_by_band()["A"]


def test_it_gives_the_same_answer_for_the_same_input_and_seed() -> None:
    inp = synthetic_instance(120, 1200, seed=3)
    first = propose_batch(inp)
    again = propose_batch(MatchingInput.from_dict(json.loads(json.dumps(inp.to_dict()))))
    assert first.assignments == again.assignments


def tie_round(seed: int) -> MatchingInput:
    """Ten identical households for three identical dwellings: only the seed can choose."""
    return build(
        [HouseholdRecord(id=i, size=1, categories=ORDINARY) for i in range(1, 11)],
        [
            DwellingRecord(
                id=100 + j, building_id=10, district="Sentrum", rooms=1, category="ordinary"
            )
            for j in range(3)
        ],
        [BuildingRecord(id=10)],
        seed=seed,
    ).inp


@pytest.mark.parametrize("tie_break", ["seeded_order", "seeded_jitter"])
def test_it_breaks_ties_by_the_stored_seed(tie_break: str) -> None:
    options = SolverOptions(tie_break=tie_break)
    chosen = {
        seed: {a.household_id for a in propose_batch(tie_round(seed), options).assignments}
        for seed in range(8)
    }
    assert all(len(c) == 3 for c in chosen.values())
    assert len({frozenset(c) for c in chosen.values()}) > 1  # the seed matters
    for seed in range(8):  # ...and nothing else does
        again = {a.household_id for a in propose_batch(tie_round(seed), options).assignments}
        assert again == chosen[seed]


def test_it_does_not_depend_on_the_order_of_the_input_arrays() -> None:
    small = build(
        [
            HouseholdRecord(id=i, size=1, categories=ORDINARY, medical=float(i % 2))
            for i in range(1, 13)
        ],
        [
            DwellingRecord(
                id=100 + j, building_id=10, district="Sentrum", rooms=1, category="ordinary"
            )
            for j in range(4)
        ],
        [BuildingRecord(id=10)],
    )
    reversed_small = build(
        list(reversed(small.households)), list(reversed(small.dwellings)), small.buildings
    )
    a = {(x.dwelling_id, x.household_id) for x in propose_batch(small.inp).assignments}
    b = {(x.dwelling_id, x.household_id) for x in propose_batch(reversed_small.inp).assignments}
    assert a == b


def test_it_replays_a_stored_proposal_to_the_same_result() -> None:
    inp = synthetic_instance(150, 1500, seed=9)
    proposal = propose_batch(inp, SolverOptions(initial_k=8))
    stored = json.loads(json.dumps(proposal.to_dict()))
    again = replay(stored)
    assert again.assignments == proposal.assignments
    assert again.to_dict(include_input=False)["assignments"] == stored["assignments"]
    assert stored["options"]["initial_k"] == 8
    assert stored["input_digest"] == inp.digest()


def test_it_detects_a_tampered_snapshot() -> None:
    inp = synthetic_instance(40, 300, seed=2)
    stored = json.loads(json.dumps(propose_batch(inp).to_dict()))
    stored["input"]["households"]["medical"][0] = 3.0 - stored["input"]["households"]["medical"][0]
    with pytest.raises(ReplayMismatchError, match="digest"):
        replay(stored)
    stored = json.loads(json.dumps(propose_batch(inp).to_dict()))
    stored["assignments"] = stored["assignments"][1:]
    with pytest.raises(ReplayMismatchError, match="assignments"):
        replay(stored)


def test_it_houses_the_top_band_first_when_the_policy_says_so() -> None:
    """One dwelling: a top-band household with a poor fit (85 points × 0.6 = 51) against a
    band-B household with a perfect one (63 points × 1.0 = 63). Lexicographic top band houses the
    first; plain max-fit houses the second."""
    households = [
        HouseholdRecord(
            id=1,
            size=1,
            categories=ORDINARY,
            urgency=Urgency.HOMELESS,
            medical=3.0,
            social=3.0,
            children=0.0,
            preferred_district="Nord",
        ),
        HouseholdRecord(
            id=2,
            size=2,
            categories=ORDINARY,
            medical=3.0,
            social=3.0,
            children=1.0,
            preferred_district="Sentrum",
        ),
    ]
    dwellings = [
        DwellingRecord(id=100, building_id=10, district="Sentrum", rooms=2, category="ordinary")
    ]
    buildings = [BuildingRecord(id=10)]
    lexi = build(households, dwellings, buildings)
    plain = build(
        households,
        dwellings,
        buildings,
        matching_policy=MatchingPolicy(version="t", top_band_first=False),
    )
    assert prepare(lexi.inp).scores.band_name(0) == "A"
    assert prepare(lexi.inp).scores.band_name(1) == "B"
    assert [a.household_id for a in propose_batch(lexi.inp).assignments] == [1]
    assert [a.household_id for a in propose_batch(plain.inp).assignments] == [2]


def test_it_explains_who_got_the_dwelling_and_what_happened_to_higher_priority_households() -> None:
    households = [
        HouseholdRecord(id=1, size=1, categories=ORDINARY, urgency=Urgency.HOMELESS),
        HouseholdRecord(id=2, size=1, categories=ORDINARY, urgency=Urgency.LEASE_ENDING),
        HouseholdRecord(id=3, size=5, categories=ORDINARY, urgency=Urgency.HOMELESS, medical=3.0),
        HouseholdRecord(id=4, size=1, categories=ORDINARY),
    ]
    dwellings = [
        DwellingRecord(id=100, building_id=10, district="Sentrum", rooms=1, category="ordinary"),
        DwellingRecord(id=101, building_id=10, district="Sentrum", rooms=2, category="ordinary"),
    ]
    small = build(
        households,
        dwellings,
        [BuildingRecord(id=10)],
        matching_policy=MatchingPolicy(version="t", top_band_first=False),
    )
    proposal = propose_batch(small.inp)
    got = {a.dwelling_id: a.household_id for a in proposal.assignments}
    assert got == {100: 1, 101: 2}
    why = proposal.explain_dwelling(101)
    assert why.household_id == 2
    assert why.fits[0].code == "proposed"
    others = {r.code: r for r in why.others}
    assert others["higher_priority_elsewhere"].params["household"] == 1
    assert others["higher_priority_elsewhere"].params["dwelling"] == 100
    assert others["higher_priority_incompatible"].params["household"] == 3
    assert "minst 4 rom" in others["higher_priority_incompatible"].text
    assert sum(i.points for i in why.priority.items) == pytest.approx(why.priority.total)  # type: ignore[union-attr]
    nobody = proposal.explain_household(4)
    assert nobody.dwelling_id is None
    assert nobody.reasons[0].code == "not_housed_outranked"
    assert nobody.reasons[0].params == {"n": 2}
    too_big = proposal.explain_household(3)
    assert too_big.reasons[0].code == "not_housed_no_compatible"
    json.dumps(why.to_dict())
    json.dumps(nobody.to_dict())


def test_it_explains_a_dwelling_left_vacant() -> None:
    small = build(
        [HouseholdRecord(id=1, size=1, categories=frozenset({"care"}))],
        [DwellingRecord(id=100, building_id=10, district="Sentrum", rooms=1, category="ordinary")],
        [BuildingRecord(id=10)],
    )
    proposal = propose_batch(small.inp)
    assert proposal.vacant_dwelling_ids == (100,)
    assert proposal.explain_dwelling(100).fits[0].code == "left_vacant_no_compatible"


def test_it_reports_how_the_spread_rule_was_handled() -> None:
    """Two heavy-needs households, a building with room for one more, two vacancies in it."""
    households = [
        HouseholdRecord(
            id=i, size=1, categories=ORDINARY, heavy_needs=True, urgency=Urgency.HOMELESS
        )
        for i in (1, 2)
    ] + [HouseholdRecord(id=3, size=1, categories=ORDINARY)]
    dwellings = [
        DwellingRecord(id=100 + j, building_id=10, district="Sentrum", rooms=1, category="ordinary")
        for j in range(2)
    ]
    buildings = [BuildingRecord(id=10, heavy_needs_tenants=1)]
    small = build(households, dwellings, buildings)
    exact = propose_batch(small.inp)
    assert exact.report.spread_rule in ("exact_relaxation", "exact_lp", "exact_milp")
    assert exact.report.certified_optimal
    repaired = propose_batch(small.inp, SolverOptions(time_limit=0.0))
    assert repaired.report.spread_rule in ("exact_relaxation", "bounded")
    for proposal in (exact, repaired):
        housed = {a.household_id for a in proposal.assignments}
        assert len(housed & {1, 2}) == 1
        assert 3 in housed
    free = build(
        households,
        dwellings,
        [BuildingRecord(id=10)],
        matching_policy=MatchingPolicy(version="t", max_heavy_needs_per_building=None),
    )
    assert propose_batch(free.inp).report.spread_rule == "off"


def test_it_handles_a_round_without_households_or_without_dwellings() -> None:
    dwelling = DwellingRecord(
        id=100, building_id=10, district="Sentrum", rooms=1, category="ordinary"
    )
    nobody = build([], [dwelling], [BuildingRecord(id=10)])
    proposal = propose_batch(nobody.inp)
    assert proposal.assignments == ()
    assert proposal.vacant_dwelling_ids == (100,)
    nothing = build([HouseholdRecord(id=1, size=1, categories=ORDINARY)], [], [])
    proposal = propose_batch(nothing.inp)
    assert proposal.assignments == ()
    assert proposal.explain_household(1).reasons[0].code == "not_housed_no_compatible"
    assert propose_greedy(nothing.inp).assignments == ()
