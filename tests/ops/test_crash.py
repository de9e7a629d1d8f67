"""A server killed mid-write leaves no partial state (issue #17, ADR 0023).

A real application server process takes parallel writes over HTTP, through the same forms people
use: applications registered on the caseworker's form and sent from Min side, attachments
uploaded to them, decisions issued (each with its letter PDF stored with its SHA-256), offers
made in the allocation meeting and answered, and person files imported. It is killed with
SIGKILL while those requests are in flight, started again, and then:

- every action either happened with its audit event or not at all (cases, submissions,
  documents, decisions, meeting items, offers and their answers, imports and their persons);
- every stored file has its row and every row its file, with the bytes matching the stored
  hash; the orphans the kill may leave (a file written before its transaction committed) are
  found and removed by ``media_check``;
- the restarted server serves every issued letter (it checks the hash) and every offer.

The test asserts these invariants, never how much landed before the kill."""

from __future__ import annotations

import datetime as dt
import hashlib
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
from django.utils import timezone

from husly.allocation import actions as allocation
from husly.allocation.models import EntryStatus, ItemDecision, MeetingItem, Offer, OfferStatus
from husly.audit.models import ChangeEvent
from husly.cases import actions as cases
from husly.cases.models import Application, Case, CaseStatus, Decision, DecisionStatus, Document
from husly.imports.models import ImportBatch, ImportStatus
from husly.ops.media import file_fields, media_check
from husly.people.models import Household, Person
from tests.allocation.helpers import approve, entry_of, make_dwelling, make_household
from tests.cases.helpers import ELIGIBLE, judge_all
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
PDF = b"%PDF-1.4\n"
PAUSE = 0.1
RESIDENTS = [synthetic_number(dt.date(1988, 4, 1) + dt.timedelta(days=k)) for k in range(2)]


@pytest.fixture
def media(tmp_path, settings):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def _events(action: str | list[str]) -> list[int]:
    actions = [action] if isinstance(action, str) else action
    return [
        int(pk)
        for pk in ChangeEvent.objects.filter(action__in=actions).values_list("object_id", flat=True)
    ]


def _approved(sara, geir, household) -> Decision:  # type: ignore[no-untyped-def]
    """An application, assessed, with an approval drafted and approved but not yet issued."""
    case = cases.case_create(
        actor=sara,
        household=household,
        channel="meeting",
        help_kinds=["rental_dwelling"],
        data=ELIGIBLE,
        submit=True,
    )
    cases.assessment_run(actor=sara, case=case)
    cases.assessment_run(actor=sara, case=case, judgements=judge_all(case, sara))
    decision = cases.decision_draft(
        actor=sara,
        case=case,
        data={
            "help_kind": "rental_dwelling",
            "kind": "approval",
            "facts": "Husstanden er uten egnet bolig.",
            "reasoning": "Vilkårene er oppfylt.",
        },
    )
    cases.decision_submit(actor=sara, decision=decision)
    return cases.decision_approve(actor=geir, decision=decision)


def _hash_field(model: Any, name: str) -> str | None:
    """The field that holds the SHA-256 of a file field's bytes, if the model keeps one."""
    fields = {f.name for f in model._meta.concrete_fields}
    for candidate in (f"{name}_sha256", "sha256"):
        if candidate in fields:
            return candidate
    return None


def _world(sara, geir, raelingen, housing_office, eirik):  # type: ignore[no-untyped-def]
    """A case to attach to, households to apply for, approved decisions to issue, open offers to
    answer, and an allocation meeting with its proposal to decide."""
    tone = _user("tone", housing_office, "allocation_member")
    attach_to = cases.case_create(
        actor=sara,
        household=make_household(raelingen, "Dahl"),
        channel="meeting",
        help_kinds=["rental_dwelling"],
        data=ELIGIBLE,
        submit=True,
    )
    applicants = [make_household(raelingen, f"Søker{k}") for k in range(2)]
    # Decisions approved and waiting to be issued (the letter is made and stored on issue).
    to_issue = [_approved(sara, geir, make_household(raelingen, f"Vedtak{k}")) for k in range(2)]
    # Open offers to answer, and an allocation meeting with its proposal to decide.
    offers = []
    for k in range(2):
        household = make_household(raelingen, f"Svar{k}")
        approve(sara, geir, household)
        dwelling = make_dwelling(raelingen, eirik, address=f"Svarvegen {k}")
        offers.append(
            allocation.offer_make(actor=sara, entry=entry_of(household), dwelling=dwelling)
        )
    for k in range(2):
        approve(sara, geir, make_household(raelingen, f"Møte{k}"))
        make_dwelling(raelingen, eirik, address=f"Møtevegen {k}")
    meeting = allocation.allocation_meeting_create(
        actor=tone,
        municipality=raelingen,
        data={"title": "Tildelingsmøte", "held_on": timezone.localdate()},
    )
    allocation.allocation_meeting_propose(actor=tone, meeting=meeting, seed=7)
    items = list(
        meeting.items.filter(proposed_entry__isnull=False)
        .order_by("pk")
        .values_list("pk", "proposed_entry_id")
    )
    assert len(items) == 2, items
    return tone, meeting, items, attach_to, applicants, to_issue, offers


