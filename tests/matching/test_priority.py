"""Priority policy and scoring: configuration, breakdown, manual adjustments, bands."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from husly.matching import (
    COMPONENTS,
    HouseholdRecord,
    Households,
    PriorityPolicy,
    Urgency,
    load_priority_policy,
    score_priority,
)
from tests.matching.instances import VOCAB

POLICY_YAML = """
version: "raelingen-2024-1"
base_points: 1
medical_weight: 12
social_weight: 8
children_weight: 10
urgency_points:
  homeless: 40
  temporary_accommodation: 30
waiting_points_per_month: 0.5
waiting_cap_months: 6
bands: {A: 60, B: 30, C: 0}
"""


def households(*records: HouseholdRecord) -> Households:
    return Households.from_records(list(records), VOCAB)


def record(i: int = 1, **kwargs: object) -> HouseholdRecord:
    return HouseholdRecord(id=i, size=1, categories=frozenset({"ordinary"}), **kwargs)  # type: ignore[arg-type]


def test_it_loads_the_policy_from_yaml_as_configuration() -> None:
    policy = load_priority_policy(POLICY_YAML)
    assert policy.version == "raelingen-2024-1"
    assert policy.medical_weight == 12
    assert policy.urgency_points[Urgency.HOMELESS] == 40
    assert policy.urgency_points[Urgency.LEASE_ENDING] == 15  # default kept
    assert policy.band_names == ("A", "B", "C")
    assert PriorityPolicy.from_mapping(policy.to_mapping()) == policy


def test_it_refuses_unknown_keys_and_bad_weights() -> None:
    with pytest.raises(ValueError, match="unknown"):
        PriorityPolicy.from_mapping({"version": "x", "medicall_weight": 3})
    with pytest.raises(ValueError, match="non-negative"):
        PriorityPolicy(version="x", social_weight=-1)


def test_it_scores_each_component_from_its_weight() -> None:
    policy = load_priority_policy(POLICY_YAML)
    scores = score_priority(
        policy,
        households(
            record(
                1, medical=2.0, social=1.0, children=3.0, urgency=Urgency.HOMELESS, waited_days=365
            ),
        ),
    )
    points = dict(zip(COMPONENTS, scores.points[0], strict=True))
    assert points["base"] == 1
    assert points["medical"] == 24
    assert points["social"] == 8
    assert points["children"] == 30
    assert points["urgency"] == 40
    assert points["waiting_time"] == pytest.approx(3.0)  # 12 months waited, capped at 6
    assert points["manual"] == 0
    assert scores.total[0] == pytest.approx(106.0)
    assert scores.band_name(0) == "A"


def test_it_caps_waiting_time_so_it_cannot_outgrow_need() -> None:
    policy = PriorityPolicy(version="x", waiting_points_per_month=1.0, waiting_cap_months=12)
    scores = score_priority(policy, households(record(1, waited_days=3000), record(2)))
    assert scores.points[0, COMPONENTS.index("waiting_time")] == pytest.approx(12.0)


def test_it_refuses_a_manual_adjustment_without_a_reason() -> None:
    policy = PriorityPolicy(version="x")
    with pytest.raises(ValueError, match="without a reason"):
        score_priority(policy, households(record(1, manual_points=10.0)))
    scores = score_priority(
        policy, households(record(1, manual_points=10.0, manual_reason="Akutt behov"))
    )
    item = scores.breakdown(0).items[COMPONENTS.index("manual")]
    assert item.points == 10.0
    assert item.detail == "Akutt behov"


def test_it_refuses_levels_outside_zero_to_three() -> None:
    with pytest.raises(ValueError, match="between 0 and 3"):
        score_priority(PriorityPolicy(version="x"), households(record(1, medical=4.0)))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([0.0, 1.0, 2.0, 3.0]),
            st.sampled_from([0.0, 1.5, 3.0]),
            st.sampled_from([0.0, 2.0]),
            st.sampled_from(list(Urgency)),
            st.integers(0, 2000),
            st.sampled_from([0.0, 2.5, 20.0]),
        ),
        min_size=1,
        max_size=30,
    ),
    st.floats(0, 20),
)
def test_it_shows_a_breakdown_that_sums_to_the_total(rows: list[tuple], weight: float) -> None:  # type: ignore[type-arg]
    policy = PriorityPolicy(version="x", medical_weight=weight)
    hh = households(
        *(
            record(
                i,
                medical=m,
                social=s,
                children=c,
                urgency=u,
                waited_days=w,
                manual_points=a,
                manual_reason="grunn" if a else "",
            )
            for i, (m, s, c, u, w, a) in enumerate(rows)
        )
    )
    scores = score_priority(policy, hh)
    for i in range(len(rows)):
        breakdown = scores.breakdown(i)
        assert sum(item.points for item in breakdown.items) == pytest.approx(breakdown.total)
        assert [item.component for item in breakdown.items] == list(COMPONENTS)
        assert breakdown.policy_version == "x"
        assert breakdown.band in policy.band_names
    np.testing.assert_allclose(scores.points.sum(axis=1), scores.total)


def test_it_puts_each_household_in_the_band_its_points_reach() -> None:
    policy = PriorityPolicy(version="x", bands=(("A", 50.0), ("B", 20.0), ("C", 0.0)))
    band = policy.band_of(np.array([0.0, 19.9, 20.0, 49.99, 50.0, 500.0]))
    assert band.tolist() == [2, 2, 1, 1, 0, 0]
