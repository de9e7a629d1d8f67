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


def test_a_request_reads_the_newest_change_once(sara, django_assert_num_queries):
    from husly.audit import freshness
    from husly.audit.freshness import last_change

    # as Django's request_started and request_finished signals do (sending those here would
    # also close the test's database connection)
    freshness._request_started()
    try:
        first = last_change()
        with django_assert_num_queries(0):
            assert last_change() == first
        # a change the request writes itself is seen at once
        event = record_change(
            actor=sara, action="test", instance=sara, municipality=None, changes={}
        )
        assert last_change() == event.pk
    finally:
        freshness._request_finished()
    # outside a request every call reads the table
    with django_assert_num_queries(1):
        assert last_change() == event.pk


def test_the_menu_and_the_page_share_one_read_of_the_newest_change(sara, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(sara)
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    reads = [q for q in queries.captured_queries if 'FROM "audit_changeevent"' in q["sql"]]
    assert len(reads) == 1
