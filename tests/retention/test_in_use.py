"""The retention job keeps persons another app still uses: a tenant on an active lease and a
household waiting for a dwelling are never anonymised, however old the case that got them there.
"""

from __future__ import annotations

import pytest

from husly.allocation.models import EntryStatus, WaitingListEntry
from husly.people.models import Household, Person
from husly.retention import hooks
from husly.retention.jobs import run
from husly.tenancy.models import Lease, LeaseStatus, TermKind
from tests.allocation.helpers import make_dwelling
from tests.retention.test_retention import AFTER, CLOSED_ON, _closed_case, _issued

pytestmark = pytest.mark.django_db


def _decided_long_ago(sara, household):  # type: ignore[no-untyped-def]
    case = _closed_case(sara, household, status="decided")
    return _issued(case, sara)


def _anonymised(household: Household) -> set[int]:
    ids = household.members.values_list("person_id", flat=True)
    return set(
        Person.objects.filter(pk__in=ids, given_name="Anonymisert").values_list("pk", flat=True)
    )


def test_a_tenant_on_an_active_lease_is_kept_until_the_lease_ends(
    sara, eirik, household, routing, raelingen
) -> None:
    decision = _decided_long_ago(sara, household)
    lease = Lease.objects.create(
        municipality=raelingen,
        dwelling=make_dwelling(raelingen, eirik, start=CLOSED_ON),
        household=household,
        decision=decision,
        term_kind=TermKind.INDEFINITE,
        term_basis="Varig behov vurdert.",
        start_date=CLOSED_ON,
        monthly_rent=9800,
        created_by=sara,
    )
    report = run(today=AFTER)
    assert report.counts["cases"] == 1  # the old application is anonymised all the same
    assert (report.counts["persons"], report.counts["households"]) == (0, 0)
    assert _anonymised(household) == set()
    assert Household.objects.get(pk=household.pk).name == "Nordmann"

    Lease.objects.filter(pk=lease.pk).update(status=LeaseStatus.ENDED, ended_on=AFTER)
    report = run(today=AFTER)
    assert (report.counts["persons"], report.counts["households"]) == (2, 1)


def test_a_household_on_the_waiting_list_is_kept(sara, household, routing, raelingen) -> None:
    decision = _decided_long_ago(sara, household)
    entry = WaitingListEntry.objects.create(
        municipality=raelingen,
        household=household,
        decision=decision,
        placed_on=CLOSED_ON,
        persons=2,
        categories=["ordinary"],
    )
    assert run(today=AFTER).counts["persons"] == 0
    assert _anonymised(household) == set()

    WaitingListEntry.objects.filter(pk=entry.pk).update(status=EntryStatus.LAPSED)
    assert run(today=AFTER).counts["persons"] == 2


def test_tenancy_and_allocation_register_what_they_use() -> None:
    names = {f"{h.__module__}.{h.__name__}" for h in hooks.persons_in_use_handlers}
    assert names >= {"husly.tenancy.hooks.tenants_in_use", "husly.allocation.hooks.waiting_in_use"}
