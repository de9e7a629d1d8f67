"""Figures kept until the records change (husly.audit.freshness)."""

from __future__ import annotations

import pytest

from husly.audit.events import record_change
from husly.audit.freshness import until_changed

pytestmark = pytest.mark.django_db


def test_a_figure_is_computed_once_until_the_next_change_event(sara):
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert until_changed("figure", compute) == 1
    assert until_changed("figure", compute) == 1
    assert until_changed("another figure", compute) == 2
    record_change(
        actor=sara,
        action="test",
        instance=sara,
        municipality=None,
        changes={},
    )
    assert until_changed("figure", compute) == 3
