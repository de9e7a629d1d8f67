"""Reads of rent, claims, payments and arrears, scoped to the user's municipalities.

Arrears are computed from the ledger as of any date (Rælingen appendix 5, "early overview of
arrears"): what the tenant owes is every claim due on or before the date (vacancy rent is billed
to a unit, never to the tenant) less every payment placed on the lease and paid on or before the
date. Payments settle the oldest claims first, so the unpaid months are the newest claims whose
running total exceeds what has been paid. One SQL statement for a whole municipality.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import cast

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import QuerySet

from husly.organisation.access import get_or_404, has_role, scoped
from husly.organisation.models import Municipality, Role, User
from husly.rent.models import ClaimKind, Payment, PaymentBatch, RentClaim
from husly.tenancy.models import Lease

RENT_READ = frozenset({Role.PROPERTY, Role.COLLECTIONS, Role.CASEWORKER, Role.APPROVER})
"""Who sees ledgers and arrears: the property unit, collections (innfordring, which collects
them: appendix 5 "håndtering av restanser") and the social housing consultants who talk to the
tenant about arrears (appendix 4 point 3)."""
RENT_WRITE = frozenset({Role.PROPERTY})
"""Who bills, imports and places payments, and adjusts rent: the property unit (EIE sends all
rent claims, appendix 5). Collections read the ledger but do not bill."""


def require_rent_role(user: User | None, municipality_id: int, *, stacklevel: int = 2) -> None:
    """The check of every rent action (``None`` is the system: a command or a job)."""
    from husly.organisation.access import require_permission

    require_permission(user, municipality_id, RENT_WRITE, stacklevel=stacklevel + 1)


def can_write_rent(user: User, municipality_id: int) -> bool:
    return has_role(user, municipality_id, RENT_WRITE)


def leases_with_rent_for_user(user: User) -> QuerySet[Lease]:
    return cast(
        QuerySet[Lease], scoped(Lease.objects.all(), user, RENT_READ, "municipality_id")
    ).select_related("dwelling", "dwelling__building", "household", "municipality")


def rent_lease_get_for_user(user: User, pk: object) -> Lease:
    """The one access function for a lease's ledger: 404 outside the user's roles."""
    return cast(Lease, get_or_404(leases_with_rent_for_user(user), pk))


def payments_for_user(user: User) -> QuerySet[Payment]:
    return cast(
        QuerySet[Payment], scoped(Payment.objects.all(), user, RENT_WRITE, "municipality_id")
    )


def unmatched_payments_for_user(user: User) -> QuerySet[Payment]:
    return payments_for_user(user).filter(lease__isnull=True).order_by("paid_on", "pk")


def payment_get_for_user(user: User, pk: object) -> Payment:
    return cast(Payment, get_or_404(payments_for_user(user), pk))


def batches_for_user(user: User) -> QuerySet[PaymentBatch]:
    return cast(
        QuerySet[PaymentBatch],
        scoped(PaymentBatch.objects.all(), user, RENT_WRITE, "municipality_id"),
    )


def batch_get_for_user(user: User, pk: object) -> PaymentBatch:
    return cast(PaymentBatch, get_or_404(batches_for_user(user), pk))


def require_rent_read(user: User, municipality_id: int) -> None:
    if not has_role(user, municipality_id, RENT_READ):
        raise PermissionDenied


# --------------------------------------------------------------------------------------------
# Arrears
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Arrears:
    """What a lease owes on a date. ``amount`` in whole kroner (øre rounded half up);
    ``months_unpaid`` counts the claims not fully paid (a part-paid month counts);
    ``oldest_unpaid_due`` is the due date of the oldest of them."""

    amount: int
    months_unpaid: int
    oldest_unpaid_due: dt.date | None


def _kroner(value: Decimal | int | float) -> int:
    return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


_ARREARS_SQL = """
WITH events AS (
    SELECT c.lease_id AS lease_id, c.due_date AS due_date, c.month AS month, c.id AS id,
           c.amount AS charged, 0 AS paid, 1 AS is_claim
    FROM rent_rentclaim c
    WHERE c.municipality_id = %(m)s AND c.lease_id IS NOT NULL
          AND c.kind <> %(vacancy)s AND c.due_date <= %(d)s
    UNION ALL
    SELECT p.lease_id, NULL, NULL, p.id, 0, p.amount, 0
    FROM rent_payment p
    WHERE p.paid_on <= %(d)s
          AND p.lease_id IN (SELECT l.id FROM tenancy_lease l WHERE l.municipality_id = %(m)s)
), running AS (
    SELECT lease_id, due_date, is_claim,
           SUM(charged) OVER (
               PARTITION BY lease_id ORDER BY is_claim DESC, due_date, month, id
               ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
           ) AS cum,
           SUM(paid) OVER (PARTITION BY lease_id) AS paid
    FROM events
)
SELECT lease_id, MAX(cum) - MAX(paid), COUNT(*), MIN(due_date)
FROM running WHERE is_claim = 1 AND cum > paid
GROUP BY lease_id
"""
"""The claims and the payments of the municipality's leases in one stream, summed per lease
with window functions: no join and no subquery per row. (A join with a grouped payments table
was planned as a nested loop, quadratic, by SQLite and by PostgreSQL on fresh tables; a payments
subquery per claim cost 1.5 s at Oslo scale, 70,000 claims.) Payment rows charge nothing, so
where they fall in the claims' order does not change the running sum."""


