"""The art. 15 export goes around no access rule (issue 10, item 1): a caseworker of a unit the
case is not routed to (NAV, the refugee service) gets "not found" on the case, and on the export
of every person in it too; only the role that handles access requests makes the export."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from husly.audit.models import AccessEvent
from husly.cases import actions
from husly.organisation.models import Unit, UnitKind
from tests.cases.helpers import ELIGIBLE
from tests.conftest import _user

pytestmark = pytest.mark.django_db


def _get(user, url: str):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client.get(url)


@pytest.fixture
def case(sara, household, routing):  # type: ignore[no-untyped-def]
    """A rental-dwelling case routed to the housing office only, with health and substance-use
    text in the application and a journal note."""
    case = actions.case_create(
        actor=sara,
        household=household,
        channel="meeting",
        help_kinds=["rental_dwelling"],
        data={**ELIGIBLE, "health_needs": "Rusavhengighet, i behandling"},
        submit=True,
    )
    actions.journal_note_add(
        actor=sara,
        case=case,
        data={"kind": "home_visit", "held_on": case.received_on, "text": "Sterk lukt av alkohol"},
    )
    return case


def test_a_nav_or_refugee_caseworker_without_case_access_gets_404_on_the_export(
    case, household, routing, raelingen
) -> None:
    refugee_service = Unit.objects.create(
        municipality=raelingen, name="Flyktningtjenesten", kind=UnitKind.REFUGEE_SERVICE
    )
    nav_worker = _user("kari", routing, "caseworker")
    refugee_worker = _user("farid", refugee_service, "caseworker")
    members = [m.person for m in household.members.all()]
    for worker in (nav_worker, refugee_worker):
        assert _get(worker, reverse("cases:case_detail", args=[case.pk])).status_code == 404
        for person in members:
            for kind in ("json", "pdf"):
                url = reverse(f"audit:person_export_{kind}", args=[person.pk])
                response = _get(worker, url)
                assert response.status_code == 404, (worker, person, kind)
                assert b"Rusavhengighet" not in response.content
    assert not AccessEvent.objects.filter(what__startswith="person_export").exists()


def test_the_administrator_exports_everything_with_the_working_records(
    arne, case, household
) -> None:
    """The full export holds the internal working records too (the municipality reviews it
    before it hands it out): the application's health text and the journal note."""
    applicant = household.members.get(relation="applicant").person
    response = _get(arne, reverse("audit:person_export_json", args=[applicant.pk]))
    sections = {s["key"]: s for s in json.loads(response.content)["sections"]}
    assert sections["applications"]["rows"][0]["health_needs"] == "Rusavhengighet, i behandling"
    assert sections["notes"]["rows"][0]["text"] == "Sterk lukt av alkohol"
    assert AccessEvent.objects.filter(
        actor=arne, person_id=applicant.pk, what="person_export_json"
    ).exists()
