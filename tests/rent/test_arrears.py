"""Arrears from the ledger as of a date: oldest claims settled first, one query."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from husly.rent.models import ClaimKind, RentClaim
from husly.rent.selectors import Arrears, arrears_as_of, ledger_for_lease
from tests.rent.helpers import active_lease, claim, pay

JAN, FEB, MAR = dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)


def test_arrears_count_unpaid_months_oldest_first(raelingen, eirik, property_unit) -> None:
    paid_up = active_lease(raelingen, eirik)
    behind = active_lease(raelingen, eirik)
    part = active_lease(raelingen, eirik)
    for lease in (paid_up, behind, part):
        for month in (JAN, FEB, MAR):
            claim(lease, month)
    pay(paid_up, dt.date(2026, 1, 2), 27000)
    pay(behind, dt.date(2026, 1, 3), 9000)
    pay(part, dt.date(2026, 1, 3), 9000)
    pay(part, dt.date(2026, 2, 5), "4500.50")
    pay(part, dt.date(2026, 4, 1), 1000)  # after the date asked for: not counted
    # Vacancy rent is billed to a unit, never to the tenant.
    RentClaim.objects.create(
        municipality=raelingen,
        lease=behind,
        dwelling=behind.dwelling,
        month=MAR,
        kind=ClaimKind.VACANCY,
        amount=5000,
        due_date=MAR,
        billed_unit=property_unit,
        vacancy_cause="overlap",
    )

    with CaptureQueriesContext(connection) as queries:
        result = arrears_as_of(municipality=raelingen, as_of=dt.date(2026, 3, 15))
    assert len(queries.captured_queries) == 1
    assert paid_up.pk not in result
    assert result[behind.pk] == Arrears(amount=18000, months_unpaid=2, oldest_unpaid_due=FEB)
    assert result[part.pk] == Arrears(amount=13500, months_unpaid=2, oldest_unpaid_due=FEB)

    # Before March's claim falls due only February is unpaid.
    early = arrears_as_of(municipality=raelingen, as_of=dt.date(2026, 2, 20))
    assert early[behind.pk] == Arrears(amount=9000, months_unpaid=1, oldest_unpaid_due=FEB)


def test_ledger_shows_balance_by_month(raelingen, eirik) -> None:
    lease = active_lease(raelingen, eirik)
    for month in (JAN, FEB):
        claim(lease, month)
    pay(lease, dt.date(2026, 1, 5), 9000)
    pay(lease, dt.date(2026, 3, 5), 4000)
    ledger = ledger_for_lease(lease)
    assert [(m.month, m.charged, m.paid, m.balance) for m in ledger.months] == [
        (JAN, 9000, 9000, 0),
        (FEB, 9000, 0, 9000),
        (MAR, 0, 4000, 5000),
    ]
    assert ledger.balance == 5000


def test_retention_keeps_a_household_that_owes_rent(raelingen, eirik) -> None:
    from husly.rent.hooks import debtors_in_use

    owes, paid = active_lease(raelingen, eirik), active_lease(raelingen, eirik)
    for lease in (owes, paid):
        claim(lease, JAN)
    pay(paid, dt.date(2026, 1, 2), 9000)
    pay(owes, dt.date(2026, 1, 2), 8000)
    members = {
        lease.pk: set(lease.household.members.values_list("person_id", flat=True))
        for lease in (owes, paid)
    }
    everyone = members[owes.pk] | members[paid.pk]
    assert members[owes.pk] and debtors_in_use(everyone) == members[owes.pk]
