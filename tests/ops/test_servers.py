"""Several application servers, and a server killed mid-write (ADR 0023).

Two ``runserver`` processes share one database and one media folder: nothing lives in a
process's memory between requests (sessions and cache in the database, files in the shared
folder), so a session opened on one server works on the other, and two caseworkers accepting
the same offer at once through the two servers give exactly one acceptance; the others get the
Norwegian refusal. A server killed with SIGKILL while parallel requests write leaves no partial
state: every stored document has its row and its audit event, every answered offer its one
event, every confirmed import all its persons (each with its event) and an unconfirmed one
none, and a file written before the kill without its row is an orphan that ``media_check``
finds and removes."""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
import requests
from django.db import connection
from django.db.models import Count

from husly.allocation import actions as allocation
from husly.allocation.models import Offer, OfferStatus
from husly.audit.models import ChangeEvent
from husly.cases import actions as cases
from husly.cases.models import Document
from husly.imports.models import ImportBatch, ImportStatus
from husly.ops.media import media_check
from husly.people.models import Person
from tests.allocation.helpers import approve, entry_of, make_dwelling, make_household
from tests.cases.helpers import ELIGIBLE
from tests.conftest import _user
from tests.core.test_imports import PERSON_HEADER
from tests.factories import synthetic_number
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


PDF = b"%PDF-1.4\n"


def test_a_server_killed_mid_write_leaves_no_partial_state(
    media, tmp_path, sara, geir, raelingen, routing, eirik
) -> None:
    case = cases.case_create(
        actor=sara,
        household=make_household(raelingen, "Dahl"),
        channel="meeting",
        help_kinds=["rental_dwelling"],
        data=ELIGIBLE,
        submit=True,
    )
    offers = []
    for k in range(6):
        household = make_household(raelingen, f"Hus{k}")
        approve(sara, geir, household)
        dwelling = make_dwelling(raelingen, eirik, address=f"Krasjvegen {k}")
        offers.append(
            allocation.offer_make(actor=sara, entry=entry_of(household), dwelling=dwelling)
        )
    server = Server(media, tmp_path / "server.log")
    http = session(server, sara, f"/saker/{case.pk}/")
    stop = threading.Event()
    sent = {"documents": 0, "answers": 0, "imports": 0, "failed": 0}
    lock = threading.Lock()

    def upload(worker: int) -> None:
        n = 0
        while not stop.is_set():
            n += 1
            body = PDF + os.urandom(512 * 1024) + f"{worker}-{n}".encode()
            try:
                http.post(
                    f"{server.url}/saker/{case.pk}/dokument/",
                    data={"title": f"Vedlegg {worker}-{n}", "csrfmiddlewaretoken": csrf(http)},
                    files={"file": (f"v{worker}-{n}.pdf", body, "application/pdf")},
                    timeout=30,
                )
                with lock:
                    sent["documents"] += 1
            except requests.RequestException:
                with lock:
                    sent["failed"] += 1
                return

    def answer(offer: Offer) -> None:
        step = "accept" if offer.pk % 2 else "refuse"
        while not stop.is_set():
            try:
                http.post(
                    f"{server.url}/tildeling/tilbud/{offer.pk}/",
                    data={
                        "step": step,
                        "reason": "Takket nei på telefon.",
                        "csrfmiddlewaretoken": csrf(http),
                    },
                    timeout=30,
                )
                with lock:
                    sent["answers"] += 1
            except requests.RequestException:
                with lock:
                    sent["failed"] += 1
                return
            time.sleep(0.05)

    def import_persons(worker: int) -> None:
        # Upload a small file of persons and confirm it (applied in the request), again and again.
        n = 0
        while not stop.is_set():
            n += 1
            rows = "".join(
                f"{synthetic_number(BORN + dt.timedelta(days=(worker * 400 + n) * 3 + k))};"
                f"Imp{worker}-{n};Rad{k};;\n"
                for k in range(3)
            )
            try:
                preview = http.post(
                    f"{server.url}/import/persons/",
                    data={"csrfmiddlewaretoken": csrf(http)},
                    files={"file": (f"p{worker}-{n}.csv", (PERSON_HEADER + rows).encode())},
                    timeout=30,
                )
                batch = re.search(r"/import/bekreft/(\d+)/", preview.text)
                assert batch, preview.text[:500]
                http.post(
                    f"{server.url}/import/bekreft/{batch[1]}/",
                    data={"csrfmiddlewaretoken": csrf(http)},
                    timeout=30,
                )
                with lock:
                    sent["imports"] += 1
            except requests.RequestException:
                with lock:
                    sent["failed"] += 1
                return

    threads = [threading.Thread(target=upload, args=(w,)) for w in range(4)]
    threads += [threading.Thread(target=answer, args=(o,)) for o in offers]
    threads += [threading.Thread(target=import_persons, args=(w,)) for w in range(2)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 120
    while (sent["documents"] < 4 or sent["imports"] < 2) and time.monotonic() < deadline:
        time.sleep(0.1)
    os.kill(server.process.pid, signal.SIGKILL)  # mid-way: requests are in flight
    server.process.wait(10)
    stop.set()
    for t in threads:
        t.join(60)
    server.stop()
    assert sent["documents"] > 0 and sent["failed"] > 0, sent

    # Every stored document has its audit event, and every event its document.
    documents = set(Document.objects.values_list("pk", flat=True))
    events = {
        int(pk)
        for pk in ChangeEvent.objects.filter(action="document_add").values_list(
            "object_id", flat=True
        )
    }
    assert documents == events and documents
    # Every answered offer has exactly one answer event; an open one has none.
    for offer in Offer.objects.filter(pk__in=[o.pk for o in offers]):
        answered = ChangeEvent.objects.filter(
            action__in=["offer_accept", "offer_refuse"], object_id=str(offer.pk)
        ).count()
        assert answered == (0 if offer.status == OfferStatus.OPEN else 1), offer.status
    # Every import is all or nothing: the persons of applied files, each with its event, and
    # none from a file that was not applied (a confirmation cut off by the kill).
    imported = Person.objects.filter(given_name__startswith="Imp")
    applied = ImportBatch.objects.filter(status=ImportStatus.APPLIED)
    assert imported.count() == sum(b.applied_count or 0 for b in applied) == 3 * applied.count()
    assert applied.exists()
    for person in imported.values("given_name").annotate(rows=Count("pk")):
        assert person["rows"] == 3, person  # never part of a file
    created = set(
        ChangeEvent.objects.filter(action="person_create").values_list("object_id", flat=True)
    )
    assert {str(pk) for pk in imported.values_list("pk", flat=True)} <= created
    assert (
        not ImportBatch.objects.exclude(status=ImportStatus.APPLIED)
        .filter(applied_count__isnull=False)
        .exists()
    )
    # No row without its file; a file without its row is an orphan, removed by the check.
    report = media_check()
    assert report.missing == set()
    cleaned = media_check(delete_orphans=True, grace=dt.timedelta(0))
    assert cleaned.orphans == set() and cleaned.missing == set()
    assert cleaned.deleted == report.orphans
    for document in Document.objects.all():
        assert document.file.size == document.size
    print(
        f"killed mid-write: {sent}, {len(documents)} documents, {len(report.orphans)} orphans, "
        f"{applied.count()} imports applied"
    )
