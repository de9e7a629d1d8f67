"""Simultaneous requests on PostgreSQL: a dwelling never gets two live offers, two accepted
answers or two active leases. Each thread has its own database connection (transaction=True
tests commit for real), and all start together at a barrier."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.utils import timezone

from husly.allocation import actions as allocation
from husly.allocation.models import Offer, OfferStatus
from husly.tenancy import actions
from husly.tenancy.models import Lease
from tests.allocation.helpers import approve, entry_of, make_household

pytestmark = pytest.mark.django_db(transaction=True)


def _race(calls: list[Callable[[], Any]]) -> tuple[list[Any], list[Exception], float]:
    """Run every call in its own thread, released together; returns results, errors and the
    wall time in seconds."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = []
    errors: list[Exception] = []
    lock = threading.Lock()

    def run(call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            value = call()
            with lock:
                results.append(value)
        except Exception as exc:
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors, time.perf_counter() - started


def test_eight_simultaneous_offers_of_one_dwelling_give_exactly_one(
    sara, geir, raelingen, routing, vacancy
) -> None:
    entries = []
    for k in range(8):
        household = make_household(raelingen, f"Hus{k}")
        approve(sara, geir, household)
        entries.append(entry_of(household))
    results, errors, seconds = _race(
        [
            (lambda e=e: allocation.offer_make(actor=sara, entry=e, dwelling=vacancy))
            for e in entries
        ]
    )
    assert len(results) == 1, errors
    assert len(errors) == 7 and all(isinstance(e, ValidationError) for e in errors)
    assert Offer.objects.filter(dwelling=vacancy).count() == 1
    print(f"8 simultaneous offers: 1 made, 7 refused in {seconds:.3f} s")


def test_simultaneous_answers_to_one_offer_record_exactly_one(
    sara, geir, raelingen, routing, vacancy
) -> None:
    household = make_household(raelingen, "Berg")
    approve(sara, geir, household)
    offer = allocation.offer_make(actor=sara, entry=entry_of(household), dwelling=vacancy)
    calls: list[Callable[[], Any]] = []
    for k in range(8):
        if k % 2:
            calls.append(lambda: allocation.offer_accept(actor=sara, offer=offer))
        else:
            calls.append(
                lambda: allocation.offer_refuse(actor=sara, offer=offer, reason="Dobbeltklikk")
            )
    results, errors, _ = _race(calls)
    assert len(results) == 1 and len(errors) == 7, errors
    offer.refresh_from_db()
    assert offer.status in {OfferStatus.ACCEPTED, OfferStatus.REFUSED}


def test_simultaneous_leases_for_one_dwelling_give_exactly_one(
    sara, geir, raelingen, routing, vacancy
) -> None:
    household = make_household(raelingen, "Berg")
    approve(sara, geir, household)
    offer = allocation.offer_make(actor=sara, entry=entry_of(household), dwelling=vacancy)
    allocation.offer_accept(actor=sara, offer=offer)
    start = timezone.localdate() + dt.timedelta(days=1)
    data = actions.default_terms(vacancy, start)
    results, errors, _ = _race(
        [(lambda: actions.lease_create(actor=sara, offer=offer, data=data)) for _ in range(6)]
    )
    assert len(results) == 1 and len(errors) == 5, errors
    assert all(isinstance(e, ValidationError) for e in errors)
    assert Lease.objects.filter(dwelling=vacancy).count() == 1


def _session(live_server: Any, user: Any, page: str) -> requests.Session:
    """A real HTTP session for ``user`` with its CSRF cookie."""
    client = Client()
    client.force_login(user)
    session = requests.Session()
    session.cookies.set(
        settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value
    )
    session.get(live_server.url + page, timeout=20).raise_for_status()
    return session


def test_real_http_requests_from_min_side_and_the_caseworker_answer_an_offer_once(
    live_server, sara, geir, raelingen, routing, vacancy
) -> None:
    from husly.portal.auth import resident_user
    from tests.factories import synthetic_number

    number = synthetic_number(dt.date(1990, 2, 2))
    household = make_household(raelingen, "Berg", national_id=number)
    approve(sara, geir, household)
    offer = allocation.offer_make(actor=sara, entry=entry_of(household), dwelling=vacancy)
    resident = resident_user(request=None, national_id=number)
    staff_page = f"/tildeling/tilbud/{offer.pk}/"
    portal_page = f"/tildeling/minside/tilbud/{offer.pk}/"
    sessions = [
        (_session(live_server, resident, portal_page), portal_page, {"step": "accept"}),
        (
            _session(live_server, sara, staff_page),
            staff_page,
            {"step": "refuse", "reason": "Husstanden ringte og takket nei."},
        ),
    ] * 3
    sessions = [
        (s, page, {**data, "csrfmiddlewaretoken": s.cookies[settings.CSRF_COOKIE_NAME]})
        for s, page, data in sessions
    ]

    def post(s: requests.Session, page: str, data: dict[str, str]) -> int:
        return s.post(
            live_server.url + page, data=data, timeout=30, allow_redirects=False
        ).status_code

    results, errors, seconds = _race(
        [(lambda s=s, p=p, d=d: post(s, p, d)) for s, p, d in sessions]
    )
    # One answer wins (redirect); a losing refusal is shown again with the error (200).
    assert not errors and set(results) <= {200, 302} and 302 in results
    offer.refresh_from_db()
    assert offer.status in {OfferStatus.ACCEPTED, OfferStatus.REFUSED}
    from husly.audit.models import ChangeEvent

    answers = ChangeEvent.objects.filter(action__in=["offer_accept", "offer_refuse"])
    assert answers.count() == 1
    print(f"6 simultaneous HTTP answers: 1 recorded in {seconds:.3f} s")
