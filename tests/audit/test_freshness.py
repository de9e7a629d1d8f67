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


def test_a_reader_who_comes_while_another_computes_gets_the_figure_before(sara):
    assert until_changed("figure", lambda: "old") == "old"
    record_change(actor=sara, action="test", instance=sara, municipality=None, changes={})

    def slow() -> tuple[str, str]:
        # a second reader arrives while this one computes the figure after the change
        return "new", until_changed("figure", lambda: "computed twice")

    assert until_changed("figure", slow) == ("new", "old")
    assert until_changed("figure", lambda: "computed again") == ("new", "old")


def test_a_first_reader_with_no_figure_before_computes_it_even_while_another_does(sara):
    def slow() -> tuple[str, str]:
        return "first", until_changed("figure", lambda: "second")

    assert until_changed("figure", slow) == ("first", "second")
