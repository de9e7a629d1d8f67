"""The scan on the real rent ledger (husly.rent.selectors.arrears_as_of): set-based, a fixed
number of queries whatever the number of leases, opens once, closes a paid-up case."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from husly.arrears import actions
from husly.arrears.models import ArrearsCase, CaseStatus
from tests.rent.helpers import active_lease, claim, pay

pytestmark = pytest.mark.django_db
D = dt.date


def _scan(municipality, on):  # type: ignore[no-untyped-def]
    return actions.arrears_scan(actor=None, municipality=municipality, as_of=on)


def test_scan_opens_and_closes_from_the_ledger(raelingen, eirik) -> None:  # type: ignore[no-untyped-def]
    lease = active_lease(raelingen, eirik)
    claim(lease, D(2026, 1, 1))
    assert _scan(raelingen, D(2026, 1, 10))["opened"] == 1
    case = ArrearsCase.objects.get(lease=lease)
    assert (case.arrears, case.months_unpaid) == (9000, 1)
    assert case.oldest_unpaid_due == D(2026, 1, lease.payment_due_day)
    pay(lease, D(2026, 1, 15), 9000)
    assert _scan(raelingen, D(2026, 1, 16))["closed"] == 1
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.close_reason == "paid_up"


def test_scan_queries_do_not_grow_with_leases(raelingen, eirik) -> None:  # type: ignore[no-untyped-def]
    def count(n: int) -> int:
        for _ in range(n):
            claim(active_lease(raelingen, eirik), D(2026, 1, 1))
        ArrearsCase.objects.all().delete()
        with CaptureQueriesContext(connection) as ctx:
            _scan(raelingen, D(2026, 1, 10))
        return len(ctx.captured_queries)

    small = count(2)
    large = count(20)
    assert large == small
