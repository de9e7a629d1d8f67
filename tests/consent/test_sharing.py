"""Consent and legal bases: a unit the case is not routed to sees it only while one covers it
(grant, use, withdraw), for a purpose of the user's role and only the data it covers."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from husly.audit.models import AccessEvent, ChangeEvent
from husly.cases import actions as case_actions
from husly.cases.selectors import cases_for_user
from husly.consent import actions
from husly.consent.models import Consent
from husly.organisation.models import Unit
from tests.cases.helpers import ELIGIBLE
from tests.conftest import _user

pytestmark = pytest.mark.django_db

ALL = ["application", "notes", "documents", "decisions"]


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def case(sara, household, routing):  # type: ignore[no-untyped-def]
    """Routed to the housing office only (a rental dwelling)."""
    return case_actions.case_create(
        actor=sara,
        household=household,
        channel="meeting",
        help_kinds=["rental_dwelling"],
        data=ELIGIBLE,
        submit=True,
    )


@pytest.fixture
def kari(routing):  # type: ignore[no-untyped-def]
    """A caseworker at NAV, a unit the case is not routed to."""
    return _user("kari", routing, "caseworker")


def _applicant(case):  # type: ignore[no-untyped-def]
    return case.household.members.get(relation="applicant").person


def _consent(sara, case, unit, **extra):  # type: ignore[no-untyped-def]
    data = {
        "units": [unit],
        "purposes": ["economic_advice"],
        "data_categories": ALL,
        "given_how": "written",
        **extra,
    }
    return actions.consent_give(actor=sara, case=case, given_by=_applicant(case), **data)


def test_it_hides_a_case_from_a_unit_it_is_not_routed_to(case, kari) -> None:
    assert not cases_for_user(kari).filter(pk=case.pk).exists()
    assert _client(kari).get(reverse("cases:case_detail", args=[case.pk])).status_code == 404


def test_it_shows_the_case_to_a_unit_named_in_a_consent_and_logs_role_and_unit(
    case, kari, sara, routing
) -> None:
    consent = _consent(sara, case, routing)
    response = _client(kari).get(reverse("cases:case_detail", args=[case.pk]))
    assert response.status_code == 200
    assert "samtykket" in response.content.decode()
    event = AccessEvent.objects.filter(actor=kari, what="case_detail").first()
    assert (event.role, event.unit_id) == ("caseworker", routing.pk)
    change = ChangeEvent.objects.get(action="consent_give")
    assert change.actor == sara
    assert change.object_id == str(consent.pk)
    assert change.changes["units"] == [None, [routing.pk]]


def test_a_read_by_the_routed_unit_logs_that_unit(case, sara, housing_office) -> None:
    _client(sara).get(reverse("cases:case_detail", args=[case.pk]))
    events = AccessEvent.objects.filter(actor=sara, what="case_detail")
    assert events.count() == case.household.members.count()
    assert {(e.role, e.unit_id) for e in events} == {("caseworker", housing_office.pk)}


def test_withdrawing_the_consent_stops_the_sharing_at_once(case, kari, sara, routing) -> None:
    consent = _consent(sara, case, routing)
    client = _client(kari)
    url = reverse("cases:case_detail", args=[case.pk])
    assert client.get(url).status_code == 200
    actions.consent_withdraw(actor=sara, consent=consent)
    assert client.get(url).status_code == 404
    assert ChangeEvent.objects.filter(action="consent_withdraw", actor=sara).exists()
    with pytest.raises(ValidationError):
        actions.consent_withdraw(actor=sara, consent=consent)


def test_a_consent_for_another_purpose_does_not_open_the_case(case, kari, sara, routing) -> None:
    _consent(sara, case, routing, purposes=["allocation"])
    assert _client(kari).get(reverse("cases:case_detail", args=[case.pk])).status_code == 404
    member = _user("mona", routing, "allocation_member")
    assert _client(member).get(reverse("cases:case_detail", args=[case.pk])).status_code == 200


def test_the_unit_sees_only_the_data_the_consent_covers(case, kari, sara, routing) -> None:
    case_actions.journal_note_add(
        actor=sara,
        case=case,
        data={"kind": "note", "held_on": timezone.localdate(), "text": "Hemmelig"},
    )
    _consent(sara, case, routing, data_categories=["application"])
    body = _client(kari).get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "Hemmelig" not in body
    assert 'id="h-assessment"' in body
    _consent(sara, case, routing, data_categories=["notes"])
    body = _client(kari).get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "Hemmelig" in body


def test_a_shared_unit_reads_but_cannot_change_the_case(case, kari, sara, routing) -> None:
    _consent(sara, case, routing)
    client = _client(kari)
    note = {"kind": "note", "held_on": timezone.localdate().isoformat(), "text": "x"}
    assert client.post(reverse("cases:note_add", args=[case.pk]), note).status_code == 403
    assert client.post(reverse("cases:case_assign_me", args=[case.pk])).status_code == 403
    assert client.get(reverse("consent:consent_create", args=[case.pk])).status_code == 403
    assert not cases_for_user(kari, shared=False).filter(pk=case.pk).exists()


def test_a_consent_ends_on_its_valid_until_date(case, kari, sara, routing) -> None:
    today = timezone.localdate()
    _consent(sara, case, routing, valid_until=today + dt.timedelta(days=30))
    assert cases_for_user(kari).filter(pk=case.pk).exists()
    with time_machine.travel(today + dt.timedelta(days=31)):
        assert not cases_for_user(kari).filter(pk=case.pk).exists()


def test_a_legal_basis_shares_until_it_is_ended(case, kari, sara, routing) -> None:
    basis = actions.legal_basis_record(
        actor=sara,
        case=case,
        units=[routing],
        purposes=["economic_advice"],
        data_categories=["application"],
        reference="sosialtjenesteloven § 27",
        explanation="Midlertidig botilbud må vurderes av NAV.",
    )
    assert ChangeEvent.objects.filter(action="legal_basis_record").exists()
    client = _client(kari)
    body = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert 'class="ds-alert" data-color="info"' in body  # "you see this on a legal basis"
    actions.legal_basis_end(actor=sara, basis=basis)
    assert client.get(reverse("cases:case_detail", args=[case.pk])).status_code == 404


def test_only_adults_of_the_household_and_units_of_the_municipality_count(
    case, sara, routing, olga
) -> None:
    child = case.household.members.get(relation="child").person
    with pytest.raises(ValidationError) as error:
        actions.consent_give(
            actor=sara,
            case=case,
            given_by=child,
            units=[routing],
            purposes=["assessment"],
            data_categories=ALL,
            given_how="oral",
        )
    assert "given_by" in error.value.error_dict
    other = Unit.objects.exclude(municipality=case.municipality).get()
    with pytest.raises(ValidationError) as error:
        _consent(sara, case, other)
    assert "units" in error.value.error_dict
    assert not Consent.objects.exists()


def test_a_caseworker_records_and_withdraws_consent_on_the_case_page(
    case, sara, kari, routing
) -> None:
    client = _client(sara)
    url = reverse("consent:consent_create", args=[case.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "given_by": _applicant(case).pk,
            "given_how": "oral",
            "given_on": timezone.localdate().isoformat(),
            "units": [routing.pk],
            "purposes": ["economic_advice"],
            "data_categories": ["application", "decisions"],
        },
    )
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert consent.is_active()
    body = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "NAV Rælingen" in body
    client.post(reverse("consent:consent_withdraw", args=[consent.pk]))
    consent.refresh_from_db()
    assert consent.withdrawn_by == sara
    assert not cases_for_user(kari).filter(pk=case.pk).exists()
