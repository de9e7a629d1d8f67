"""Foreløpig svar (forvaltningsloven § 11a, issue #11 item 4): sent from the work list when the
month is nearly up, with a letter in the household's written standard, stored with its hash,
audited and shown in Min side; and the decision as HTML in Min side (item 19)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from husly.audit.models import ChangeEvent
from husly.cases import actions
from husly.cases.models import Case, PreliminaryReply
from husly.portal.auth import resident_user
from tests.cases.helpers import ELIGIBLE
from tests.factories import synthetic_number

pytestmark = pytest.mark.django_db

RECEIVED = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
NEAR = dt.datetime(2026, 3, 26, 9, 0, tzinfo=dt.UTC)  # four working days before 1 April
REASON = "Vi venter på papirer fra utleieren din."


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _case(sara, household) -> Case:  # type: ignore[no-untyped-def]
    with time_machine.travel(RECEIVED, tick=False):
        return actions.case_create(
            actor=sara,
            household=household,
            channel="meeting",
            help_kinds=["rental_dwelling", "deposit_guarantee"],
            data=ELIGIBLE,
            submit=True,
        )


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def _resident(household) -> Client:  # type: ignore[no-untyped-def]
    applicant = household.members.get(relation="applicant").person
    client = Client()
    client.force_login(resident_user(request=None, national_id=applicant.national_id))
    return client


def test_the_work_list_offers_a_preliminary_reply_when_the_month_is_nearly_up(
    sara, household, routing
) -> None:
    case = _case(sara, household)
    link = reverse("cases:preliminary_reply_create", args=[case.pk])
    with time_machine.travel(RECEIVED + dt.timedelta(days=3), tick=False):
        assert link not in _client(sara).get(reverse("cases:work_list")).content.decode()
    with time_machine.travel(NEAR, tick=False):
        browser = _client(sara)  # one session: what she sends she sees on her next page
        page = browser.get(reverse("cases:work_list")).content.decode()
        assert link in page
        response = browser.post(link, {"reason": REASON, "expected_by": "2026-04-30"}, follow=True)
        assert "Det foreløpige svaret er sendt" in response.content.decode()
        page = browser.get(reverse("cases:work_list")).content.decode()
        assert link not in page
        assert "Svar lovet i det foreløpige svaret" in page
        work = browser.get(reverse("cases:work_list")).context["work"]
        promised = [i for i in work.deadlines if i.case.pk == case.pk]
        assert [(i.what, i.due) for i in promised] == [("answer_promised", dt.date(2026, 4, 30))]


@time_machine.travel(NEAR, tick=False)
def test_the_reply_letter_says_why_and_when_and_is_stored_and_audited(
    sara, household, routing
) -> None:
    case = _case(sara, household)
    reply = actions.preliminary_reply_send(
        actor=sara, case=case, reason=REASON, expected_by=dt.date(2026, 4, 30)
    )
    stored = reply.letter.open("rb").read()
    assert hashlib.sha256(stored).hexdigest() == reply.letter_sha256
    text = _text(stored)
    assert "Foreløpig svar på søknaden din" in text
    assert "søknaden din om kommunal utleiebolig og depositumsgaranti" in text
    assert REASON in text
    assert "Vi regner med å gi deg svar innen 30.04.2026." in text
    assert "forvaltningsloven § 11 a" in text
    event = ChangeEvent.objects.get(action="preliminary_reply_send")
    assert event.person_id == household.members.get(relation="applicant").person_id
    staff = _client(sara).get(reverse("cases:preliminary_reply_letter", args=[reply.pk]))
    assert staff.content == stored
    case_page = _client(sara).get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert reverse("cases:preliminary_reply_letter", args=[reply.pk]) in case_page


@time_machine.travel(NEAR, tick=False)
def test_the_reply_is_in_nynorsk_for_a_nynorsk_household(sara, household, routing) -> None:
    applicant = household.members.get(relation="applicant").person
    applicant.language_form = "nn"
    applicant.save()
    reply = actions.preliminary_reply_send(
        actor=sara, case=_case(sara, household), reason=REASON, expected_by=dt.date(2026, 4, 30)
    )
    text = _text(reply.letter.open("rb").read())
    assert "Førebels svar på søknaden din" in text
    assert "Vi reknar med å gi deg svar innan 30.04.2026." in text
    assert "forvaltningslova § 11 a" in text


@time_machine.travel(NEAR, tick=False)
def test_a_reply_needs_a_reason_and_a_date_ahead_and_writes_nothing_otherwise(
    sara, household, routing
) -> None:
    case = _case(sara, household)
    with pytest.raises(ValidationError) as refused:
        actions.preliminary_reply_send(
            actor=sara, case=case, reason=" ", expected_by=dt.date(2026, 3, 1)
        )
    assert set(refused.value.message_dict) == {"reason", "expected_by"}
    page = _client(sara).post(
        reverse("cases:preliminary_reply_create", args=[case.pk]),
        {"reason": REASON, "expected_by": "2026-03-20"},
    )
    assert "Datoen må være etter i dag." in page.content.decode()
    assert not PreliminaryReply.objects.exists()
    assert not ChangeEvent.objects.filter(action="preliminary_reply_send").exists()


@time_machine.travel(NEAR, tick=False)
def test_the_household_sees_the_reply_in_my_page_and_nobody_else_does(
    sara, household, routing, olga
) -> None:
    case = _case(sara, household)
    reply = actions.preliminary_reply_send(
        actor=sara, case=case, reason=REASON, expected_by=dt.date(2026, 4, 30)
    )
    resident = _resident(household)
    page = resident.get(reverse("portal:case", args=[case.pk])).content.decode()
    assert "Vi regner med å svare deg innen 30.04.2026." in page
    detail = resident.get(reverse("portal:preliminary_reply", args=[reply.pk])).content.decode()
    assert REASON in detail and 'lang="nb"' in detail
    letter = resident.get(reverse("portal:preliminary_reply_letter", args=[reply.pk]))
    assert letter.content == reply.letter.open("rb").read()
    stranger = Client()
    stranger.force_login(
        resident_user(request=None, national_id=synthetic_number(dt.date(1970, 1, 1)))
    )
    assert stranger.get(reverse("portal:preliminary_reply", args=[reply.pk])).status_code == 404
    assert (
        _client(olga).get(reverse("cases:preliminary_reply_letter", args=[reply.pk])).status_code
        == 404
    )


@time_machine.travel(NEAR, tick=False)
def test_my_page_shows_the_decision_as_html(sara, geir, household, routing) -> None:
    case = _case(sara, household)
    decision = actions.decision_draft(
        actor=sara,
        case=case,
        data={
            "help_kind": "deposit_guarantee",
            "kind": "approval",
            "facts": "Husstanden har funnet en bolig.",
            "reasoning": "Husstanden har ikke penger til depositum, og leien er rimelig.",
            "amount": 24_000,
            "landlord": "Utleie AS",
            "place": "Storgata 5",
            "period_from": dt.date(2026, 4, 1),
            "period_to": dt.date(2029, 3, 31),
        },
    )
    resident = _resident(household)
    url = reverse("portal:decision_detail", args=[decision.pk])
    assert resident.get(url).status_code == 404  # a draft is internal
    actions.decision_submit(actor=sara, decision=decision)
    actions.decision_approve(actor=geir, decision=decision)
    actions.decision_issue(actor=sara, decision=decision)
    case_page = resident.get(reverse("portal:case", args=[case.pk])).content.decode()
    assert url in case_page
    page = resident.get(url).content.decode()
    assert "<h1>Vedtak om depositumsgaranti</h1>" in page
    assert "Du får en depositumsgaranti på 24" in page
    assert "Statsforvalteren" in page and "Gi garantien til utleieren." in page
    assert "UTKAST" not in page
