"""Demo rent: six months of claims for every lease, payments so that most tenants are paid up
and some are behind (one, two or three months, or part of a month), a few introduction-benefit
deductions, two payments for a person to place and one vacancy rent claim."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db.models import Q

from husly.organisation.models import Municipality, Unit, UnitKind
from husly.rent import engine
from husly.rent.actions import rent_roll_run, vacancy_rent_bill
from husly.rent.models import ClaimKind, DirectDeduction, Payment, PaymentSource, RentClaim
from husly.tenancy.models import Lease, LeaseStatus, kid_for

MONTHS = 6
SHARES = ((0.7, 0), (0.82, 1), (0.9, 2), (0.95, 3), (1.01, -1))
"""Cumulative shares of tenants by months left unpaid (-1: half of the last month)."""
BENEFIT_SHARE = 0.1
SHARES = ((0.7, 0), (0.82, 1), (0.9, 2), (0.95, 3), (1.01, -1))
"""Cumulative shares of tenants by months left unpaid (-1: half of the last month)."""
BENEFIT_SHARE = 0.1


def seed_rent(municipality: Municipality, as_of: dt.date, *, seed: int = 12) -> None:
    rng = random.Random(seed)  # noqa: S311 - demo data
    without_kid = list(Lease.objects.filter(municipality=municipality, payment_kid=""))
    for lease in without_kid:
        lease.payment_kid = kid_for(lease.pk)
    Lease.objects.bulk_update(without_kid, ["payment_kid"], batch_size=2000)
    first = engine.month_start(as_of)
    for back in range(MONTHS - 1, -1, -1):
        rent_roll_run(actor=None, municipality=municipality, month=engine.add_months(first, -back))
    refugee = Unit.objects.filter(municipality=municipality, kind=UnitKind.REFUGEE_SERVICE).first()
    claims: dict[int, list[RentClaim]] = {}
    for claim in RentClaim.objects.filter(
        municipality=municipality, kind=ClaimKind.RENT, due_date__lte=as_of
    ).order_by("due_date"):
        claims.setdefault(claim.lease_id or 0, []).append(claim)
    payments: list[Payment] = []
    deductions: list[DirectDeduction] = []
    for lease_id, rows in sorted(claims.items()):
        roll = rng.random()
        unpaid = next(n for limit, n in SHARES if roll < limit)
        benefit = refugee is not None and rng.random() < BENEFIT_SHARE
        if benefit and refugee is not None:
            deductions.append(
                DirectDeduction(
                    lease_id=lease_id,
                    source=PaymentSource.INTRODUCTION_BENEFIT,
                    unit=refugee,
                    starts_on=rows[0].month,
                )
            )
            unpaid = 0
        paid_rows = rows if unpaid <= 0 else rows[:-unpaid]
        for i, claim in enumerate(paid_rows):
            amount = Decimal(claim.amount)
            if unpaid < 0 and i == len(paid_rows) - 1:
                amount = (amount / 2).quantize(Decimal(1))  # part of the last month
            payments.append(
                Payment(
                    municipality=municipality,
                    lease_id=lease_id,
                    amount=amount,
                    paid_on=min(claim.due_date + dt.timedelta(days=rng.randint(-3, 6)), as_of),
                    kid=kid_for(lease_id),
                    source=PaymentSource.INTRODUCTION_BENEFIT if benefit else PaymentSource.OCR,
                    reference=f"demo-{lease_id}-{claim.month:%Y%m}",
                )
            )
    payments += [
        Payment(
            municipality=municipality,
            amount=Decimal("4500.00"),
            paid_on=as_of - dt.timedelta(days=3),
            kid="12345678903",
            source=PaymentSource.OCR,
            reference="demo-unmatched-1",
            note="Ingen leieavtale har denne KID-en.",
        ),
        Payment(
            municipality=municipality,
            amount=Decimal("1200.00"),
            paid_on=as_of - dt.timedelta(days=1),
            source=PaymentSource.BANK_FILE,
            reference="demo-unmatched-2",
            payer="Ukjent innbetaler",
            note="Uten KID.",
        ),
    ]
    Payment.objects.bulk_create(payments, batch_size=2000)
    DirectDeduction.objects.bulk_create(deductions)
    _vacancy(municipality, first)
    _index_notice(municipality, as_of)


def _index_notice(municipality: Municipality, as_of: dt.date) -> None:
    """One index notice written on the parameter file's placeholder values: the ledger shows
    that it cannot be sent until SSB's values are imported (``./dev manage cpi_import``)."""
    from django.core.exceptions import ValidationError

    from husly.rent.actions import rent_index_adjust, rent_index_due

    for lease in rent_index_due(municipality, as_of)[:1]:
        try:
            rent_index_adjust(actor=None, lease=lease, notice_on=as_of)
        except ValidationError:  # e.g. no index value yet for the month: no demo notice
            return


def _vacancy(municipality: Municipality, month: dt.date) -> None:
    ended = (
        Lease.objects.filter(municipality=municipality, status=LeaseStatus.ENDED)
        .filter(Q(ended_on__isnull=False))
        .select_related("dwelling__building__municipality", "follow_up_unit")
        .order_by("-ended_on")
        .first()
    )
    if ended is None:
        return
    unit = (
        ended.follow_up_unit
        or Unit.objects.filter(municipality=municipality, kind=UnitKind.HEALTH_CARE).first()
    )
    if unit is None or RentClaim.objects.filter(dwelling=ended.dwelling, month=month).exists():
        return
    vacancy_rent_bill(
        actor=None, dwelling=ended.dwelling, month=month, cause="overlap", unit=unit, days=10
    )
