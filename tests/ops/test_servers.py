"""Several application servers, and a server killed mid-write (ADR 0023).

Two ``runserver`` processes share one database and one media folder: nothing lives in a
process's memory between requests (sessions and cache in the database, files in the shared
folder), so a session opened on one server works on the other, and two caseworkers accepting
the same offer at once through the two servers give exactly one acceptance; the others get the
Norwegian refusal. A server killed mid-write: tests/ops/test_crash.py."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from husly.allocation import actions as allocation
from husly.allocation.models import OfferStatus
from husly.audit.models import ChangeEvent
from tests.allocation.helpers import approve, entry_of, make_dwelling, make_household
from tests.conftest import _user
from tests.ops.servers import Server, csrf, session

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="servers share PostgreSQL"),
]

BORN = dt.date(1950, 1, 1)
REFUSED = "Tilbudet er allerede besvart eller trukket tilbake."
ACCEPTED = "Ja-svaret er registrert."


@pytest.fixture
def media(tmp_path, settings):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def _together(calls: list[Callable[[], Any]]) -> list[Any]:
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(k: int) -> None:
        barrier.wait()
        try:
            results[k] = calls[k]()
        except Exception as exc:
            results[k] = exc

    threads = [threading.Thread(target=run, args=(k,)) for k in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_two_servers_share_sessions_and_one_offer_is_accepted_once(
    media, tmp_path, sara, geir, eirik, housing_office, raelingen, routing
) -> None:
    vacancy = make_dwelling(raelingen, eirik)
    siri = _user("siri", housing_office, "caseworker")
    household = make_household(raelingen, "Berg")
    approve(sara, geir, household)
    offer = allocation.offer_make(actor=sara, entry=entry_of(household), dwelling=vacancy)
    page = f"/tildeling/tilbud/{offer.pk}/"
    servers = [Server(media, tmp_path / f"server{k}.log") for k in range(2)]
    try:
        # One session, both servers: the session and its CSRF token are not in a process.
        sessions = {user.username: session(servers[0], user, page) for user in (sara, siri)}
        assert sessions["sara"].get(servers[1].url + page, timeout=30).status_code == 200

        def accept(user: str, server: Server) -> str:
            http = sessions[user]
            response = http.post(
                server.url + page,
                data={"step": "accept", "csrfmiddlewaretoken": csrf(http)},
                timeout=60,
            )
            response.raise_for_status()
            return response.text

        pages = _together(
            [
                lambda: accept("sara", servers[0]),
                lambda: accept("siri", servers[1]),
                lambda: accept("sara", servers[1]),
                lambda: accept("siri", servers[0]),
            ]
        )
    finally:
        for server in servers:
            server.stop()
    assert all(isinstance(p, str) for p in pages), pages
    assert sum(ACCEPTED in p for p in pages) == 1
    assert sum(REFUSED in p for p in pages) == 3
    offer.refresh_from_db()
    assert offer.status == OfferStatus.ACCEPTED
    assert ChangeEvent.objects.filter(action="offer_accept").count() == 1
