"""The list pages use the same number of queries for few and many rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from husly.allocation import actions
from husly.allocation.models import WaitingListEntry
from husly.cases.models import Case, Decision
from tests.allocation.helpers import make_dwelling, make_household

pytestmark = pytest.mark.django_db


def _entries(sara, raelingen, n: int, start: int) -> None:  # type: ignore[no-untyped-def]
    for k in range(start, start + n):
        household = make_household(raelingen, f"Hus{k}")
        case = Case.objects.create(
            municipality=raelingen,
            household=household,
            number=f"2026-{k:06d}",
            channel="meeting",
            created_by=sara,
        )
        decision = Decision.objects.create(
            case=case,
            help_kind="rental_dwelling",
            kind="approval",
            status="issued",
            facts=".",
            reasoning=".",
            drafted_by=sara,
            issued_on=timezone.localdate(),
        )
        WaitingListEntry.objects.create(
            municipality=raelingen,
            household=household,
            decision=decision,
            placed_on=timezone.localdate(),
            persons=1,
            categories=["ordinary"],
        )


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_waiting_list_and_the_meeting_use_the_same_queries_for_few_and_many_rows(
    sara, tone, raelingen, routing, eirik
) -> None:
    client = Client()
    client.force_login(tone)
    meeting = actions.allocation_meeting_create(
        actor=tone,
        municipality=raelingen,
        data={"title": "Møte", "held_on": timezone.localdate()},
    )
    _entries(sara, raelingen, 2, 0)
    make_dwelling(raelingen, eirik)
    actions.allocation_meeting_propose(actor=tone, meeting=meeting, seed=1)
    few = _count(client, reverse("allocation:waiting_list"))
    few_meeting = _count(client, reverse("allocation:meeting_detail", args=[meeting.pk]))
    # A vacancy's decision form (loaded on request) asks the same whatever the list's length.
    few_form = _count(client, _first_form(meeting))
    _entries(sara, raelingen, 20, 100)
    for _ in range(5):
        make_dwelling(raelingen, eirik)
    actions.allocation_meeting_propose(actor=tone, meeting=meeting, seed=1)
    assert _count(client, reverse("allocation:waiting_list")) == few
    assert _count(client, reverse("allocation:meeting_detail", args=[meeting.pk])) == few_meeting
    assert _count(client, _first_form(meeting)) == few_form
    assert _count(client, _first_form(meeting) + "?alle=1") == few_form


def _first_form(meeting) -> str:  # type: ignore[no-untyped-def]
    item = meeting.items.order_by("pk").first()
    return reverse("allocation:item_decide", args=[item.pk])