def arrears_as_of(*, municipality: Municipality, as_of: dt.date) -> dict[int, Arrears]:
    """``{lease_id: Arrears}`` for every lease of the municipality that owes money on
    ``as_of``. A lease that is absent is paid up (or in credit). One query, whatever the
    number of leases."""
    with connection.cursor() as cursor:
        cursor.execute(
            _ARREARS_SQL,
            {"m": municipality.pk, "d": as_of, "vacancy": ClaimKind.VACANCY.value},
        )
        rows = cursor.fetchall()
    result: dict[int, Arrears] = {}
    for lease_id, amount, count, oldest in rows:
        kroner = _kroner(amount)
        if kroner <= 0:
            continue
        # SQLite returns dates from aggregates as text.
        due = dt.date.fromisoformat(oldest) if isinstance(oldest, str) else oldest
        result[lease_id] = Arrears(amount=kroner, months_unpaid=count, oldest_unpaid_due=due)
    return result


def arrears_for_lease(lease: Lease, as_of: dt.date) -> Arrears:
    """The arrears of one lease (the same computation; zero when paid up)."""
    return arrears_as_of(municipality=lease.municipality, as_of=as_of).get(
        lease.pk, Arrears(amount=0, months_unpaid=0, oldest_unpaid_due=None)
    )


# --------------------------------------------------------------------------------------------
# Ledger
# --------------------------------------------------------------------------------------------


@dataclass
class LedgerMonth:
    month: dt.date
    claims: list[RentClaim] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)
    charged: int = 0
    paid: Decimal = Decimal(0)
    balance: Decimal = Decimal(0)
    """Owed at the end of the month (negative: in credit)."""


@dataclass
class Ledger:
    lease: Lease
    months: list[LedgerMonth]
    charged: int
    paid: Decimal
    balance: Decimal


def _first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def ledger_for_lease(lease: Lease, *, as_of: dt.date | None = None) -> Ledger:
    """The lease's claims and payments month by month with the running balance (two queries).
    Vacancy rent is billed to a unit and is not on the tenant's ledger. With ``as_of``, only
    claims due and payments made on or before that date."""
    claims = RentClaim.objects.filter(lease=lease).exclude(kind=ClaimKind.VACANCY)
    payments = Payment.objects.filter(lease=lease)
    if as_of is not None:
        claims = claims.filter(due_date__lte=as_of)
        payments = payments.filter(paid_on__lte=as_of)
    by_month: dict[dt.date, LedgerMonth] = {}
    for claim in claims.order_by("month", "due_date", "pk"):
        row = by_month.setdefault(claim.month, LedgerMonth(month=claim.month))
        row.claims.append(claim)
        row.charged += claim.amount
    for payment in payments.order_by("paid_on", "pk"):
        month = _first_of_month(payment.paid_on)
        row = by_month.setdefault(month, LedgerMonth(month=month))
        row.payments.append(payment)
        row.paid += payment.amount
    balance = Decimal(0)
    months = [by_month[key] for key in sorted(by_month)]
    for row in months:
        balance += row.charged - row.paid
        row.balance = balance
    return Ledger(
        lease=lease,
        months=months,
        charged=sum(row.charged for row in months),
        paid=sum((row.paid for row in months), Decimal(0)),
        balance=balance,
    )