class Load:
    """Writers that repeat their request until told to stop or until the server is gone."""

    def __init__(self) -> None:
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.done: dict[str, int] = {}
        self.failed = 0
        self.threads: list[threading.Thread] = []

    WANTED = {
        "applications": 2,
        "portal": 2,
        "uploads": 2,
        "imports": 1,
        "decisions": 1,
        "meeting": 1,
    }

    def enough(self) -> bool:
        """Each kind of write has landed at least this often (the kill comes after)."""
        return all(self.count(what) >= n for what, n in self.WANTED.items())

    def wait_for(self, what: str, n: int) -> None:
        while self.count(what) < n and not self.stop.is_set():
            time.sleep(0.05)

    def count(self, what: str) -> int:
        with self.lock:
            return self.done.get(what, 0)

    def writer(self, what: str, steps: Callable[[int], bool]) -> None:
        """``steps(n)`` sends the n-th write; it answers False when it has nothing more to do."""

        def run() -> None:
            n = 0
            while not self.stop.is_set():
                n += 1
                try:
                    more = steps(n)
                except requests.RequestException:
                    with self.lock:
                        self.failed += 1
                    return
                with self.lock:
                    self.done[what] = self.done.get(what, 0) + 1
                if not more:
                    return
                self.stop.wait(PAUSE)  # a steady load, not one that starves the letters

        self.threads.append(threading.Thread(target=run, name=f"{what}-{len(self.threads)}"))


def test_a_server_killed_mid_write_leaves_no_partial_state(
    media, tmp_path, sara, geir, raelingen, housing_office, routing, eirik
) -> None:
    # The server starts while the data is made (it reads the database only when asked).
    server = Server(media, tmp_path / "server.log", wait=False)
    load = Load()
    try:
        tone, meeting, items, attach_to, applicants, to_issue, offers = _world(
            sara, geir, raelingen, housing_office, eirik
        )
        server.ready()
        _load(
            load,
            server,
            sara,
            tone,
            raelingen,
            meeting,
            items,
            attach_to,
            applicants,
            to_issue,
            offers,
        )
        for thread in load.threads:
            thread.start()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not load.enough():
            time.sleep(0.05)
        os.kill(server.process.pid, signal.SIGKILL)  # mid-way: requests are in flight
        server.process.wait(10)
    finally:
        server.stop()
        load.stop.set()
        for thread in load.threads:
            if thread.ident is not None:  # started
                thread.join(60)
    restarted = Server(media, tmp_path / "restarted.log", wait=False)  # boots while we look
    try:
        assert load.failed > 0, load.done  # the kill cut requests off
        assert load.enough(), load.done
        _check_applications(applicants)
        _check_decisions(to_issue)
        _check_offers(meeting, offers)
        _check_imports()
        _check_files()
        # Restarted, the server serves every issued letter (checked against its hash) and
        # every offer.
        restarted.ready()
        http = session(restarted, sara, f"/saker/{attach_to.pk}/")
        for decision in Decision.objects.filter(status=DecisionStatus.ISSUED):
            letter = http.get(f"{restarted.url}/saker/vedtak/{decision.pk}/brev/", timeout=30)
            assert letter.status_code == 200 and letter.content.startswith(b"%PDF")
            assert hashlib.sha256(letter.content).hexdigest() == decision.letter_sha256
        for offer in Offer.objects.all():
            assert http.get(f"{restarted.url}/tildeling/tilbud/{offer.pk}/", timeout=30).ok
    finally:
        restarted.stop()
    print(f"killed mid-write: {load.done}, {load.failed} cut off")


