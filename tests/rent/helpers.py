"""Leases, claims and payments for the rent tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from husly.organisation.models import Municipality, User
from husly.people.models import Household
from husly.rent.models import ClaimKind, Payment, PaymentSource, RentClaim
from husly.tenancy.models import Lease, LeaseStatus, kid_for
from tests.factories import BuildingFactory, DwellingFactory, HouseholdFactory


def active_lease(
    municipality: Municipality,
    actor: User,
    *,
    start: dt.date = dt.date(2026, 1, 1),
    rent: int = 9000,
    household: Household | None = None,
) -> Lease:
    building = BuildingFactory(municipality=municipality)
    dwelling = DwellingFactory(building=building, monthly_rent=rent, status="occupied")
    lease = Lease.objects.create(
        municipality=municipality,
        dwelling=dwelling,
        household=household or HouseholdFactory(municipality=municipality),
        status=LeaseStatus.ACTIVE,
        start_date=start,
        monthly_rent=rent,
        created_by=actor,
    )
    lease.payment_kid = kid_for(lease.pk)
    lease.save(update_fields=["payment_kid"])
    return lease


def claim(lease: Lease, month: dt.date, amount: int | None = None) -> RentClaim:
    return RentClaim.objects.create(
        municipality_id=lease.municipality_id,
        lease=lease,
        dwelling_id=lease.dwelling_id,
        month=month,
        kind=ClaimKind.RENT,
        amount=amount if amount is not None else lease.monthly_rent,
        due_date=month.replace(day=lease.payment_due_day),
    )


def pay(lease: Lease, on: dt.date, amount: str | int, ref: str = "") -> Payment:
    return Payment.objects.create(
        municipality_id=lease.municipality_id,
        lease=lease,
        amount=Decimal(str(amount)),
        paid_on=on,
        kid=lease.payment_kid,
        source=PaymentSource.MANUAL,
        reference=ref,
    )
