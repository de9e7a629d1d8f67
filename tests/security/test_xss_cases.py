"""Stored XSS in the free text of cases: what a household or caseworker writes is shown escaped
on every page that shows it, staff and Min side alike (issue 6)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from husly.cases import actions
from tests.cases.helpers import ELIGIBLE, judge_all
from tests.cases.test_decisions import APPROVAL

pytestmark = pytest.mark.django_db

EVIL = "<script>alert(1)</script>"


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_free_text_in_applications_notes_decisions_and_appeals_is_escaped(
    sara, geir, household, routing, housing_office
) -> None:
    case = actions.case_create(
        actor=sara,
        household=household,
        channel="meeting",
        help_kinds=["rental_dwelling"],
        data={
            **ELIGIBLE,
            "housing_description": EVIL,
            "health_needs": EVIL,
            "children_situation": EVIL,
            "follow_up_needs": EVIL,
            "wished_districts": EVIL,
        },
        submit=True,
    )
    actions.journal_note_add(
        actor=sara, case=case, data={"kind": "note", "held_on": dt.date(2026, 1, 5), "text": EVIL}
    )
    actions.assessment_run(actor=sara, case=case)
    actions.assessment_run(
        actor=sara,
        case=case,
        judgements={
            key: (outcome, EVIL) for key, (outcome, _reason) in judge_all(case, sara).items()
        },
    )
    decision = actions.decision_draft(
        actor=sara,
        case=case,
        data={
            **APPROVAL,
            "facts": EVIL,
            "reasoning": EVIL,
            "conditions": EVIL,
            "follow_up_unit": housing_office,
        },
    )
    actions.decision_submit(actor=sara, decision=decision)
    actions.decision_return(actor=geir, decision=decision, comment=EVIL)
    client = _client(sara)
    pages = [
        reverse("cases:case_detail", args=[case.pk]),
        reverse("cases:decision_detail", args=[decision.pk]),
        reverse("cases:case_list") + "?q=" + EVIL,
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert EVIL not in html, url
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in client.get(pages[0]).content.decode()
