"""A household in temporary accommodation that gets a lease leaves its § 27 place the day the
lease comes into force: the stay ends by itself, with its nights and cost up to that day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from husly.allocation import actions as allocation
from husly.audit.models import ChangeEvent
from husly.temporary.models import Stay, StayChange
from husly.tenancy import actions as tenancy
from tests.allocation.helpers import (
    approve,
    entry_of,
    lease_in_force,
    make_dwelling,
    make_household,
)
from tests.temporary.helpers import provider, stay

pytestmark = pytest.mark.django_db


def _lease(sara, geir, household, dwelling, start):  # type: ignore[no-untyped-def]
    approve(sara, geir, household)
    offer = allocation.offer_make(actor=sara, entry=entry_of(household), dwelling=dwelling)
    allocation.offer_accept(actor=sara, offer=offer)
    return tenancy.lease_create(
        actor=sara,
        offer=offer,
        data={
            "start_date": start,
            "end_date": tenancy.standard_end_date(start),
            "term_kind": "standard",
            "term_basis": "",
            "monthly_rent": 9800,
            "deposit_kind": "nav_guarantee",
            "deposit_amount": 29_400,
            "handover_on": start,
            "inspection_on": start + dt.timedelta(days=60),
        },
    )


def test_a_lease_in_force_ends_the_households_open_stay_on_its_first_day(
    sara, geir, eirik, raelingen, housing_office, routing
):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    place = provider(raelingen, "Fjerdingby hospits", "hostel", 450, actor=sara)
    household = make_household(raelingen, "Haugen")
    open_stay = stay(
        household, sara, housing_office, [(place, today - dt.timedelta(days=20), None)]
    )
    other = stay(
        make_household(raelingen, "Berg"),
        sara,
        housing_office,
        [(place, today - dt.timedelta(days=5), None)],
    )
    lease = _lease(sara, geir, household, make_dwelling(raelingen, eirik), today)

    lease_in_force(eirik, lease)  # the property manager, who holds no role in § 27 stays

    ended = Stay.objects.get(pk=open_stay.pk)
    assert ended.ended_on == today
    assert ended.end_reason == "lease_signed"
    assert ended.segments.get().ends_on == today
    assert ended.segments.get().nights() == 20
    change = StayChange.objects.get(stay=ended, kind="ended")
    assert change.by == eirik
    assert "kom i kraft" in change.reason
    assert ChangeEvent.objects.filter(action="stay_end", object_id=str(ended.pk)).exists()
    assert Stay.objects.get(pk=other.pk).ended_on is None  # another household's stay is kept


def test_a_brokered_private_lease_ends_the_stay_and_is_counted_from_temporary_accommodation(
    sara, raelingen, housing_office, routing
):  # type: ignore[no-untyped-def]
    from husly.landlords import actions as landlords
    from husly.landlords.models import AgreementKind, BrokeredFrom, FactKind, LandlordFact

    today = timezone.localdate()
    place = provider(raelingen, "Fjerdingby hospits", "hostel", 450, actor=sara)
    household = make_household(raelingen, "Haugen")
    open_stay = stay(household, sara, housing_office, [(place, today - dt.timedelta(days=9), None)])
    landlord = landlords.landlord_register(
        actor=sara,
        municipality=raelingen,
        data={"kind": "company", "name": "Utleie AS", "org_number": "974760673", "phone": "1"},
    )
    flat = landlords.offered_dwelling_register(
        actor=sara,
        landlord=landlord,
        data={
            "address": "Privatvegen 3",
            "postal_code": "2008",
            "postal_town": "Fjerdingby",
            "rooms": 2,
            "area_m2": 55,
            "monthly_rent": 9000,
        },
    )
    agreement = landlords.agreement_create(
        actor=sara,
        landlord=landlord,
        kind=AgreementKind.BROKERAGE,
        data={"offered_dwelling": flat, "start_date": today, "household": household},
    )

    landlords.brokerage_lease_signed(actor=sara, agreement=agreement, signed_on=today)

    ended = Stay.objects.get(pk=open_stay.pk)
    assert ended.ended_on == today
    assert ended.end_reason == "lease_signed"
    assert ended.segments.get().nights() == 9
    change = StayChange.objects.get(stay=ended, kind="ended")
    assert "Utleie AS" in change.reason
    assert "Privatvegen 3" in change.reason
    fact = LandlordFact.objects.get(kind=FactKind.BROKERED)
    assert fact.brokered_from == BrokeredFrom.TEMPORARY_STAY


def test_a_brokerage_for_a_household_without_a_stay_counts_as_from_elsewhere(
    sara, raelingen, routing
):  # type: ignore[no-untyped-def]
    from husly.landlords import actions as landlords
    from husly.landlords.models import AgreementKind, BrokeredFrom, FactKind, LandlordFact

    today = timezone.localdate()
    landlord = landlords.landlord_register(
        actor=sara,
        municipality=raelingen,
        data={"kind": "company", "name": "Utleie AS", "org_number": "974760673", "phone": "1"},
    )
    flat = landlords.offered_dwelling_register(
        actor=sara,
        landlord=landlord,
        data={
            "address": "Privatvegen 3",
            "postal_code": "2008",
            "postal_town": "Fjerdingby",
            "rooms": 2,
            "area_m2": 55,
            "monthly_rent": 9000,
        },
    )
    agreement = landlords.agreement_create(
        actor=sara,
        landlord=landlord,
        kind=AgreementKind.BROKERAGE,
        data={
            "offered_dwelling": flat,
            "start_date": today,
            "household": make_household(raelingen, "Berg"),
        },
    )
    landlords.brokerage_lease_signed(actor=sara, agreement=agreement, signed_on=today)
    assert LandlordFact.objects.get(kind=FactKind.BROKERED).brokered_from == BrokeredFrom.OTHER
