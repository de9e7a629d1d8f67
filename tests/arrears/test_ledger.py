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


def test_rescan_closing_paid_up_cases_does_not_grow_with_cases(raelingen, eirik) -> None:  # type: ignore[no-untyped-def]
    from husly.arrears.models import ArrearsFact, FactKind
    from husly.audit.models import ChangeEvent

    def count(n: int) -> int:
        ArrearsCase.objects.all().delete()
        leases = [active_lease(raelingen, eirik) for _ in range(n)]
        for lease in leases:
            claim(lease, D(2026, 1, 1))
        _scan(raelingen, D(2026, 1, 10))
        for lease in leases:
            pay(lease, D(2026, 1, 15), 9000)
        with CaptureQueriesContext(connection) as ctx:
            assert _scan(raelingen, D(2026, 1, 16))["closed"] >= n
        return len(ctx.captured_queries)

    small = count(2)
    large = count(12)
    assert large == small
    closed = ArrearsCase.objects.filter(status=CaseStatus.CLOSED, close_reason="paid_up")
    assert closed.count() == 14  # the two leases of the first round again, and twelve new
    ids = [str(pk) for pk in closed.values_list("pk", flat=True)]
    assert ChangeEvent.objects.filter(action="arrears_case_close", object_id__in=ids).count() == 14
    facts = ArrearsFact.objects.filter(kind=FactKind.CASE_CLOSED, close_reason="paid_up")
    assert facts.count() >= 12