def _load(  # type: ignore[no-untyped-def]
    load, server, sara, tone, raelingen, meeting, items, attach_to, applicants, to_issue, offers
) -> None:
    """Add the writers, not started: each through the page people use for it."""
    caseworker = session(server, sara, f"/saker/{attach_to.pk}/")
    member = session(server, tone, f"/tildeling/moter/{meeting.pk}/")

    def post(http: requests.Session, path: str, data: dict[str, Any], **kw: Any) -> Any:
        return http.post(
            server.url + path,
            data={**data, "csrfmiddlewaretoken": csrf(http)},
            timeout=30,
            allow_redirects=False,
            **kw,
        )

    def attach(http: requests.Session, case_pk: int, label: str) -> None:
        body = PDF + os.urandom(64 * 1024) + label.encode()
        post(
            http,
            f"/saker/{case_pk}/dokument/",
            {"title": f"Vedlegg {label}"},
            files={"file": (f"{label}.pdf", body, "application/pdf")},
        )

    # Applications on the caseworker's form, each with an attachment uploaded to the new case.
    def register(k: int) -> Callable[[int], bool]:
        def step(n: int) -> bool:
            response = post(
                caseworker,
                f"/saker/ny/{applicants[k].pk}/",
                {
                    "channel": "paper",
                    "help_kinds": ["rental_dwelling"],
                    "housing_kind": "no_home",
                    "submit": "1",
                },
            )
            assert response.status_code == 302, response.text[:500]
            case_pk = int(re.findall(r"/saker/(\d+)/", response.headers["Location"])[0])
            attach(caseworker, case_pk, f"s{k}-{n}")
            return True

        return step

    # Applications sent from Min side by residents (their person and household made on the way).
    residents = []
    for number in RESIDENTS:
        http = requests.Session()
        http.headers["Accept-Language"] = "nb"
        http.get(server.url + "/minside/logg-inn/", timeout=30)
        login = post(http, "/minside/logg-inn/", {"national_id": number})
        assert login.status_code == 302, login.text[:500]
        residents.append(http)

    def apply(k: int) -> Callable[[int], bool]:
        def step(n: int) -> bool:
            response = post(
                residents[k],
                "/minside/sok/",
                {
                    "om-municipality": raelingen.pk,
                    "om-given_name": "Ida",
                    "om-family_name": f"Beboer{k}",
                    "om-language_form": "nb",
                    "om-address": "Torvvegen 2",
                    "om-postal_code": "2008",
                    "om-postal_town": "Fjerdingby",
                    "medlem-TOTAL_FORMS": "0",
                    "medlem-INITIAL_FORMS": "0",
                    "soknad-help_kinds": ["rental_dwelling"],
                    "soknad-housing_kind": "no_home",
                    "submit": "1",
                },
            )
            assert response.status_code == 302, response.text[:500]
            return True

        return step

    def upload(k: int) -> Callable[[int], bool]:
        def step(n: int) -> bool:
            attach(caseworker, attach_to.pk, f"u{k}-{n}")
            return True

        return step

    # Decisions issued, each thread its own share, one after the other.
    def issue(share: list[Decision]) -> Callable[[int], bool]:
        def step(n: int) -> bool:
            response = post(caseworker, f"/saker/vedtak/{share[n - 1].pk}/issue/", {})
            assert response.status_code == 302, response.text[:500]
            return n < len(share)

        return step

    # The meeting confirms its proposals: each confirmed vacancy becomes an offer.
    def decide(share: list[tuple[int, int]]) -> Callable[[int], bool]:
        def step(n: int) -> bool:
            if n == 1:  # after the first letter, so that offers are being made at the kill
                load.wait_for("decisions", 1)
            item, entry = share[n - 1]
            response = post(
                member,
                f"/tildeling/saker/{item}/",
                {f"i{item}-entry": str(entry), f"i{item}-reason": "", "decision": "confirm"},
            )
            assert response.status_code == 302, response.text[:500]
            return n < len(share)

        return step

    def answer(offer: Offer) -> Callable[[int], bool]:
        step_name = "accept" if offer.pk % 2 else "refuse"

        def step(n: int) -> bool:
            post(
                caseworker,
                f"/tildeling/tilbud/{offer.pk}/",
                {"step": step_name, "reason": "Takket nei på telefon."},
            )
            return True

        return step

    def import_persons(k: int) -> Callable[[int], bool]:
        # Upload a small file of persons and confirm it (applied in the request).
        def step(n: int) -> bool:
            rows = "".join(
                f"{synthetic_number(BORN + dt.timedelta(days=(k * 400 + n) * 3 + j))};"
                f"Imp{k}-{n};Rad{j};;\n"
                for j in range(3)
            )
            preview = post(
                caseworker,
                "/import/persons/",
                {},
                files={"file": (f"p{k}-{n}.csv", (PERSON_HEADER + rows).encode())},
            )
            batch = re.search(r"/import/bekreft/(\d+)/", preview.text)
            assert batch, preview.text[:500]
            post(caseworker, f"/import/bekreft/{batch[1]}/", {})
            return True

        return step

    for k in range(2):
        load.writer("applications", register(k))
        load.writer("portal", apply(k))
        load.writer("uploads", upload(k))
        load.writer("imports", import_persons(k))
        load.writer("decisions", issue(to_issue[k::2]))
        load.writer("meeting", decide(items[k::2]))
    for offer in offers:
        load.writer("answers", answer(offer))


