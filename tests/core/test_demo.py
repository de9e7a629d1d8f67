from __future__ import annotations

import datetime as dt

import pytest

from husly.cases.models import Case, Decision
from husly.demo.builder import DemoGenerator
from husly.housing.models import Dwelling
from husly.organisation.models import User
from husly.people.models import Household, Person

pytestmark = pytest.mark.django_db


def _fingerprint() -> list[tuple[str, str, str]]:
    return list(
        Person.objects.order_by("national_id", "given_name").values_list(
            "national_id", "given_name", "family_name"
        )
    )


def test_the_small_demo_is_at_raelingen_scale_and_valid() -> None:
    DemoGenerator("small", seed=1, as_of=dt.date(2026, 11, 1)).run()
    assert 180 <= Dwelling.objects.count() <= 240
    assert Household.objects.count() >= 300
    for person in Person.objects.all()[:200]:
        person.full_clean()  # every synthetic identity number validates
    assert User.objects.filter(username="saksbehandler", memberships__role="caseworker").exists()
    # Applications in every state, through the real actions; the approved ones are on the
    # waiting list at about Rælingen's size (16 households, raelingen L1237).
    statuses = set(Case.objects.values_list("status", flat=True))
    assert {"submitted", "in_progress", "decided"} <= statuses
    assert 10 <= Decision.objects.filter(status="issued", kind="approval").count() <= 16
    # Allocation: the approvals are on the waiting list; one meeting with a proposal for the
    # vacancies, two offers confirmed, one accepted and leased.
    from husly.allocation.models import AllocationMeeting, Offer, WaitingListEntry
    from husly.tenancy.models import Lease

    assert WaitingListEntry.objects.count() == Decision.objects.filter(kind="approval").count()
    assert AllocationMeeting.objects.get().items.filter(proposed_entry__isnull=False).exists()
    assert Offer.objects.count() == 2 and Lease.objects.count() == 1


def test_the_same_seed_gives_the_same_data(django_db_blocker: object) -> None:
    DemoGenerator("small", seed=7, as_of=dt.date(2026, 11, 1), with_cases=False).run()
    first = _fingerprint()
    Household.objects.all().delete()  # members cascade
    Person.objects.all().delete()
    Dwelling.objects.all().delete()
    from husly.housing.models import Building

    Building.objects.all().delete()
    DemoGenerator("small", seed=7, as_of=dt.date(2026, 11, 1), with_cases=False).run()
    assert _fingerprint() == first
