"""Figures kept until the records change (husly.audit.freshness)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from husly.audit.events import record_change
from husly.audit.freshness import until_changed
from husly.audit.models import ChangeEvent

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


def test_a_figure_stays_kept_while_a_large_municipality_keeps_many_others():
    """Oslo keeps a few figures per set of memberships, units and language: many more than the
    300 entries Django's database cache keeps by default before it drops a third of them."""
    calls: list[str] = []

    def compute(key: str) -> str:
        calls.append(key)
        return key

    for k in range(400):
        until_changed(f"figure {k}", lambda k=k: compute(f"figure {k}"))
    calls.clear()
    for k in range(400):
        assert until_changed(f"figure {k}", lambda k=k: compute(f"figure {k}")) == f"figure {k}"
    assert calls == []


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


def test_after_a_change_a_reader_gets_the_figure_before_and_it_is_computed_after_the_response(
    sara,
):
    from husly.audit import freshness

    assert until_changed("figure", lambda: "old") == "old"
    record_change(actor=sara, action="test", instance=sara, municipality=None, changes={})
    computed: list[str] = []

    def compute() -> str:
        computed.append("new")
        return "new"

    freshness._request_started()
    try:
        assert until_changed("figure", compute) == "old"
        assert computed == []  # not while the reader waits
        assert until_changed("figure", compute) == "old"  # the same request: still computing
    finally:
        freshness._request_finished()  # the response has been sent
    assert computed == ["new"]
    assert until_changed("figure", lambda: "computed twice") == "new"


def test_a_reader_whose_own_session_wrote_a_newer_change_gets_the_figure_at_once(sara):
    from husly.audit import freshness

    assert until_changed("figure", lambda: "old") == "old"
    event = record_change(actor=sara, action="test", instance=sara, municipality=None, changes={})
    freshness._request_started()
    try:
        freshness._memo.session = {freshness.WRITTEN: event.pk}
        assert until_changed("figure", lambda: "new") == "new"
    finally:
        freshness._request_finished()


def test_a_reader_with_no_earlier_figure_gets_it_computed_at_once(sara):
    from husly.audit import freshness

    freshness._request_started()
    try:
        assert until_changed("figure", lambda: "first") == "first"
    finally:
        freshness._request_finished()


def test_the_one_who_acts_sees_it_at_once_and_a_colleague_from_the_next_page(
    raelingen, sara, housing_office
):
    """The start page's register counts: Sara registers a person and sees the new count at
    once; her colleague sees the count of a moment ago once, then the new one."""
    from husly.audit.freshness import WRITTEN
    from husly.people.models import Person
    from tests.conftest import _user
    from tests.factories import synthetic_number

    siri = Client()
    siri.force_login(_user("siri", housing_office, "caseworker"))
    client = Client()
    client.force_login(sara)
    assert client.get(reverse("home")).context["figures"].persons == 0

    def register(born: dt.date) -> None:
        response = client.post(
            reverse("people:person_create"),
            {
                "municipality": raelingen.pk,
                "national_id": synthetic_number(born),
                "given_name": "Ingrid",
                "family_name": "Haugen",
                "language_form": "nb",
                "residence_permit": "unknown",
            },
        )
        assert response.status_code == 302

    register(dt.date(1979, 6, 30))
    assert client.session[WRITTEN] == ChangeEvent.objects.latest("pk").pk
    assert client.get(reverse("home")).context["figures"].persons == 1
    register(dt.date(1980, 7, 1))
    assert Person.objects.count() == 2
    assert siri.get(reverse("home")).context["figures"].persons == 1
    assert siri.get(reverse("home")).context["figures"].persons == 2
