"""The art. 15 export includes the person's cases, applications, decisions (with the letter's
hash), appeals and consents."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from husly.cases import actions
from husly.cases.models import Appeal, Case, Decision
from husly.consent import actions as consent_actions
from tests.cases.helpers import ELIGIBLE

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_with_everything(sara, household, routing):  # type: ignore[no-untyped-def]
    case = actions.case_create(
        actor=sara,
        household=household,
        channel="meeting",
        help_kinds=["rental_dwelling"],
        data={**ELIGIBLE, "health_needs": "Trenger trappefri bolig"},
        submit=True,
    )
    decision = Decision.objects.create(
        case=case,
        help_kind="rental_dwelling",
        kind="approval",
        status="issued",
        facts="Husstanden bor i bil.",
        reasoning="Vilkårene er oppfylt.",
        drafted_by=sara,
        issued_on=dt.date(2026, 1, 5),
        letter_sha256="b" * 64,
    )
    Appeal.objects.create(
        decision=decision,
        received_on=dt.date(2026, 1, 10),
        grounds="Vi trenger større bolig",
        deadline=dt.date(2026, 1, 26),
        in_time=True,
        registered_by=sara,
    )
    consent_actions.consent_give(
        actor=sara,
        case=case,
        given_by=household.members.get(relation="applicant").person,
        units=[routing],
        purposes=["economic_advice"],
        data_categories=["application"],
        given_how="written",
    )
    return case


def _export(user, person, kind):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client.get(reverse(f"audit:person_export_{kind}", args=[person.pk]))


def test_the_json_export_holds_cases_applications_decisions_appeals_and_consents(
    arne, household, case_with_everything: Case
) -> None:
    child = household.members.get(relation="child").person
    data = json.loads(_export(arne, child, "json").content)
    sections = {s["key"]: s for s in data["sections"]}
    assert list(sections) == [
        "person",
        "households",
        "cases",
        "applications",
        "decisions",
        "appeals",
        "sharing",
        "changes",
        "access",
    ]
    assert sections["cases"]["rows"][0]["number"] == case_with_everything.number
    assert sections["applications"]["rows"][0]["health_needs"] == "Trenger trappefri bolig"
    assert sections["decisions"]["rows"][0]["letter_sha256"] == "b" * 64
    assert sections["appeals"]["rows"][0]["grounds"] == "Vi trenger større bolig"
    assert "NAV Rælingen" in sections["sharing"]["rows"][0]["units"]


def test_the_pdf_export_shows_the_case_and_the_letter_hash(
    arne, household, case_with_everything: Case
) -> None:
    applicant = household.members.get(relation="applicant").person
    response = _export(arne, applicant, "pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert case_with_everything.number in text
    assert "bbbbbbbb" in text.replace("\n", "")
    assert "Vi trenger større bolig" in " ".join(text.split())