def _check_applications(applicants: list[Household]) -> None:
    """Every case has its creation event and its application, every event its case; every case
    was received (all were sent) and has its one submission event."""
    case_pks = set(Case.objects.values_list("pk", flat=True))
    assert case_pks == set(_events("case_create"))
    assert set(Application.objects.values_list("case_id", flat=True)) == case_pks
    received = set(Case.objects.exclude(status=CaseStatus.DRAFT).values_list("pk", flat=True))
    assert received == case_pks
    assert sorted(_events("case_submit")) == sorted(case_pks)
    assert Case.objects.filter(household__in=applicants).count() >= 2
    assert Case.objects.filter(household__name__startswith="Beboer").count() >= 2
    # Each resident is one person and one household, each with its one creation event.
    for number in RESIDENTS:
        (resident,) = Person.objects.filter(national_id=number)
        assert _events("person_create").count(resident.pk) == 1
        (household,) = Household.objects.filter(
            members__person=resident, members__relation="applicant"
        )
        assert _events("household_create").count(household.pk) == 1
    # Attachments: every document has its event, every event its document.
    documents = set(Document.objects.values_list("pk", flat=True))
    assert documents == set(_events("document_add")) and documents


def _check_decisions(to_issue: list[Decision]) -> None:
    """Issued exactly when there is one issue event, a stored letter and a decided case."""
    issue_events = _events("decision_issue")
    issued = 0
    for decision in Decision.objects.filter(pk__in=[d.pk for d in to_issue]).select_related("case"):
        events = issue_events.count(decision.pk)
        if decision.status == DecisionStatus.ISSUED:
            issued += 1
            assert events == 1 and decision.letter and decision.letter_sha256
            assert decision.case.status == CaseStatus.DECIDED
        else:
            assert decision.status == DecisionStatus.APPROVED
            assert events == 0 and not decision.letter and not decision.letter_sha256
            assert decision.case.status != CaseStatus.DECIDED
    assert issued >= 1


def _check_offers(meeting: Any, offers: list[Offer]) -> None:
    """A confirmed vacancy has its decision event and its one offer, an undecided one neither;
    every offer has its one creation event and every event its offer, and an open one has its
    household's entry marked offered; an answered offer has its one answer event, an open one
    none."""
    decided_events = _events("meeting_item_decide")
    for item in MeetingItem.objects.filter(meeting=meeting):
        made = Offer.objects.filter(meeting_item=item).count()
        if item.decision == ItemDecision.CONFIRMED:
            assert decided_events.count(item.pk) == 1 and made == 1
        else:
            assert item.decision == ItemDecision.PROPOSED
            assert decided_events.count(item.pk) == 0 and made == 0
    assert sorted(_events("offer_make")) == sorted(Offer.objects.values_list("pk", flat=True))
    for offer in Offer.objects.filter(status=OfferStatus.OPEN).select_related("entry"):
        assert offer.entry.status == EntryStatus.OFFERED, offer  # its household's entry moved
    answers = _events(["offer_accept", "offer_refuse"])
    for offer in Offer.objects.filter(pk__in=[o.pk for o in offers]):
        assert answers.count(offer.pk) == (0 if offer.status == OfferStatus.OPEN else 1)


def _check_imports() -> None:
    """All or nothing: the persons of applied files, each with its event, and none from a file
    that was not applied (a confirmation cut off by the kill)."""
    imported = Person.objects.filter(given_name__startswith="Imp")
    applied = ImportBatch.objects.filter(status=ImportStatus.APPLIED)
    assert applied.exists()
    assert imported.count() == sum(b.applied_count or 0 for b in applied) == 3 * applied.count()
    for person in imported.values("given_name").annotate(rows=Count("pk")):
        assert person["rows"] == 3, person  # never part of a file
    assert {str(pk) for pk in imported.values_list("pk", flat=True)} <= set(
        ChangeEvent.objects.filter(action="person_create").values_list("object_id", flat=True)
    )
    assert (
        not ImportBatch.objects.exclude(status=ImportStatus.APPLIED)
        .filter(applied_count__isnull=False)
        .exists()
    )


def _check_files() -> None:
    """No row without its file, its bytes matching the hash kept beside it; a file without its
    row is an orphan, which the check finds and removes."""
    report = media_check()
    assert report.missing == set()
    hashed = 0
    for model, field in file_fields():
        hash_field = _hash_field(model, field.name)
        for row in model._default_manager.exclude(**{field.attname: ""}):
            with getattr(row, field.name).open("rb") as handle:
                content = handle.read()
            if hash_field:
                assert hashlib.sha256(content).hexdigest() == getattr(row, hash_field), row
                hashed += 1
    assert hashed >= Document.objects.count() + Decision.objects.exclude(letter="").count()
    cleaned = media_check(delete_orphans=True, grace=dt.timedelta(0))
    assert cleaned.orphans == set() and cleaned.missing == set()
    assert cleaned.deleted == report.orphans
