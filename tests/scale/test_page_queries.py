"""Pages at scale: each list page asks the database the same number of times for few and for
many rows (no query per row), and shows one page of a long list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from husly.demo import history
from husly.demo.builder import DemoGenerator
from husly.organisation.models import Municipality, Unit, User
from husly.people.models import Household

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 11, 1)


def _count(user: User, url: str) -> int:
    client = Client()
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def _cast(municipality: Municipality) -> history.Cast:
    return history.Cast(
        caseworker=User.objects.get(username="saksbehandler"),
        approver=User.objects.get(username="godkjenner"),
        nav=User.objects.get(username="nav"),
        follow_up_unit=Unit.objects.get(municipality=municipality, kind="follow_up"),
    )


@pytest.fixture
def demo() -> Municipality:
    """Rælingen's registers (people, dwellings, users), no cases yet."""
    return DemoGenerator("small", seed=3, as_of=AS_OF, with_cases=False).run()


def _volume(municipality: Municipality, households: list[Household], seed: int) -> None:
    history.seed_volume_history(
        municipality, households, _cast(municipality), seed=seed, as_of=AS_OF, years=3
    )


def test_the_case_pages_ask_the_same_for_few_and_many_cases(demo) -> None:  # type: ignore[no-untyped-def]
    households = list(Household.objects.filter(municipality=demo).order_by("pk"))
    _volume(demo, households[:6], seed=1)
    cast = _cast(demo)
    history.seed_case_history(demo, households[6:9], cast, seed=1, as_of=AS_OF)
    history.seed_tenancies(demo, households[200:205], cast.caseworker, seed=1, as_of=AS_OF)
    sara, tone = cast.caseworker, User.objects.get(username="tildeling")
    eirik = User.objects.get(username="eiendom")
    pages: list[tuple[User, str]] = [
        (sara, reverse("home")),
        (sara, reverse("cases:work_list")),
        (sara, reverse("cases:case_list")),
        (sara, reverse("people:person_list") + "?q=sen"),
        (tone, reverse("allocation:waiting_list")),
        (eirik, reverse("tenancy:lease_list")),
    ]
    few = [_count(user, url) for user, url in pages]
    _volume(demo, households[9:120], seed=2)
    history.seed_case_history(demo, households[120:140], cast, seed=2, as_of=AS_OF)
    history.seed_tenancies(demo, households[205:260], cast.caseworker, seed=2, as_of=AS_OF)
    many = [_count(user, url) for user, url in pages]
    assert dict(zip([url for _, url in pages], many, strict=True)) == dict(
        zip([url for _, url in pages], few, strict=True)
    )


def test_the_volume_history_writes_what_the_actions_write(demo) -> None:  # type: ignore[no-untyped-def]
    from husly.allocation.models import EntryStatus, WaitingListEntry
    from husly.cases.models import Case
    from husly.tenancy.models import Lease

    households = list(Household.objects.filter(municipality=demo).order_by("pk")[:150])
    counts = history.seed_volume_history(
        demo, households, _cast(demo), seed=5, as_of=AS_OF, years=3
    )
    assert counts.cases == 150 == Case.objects.filter(municipality=demo).count()
    assert counts.waiting + counts.housed + counts.refused + counts.withdrawn == 150
    for case in Case.objects.filter(municipality=demo):
        case.full_clean()  # the check constraints and the number hold
        assert case.number == f"{case.received_on.year}-{case.pk:06d}"
    housed = WaitingListEntry.objects.filter(status=EntryStatus.HOUSED)
    assert housed.count() == counts.housed > 0
    for entry in housed:
        lease = Lease.objects.get(decision=entry.decision)
        assert lease.start_date == entry.closed_on
        assert entry.decision.case.status == "closed"
        assert entry.decision.case.close_reason == "completed"
    waiting = WaitingListEntry.objects.filter(status=EntryStatus.WAITING)
    assert waiting.count() == counts.waiting
    assert all(e.decision.case.status == "decided" for e in waiting)
