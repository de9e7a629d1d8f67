from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from husly.cases import actions
from husly.cases.models import AppealStatus, CaseStatus, Decision
from tests.cases.test_decisions import _issued

pytestmark = pytest.mark.django_db

# Notified Thursday 7 March 2024: three weeks end on Maundy Thursday 28 March, a public
# holiday, so the deadline moves past Easter to Tuesday 2 April 2024 (spec deadlines tests).
NOTIFIED = dt.date(2024, 3, 7)


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def decision(sara, geir, household, routing, housing_office) -> Decision:  # type: ignore[no-untyped-def]
    with time_machine.travel(dt.datetime(2024, 3, 7, 9, tzinfo=dt.UTC), tick=False):
        return _issued(sara, geir, household, housing_office)


def test_an_appeal_on_the_last_day_after_easter_is_in_time(sara, decision) -> None:
    with time_machine.travel(dt.datetime(2024, 4, 3, 9, tzinfo=dt.UTC), tick=False):
        appeal = actions.appeal_register(
            actor=sara, decision=decision, received_on=dt.date(2024, 4, 2), grounds="For lang tid."
        )
    assert appeal.deadline == dt.date(2024, 4, 2)
    assert appeal.in_time


def test_a_late_appeal_is_refused_in_norwegian_and_nothing_is_written(sara, decision) -> None:
    with time_machine.travel(dt.datetime(2024, 4, 10, 9, tzinfo=dt.UTC), tick=False):
        response = _client(sara).post(
            reverse("cases:appeal_create", args=[decision.pk]),
            {"received_on": "2024-04-03", "grounds": "Uenig."},
        )
    assert response.status_code == 200
    assert "02.04.2024" in response.content.decode()
    assert not decision.appeals.exists()


def test_a_late_appeal_posted_in_time_is_in_time(sara, decision) -> None:
    with time_machine.travel(dt.datetime(2024, 4, 10, 9, tzinfo=dt.UTC), tick=False):
        appeal = actions.appeal_register(
            actor=sara,
            decision=decision,
            received_on=dt.date(2024, 4, 4),
            posted_on=dt.date(2024, 4, 2),
            grounds="Uenig.",
        )
    assert appeal.in_time


def test_a_late_appeal_can_be_considered_under_section_31_with_a_reason(sara, decision) -> None:
    with time_machine.travel(dt.datetime(2024, 4, 10, 9, tzinfo=dt.UTC), tick=False):
        appeal = actions.appeal_register(
            actor=sara,
            decision=decision,
            received_on=dt.date(2024, 4, 8),
            grounds="Uenig.",
            consider_late=True,
            late_reason="Søker var innlagt på sykehus.",
        )
    assert not appeal.in_time
    assert appeal.late_reason


def test_a_swap_refusal_cannot_be_appealed(sara, decision) -> None:
    Decision.objects.filter(pk=decision.pk).update(kind="swap_refusal")
    decision.refresh_from_db()
    with pytest.raises(ValidationError):
        actions.appeal_register(
            actor=sara, decision=decision, received_on=NOTIFIED, grounds="Vil bytte."
        )
    response = _client(sara).get(reverse("cases:appeal_create", args=[decision.pk]))
    assert response.status_code == 302


def test_an_upheld_appeal_is_forwarded_with_the_full_case_record(sara, decision) -> None:
    with time_machine.travel(dt.datetime(2024, 3, 20, 9, tzinfo=dt.UTC), tick=False):
        appeal = actions.appeal_register(
            actor=sara, decision=decision, received_on=dt.date(2024, 3, 20), grounds="Uenig."
        )
        actions.appeal_reconsider(
            actor=sara, appeal=appeal, change=False, reasoning="Ingen nye opplysninger."
        )
        actions.appeal_forward(actor=sara, appeal=appeal)
    assert appeal.status == AppealStatus.FORWARDED
    assert appeal.appeal_body == "Kommunens klagenemnd"
    record = decision.case.documents.get()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(record.file.read())).pages)
    assert "Ingen nye opplysninger" in text
    assert decision.letter_sha256 in "".join(text.split())
    actions.appeal_body_outcome_record(
        actor=sara, appeal=appeal, outcome="upheld", decided_on=dt.date(2024, 5, 2)
    )
    assert appeal.status == AppealStatus.CLOSED


def test_a_changed_decision_reopens_the_case_for_a_new_decision(sara, decision) -> None:
    with time_machine.travel(dt.datetime(2024, 3, 20, 9, tzinfo=dt.UTC), tick=False):
        appeal = actions.appeal_register(
            actor=sara, decision=decision, received_on=dt.date(2024, 3, 20), grounds="Uenig."
        )
        actions.appeal_reconsider(
            actor=sara, appeal=appeal, change=True, reasoning="Nye opplysninger om helse."
        )
    decision.case.refresh_from_db()
    assert decision.case.status == CaseStatus.IN_PROGRESS
    with pytest.raises(ValidationError):
        actions.appeal_forward(actor=sara, appeal=appeal)


def test_an_appeal_dated_before_the_decision_is_refused(sara, decision) -> None:
    with pytest.raises(ValidationError):
        actions.appeal_register(
            actor=sara, decision=decision, received_on=dt.date(2024, 3, 1), grounds="Uenig."
        )


def test_an_appeal_posted_after_it_was_received_is_refused(sara, decision) -> None:
    with (
        pytest.raises(ValidationError),
        time_machine.travel(dt.datetime(2024, 3, 25, 9, tzinfo=dt.UTC), tick=False),
    ):
        actions.appeal_register(
            actor=sara,
            decision=decision,
            received_on=dt.date(2024, 3, 20),
            posted_on=dt.date(2024, 3, 22),
            grounds="Uenig.",
        )
    assert not decision.appeals.exists()
