"""The settlement letters: the answer to IMDi (accept with arrival, decline with the reason)
and the self-settlement approval or refusal to the household, in bokmål or nynorsk by the
written standard, stored with their hash, linked from the pages, in Min side, the export,
retention and the access log (issue 14, gap 1 a–b)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from husly.audit.export import Scope, build_export
from husly.audit.models import AccessEvent
from husly.people.models import Person
from husly.portal.auth import resident_user
from husly.settlement import actions
from husly.settlement.hooks import declined_requests_purge, household_anonymised
from husly.settlement.models import SelfSettlement, SettlementRequest
from tests.factories import synthetic_number
from tests.settlement.helpers import accepted_case, refugee_caseworker, register_request
from tests.settlement.test_flow import SELF

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


def _stored(field: Any) -> str:
    with field.open("rb") as handle:
        return _text(handle.read())


@pytest.fixture
def farid(raelingen):  # type: ignore[no-untyped-def]
    return refugee_caseworker(raelingen)


def _decision(actor: Any, municipality: Any) -> None:
    actions.settlement_decision_record(
        actor=actor,
        municipality=municipality,
        data={
            "year": timezone.localdate().year,
            "persons": 20,
            "extra_persons": 5,
            "extra_description": "overføringsflyktninger",
            "council_reference": "PS 12/2026",
            "decided_on": dt.date(timezone.localdate().year, 2, 10),
        },
    )


def test_the_answer_to_imdi_on_acceptance_names_the_council_decision(farid, raelingen) -> None:
    _decision(farid, raelingen)
    case = accepted_case(farid, raelingen)
    request = SettlementRequest.objects.get(pk=case.request_id)
    assert request.answer_letter and len(request.answer_letter_sha256) == 64
    text = _stored(request.answer_letter)
    assert "Svar på anmodning om bosetting" in text
    assert "Integrerings- og mangfoldsdirektoratet (IMDi)" in text
    assert "IMDi-2026-0412" in text and "Haddad" in text and "4 personer" in text
    assert "Rælingen kommune sier ja til å bosette Haddad." in text
    assert "PS 12/2026" in text and "20 personer" in text
    assert "overføringsflyktninger" in text
    assert "ikke et enkeltvedtak" in text and "klage" not in text
    assert "Flyktningtjenesten" in text  # contact


def test_the_decline_letter_gives_the_reason_in_nynorsk(farid, raelingen) -> None:
    raelingen.language_form = "nn"
    raelingen.save(update_fields=["language_form"])
    request = register_request(farid, raelingen)
    actions.settlement_request_decline(
        actor=farid, request=request, reason="Vi har ingen bustad med fem rom i år."
    )
    request.refresh_from_db()
    text = _stored(request.answer_letter)
    assert "Svar på oppmoding om busetjing" in text
    assert "seier nei til oppmodinga" in text
    assert "Grunngiving" in text and "Vi har ingen bustad med fem rom i år." in text
    assert "ikkje registrert" in text  # no council decision recorded for the year
    # Erased with the declined request's facts by the retention rule.
    SettlementRequest.objects.filter(pk=request.pk).update(
        answered_on=timezone.localdate() - dt.timedelta(days=365 * 20)
    )
    name = request.answer_letter.name
    assert declined_requests_purge(timezone.localdate())["settlement_requests"] == 1
    request.refresh_from_db()
    assert not request.answer_letter and not request.answer_letter_sha256
    assert not request.answer_letter.storage.exists(name)


def _self_settled(farid: Any, raelingen: Any, **extra: Any) -> SelfSettlement:
    case = accepted_case(farid, raelingen, household_size=1, ages="24", resettlement=False)
    return actions.self_settlement_assess(actor=farid, case=case, data={**SELF, **extra})


def test_the_self_settlement_approval_letter_has_the_checklist_and_no_appeal(
    farid, raelingen
) -> None:
    approval = _self_settled(farid, raelingen)
    text = _stored(approval.letter)
    assert "Boligen er godkjent for avtalt selvbosetting" in text
    assert "Omar Haddad" in text
    assert "Privatvegen 3" in text and "Ola Utleier" in text
    assert "Husleie 9000 kroner per måned er innenfor kostnadsrammen på 9500 kroner" in text
    assert "minst 36 måneder" in text
    assert "Leiekontrakten er kontrollert og i orden." in text
    assert "Ikke skriv under leiekontrakten før IMDi har godkjent bosettingen" in text
    assert "veiledende satsene for økonomisk sosialhjelp" in text
    assert "ikke et enkeltvedtak etter forvaltningsloven § 2" in text


def test_the_refusal_letter_in_the_applicants_nynorsk_and_pages(farid, raelingen) -> None:
    case = accepted_case(farid, raelingen, household_size=1, ages="24", resettlement=False)
    person = Person.objects.get(pk=case.household.members.get(relation="applicant").person_id)
    person.language_form = "nn"
    person.national_id = synthetic_number(dt.date(1988, 3, 1))
    person.save()
    approval = actions.self_settlement_assess(
        actor=farid,
        case=case,
        data={**SELF, "monthly_rent": 12000, "decision": "refused", "note": "For dyr."},
    )
    text = _stored(approval.letter)
    assert "Bustaden er ikkje godkjend for avtalt sjølvbusetjing" in text
    assert "er over kostnadsramma på 9500 kroner" in text
    assert "For dyr." in text
    assert "Du kan finne ein annan bustad" in text
    assert "ikkje eit enkeltvedtak" in text
    # Linked from the case page and the request page; opening it is logged.
    staff = Client()
    staff.force_login(farid)
    page = staff.get(reverse("settlement:case_detail", args=[case.pk])).content.decode()
    letter_url = reverse("settlement:self_settlement_letter", args=[case.pk])
    answer_url = reverse("settlement:request_letter", args=[case.request_id])
    assert letter_url in page and answer_url in page
    response = staff.get(letter_url)
    assert response["Content-Type"] == "application/pdf"
    assert "ikkje godkjend" in _text(response.content)
    assert AccessEvent.objects.filter(what="settlement_letter", person_id=person.pk).exists()
    assert _text(staff.get(answer_url).content).startswith("Rælingen kommune")
    # Min side: the household opens its own letter; another resident gets 404.
    resident = Client()
    resident.force_login(resident_user(request=None, national_id=person.national_id))
    home = resident.get(reverse("portal:home")).content.decode()
    mine = reverse("settlement:my_self_settlement_letter", args=[approval.pk])
    assert mine in home
    assert "ikkje godkjend" in _text(resident.get(mine).content)
    other = Client()
    other.force_login(
        resident_user(request=None, national_id=synthetic_number(dt.date(1970, 1, 1)))
    )
    assert other.get(mine).status_code == 404
    # The export carries both letters' checksums.
    export = build_export(person, Scope(user=farid, household_ids=frozenset({case.household_id})))
    row = next(s for s in export["sections"] if s.key == "settlement").rows[0]
    assert approval.letter_sha256 in row["letters"]
    assert case.request.answer_letter_sha256 in row["letters"]
    # Retention: anonymising the household deletes both letters.
    name = approval.letter.name
    counts = household_anonymised(case.household_id)
    assert counts["settlement_letters_deleted"] == 2
    approval.refresh_from_db()
    assert not approval.letter and not approval.letter.storage.exists(name)
