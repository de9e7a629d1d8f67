"""Min side: the household sees who has looked at its case and what is shared with whom, and
withdraws consent there (issue 6)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from husly.audit.models import ChangeEvent
from husly.cases.models import Case
from husly.consent import actions as consent_actions
from husly.consent.models import Consent
from husly.people.models import HouseholdMember, Person
from tests.conftest import _user
from tests.factories import PersonFactory, synthetic_number
from tests.portal.test_portal import MY_NUMBER, _application, _resident

pytestmark = pytest.mark.django_db

SPOUSE_NUMBER = synthetic_number(dt.date(1991, 4, 5))


def _staff(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def applied(raelingen, routing, sara) -> tuple[Client, Case]:  # type: ignore[no-untyped-def]
    client = _resident()
    client.post(reverse("portal:apply"), _application(raelingen))
    return client, Case.objects.get()


def test_the_household_sees_who_has_read_its_case(applied, sara, housing_office) -> None:
    client, case = applied
    assert "Sara" not in client.get(reverse("portal:access_log")).content.decode()
    _staff(sara).get(reverse("cases:case_detail", args=[case.pk]))
    body = client.get(reverse("portal:access_log")).content.decode()
    assert "Sara Test" in body
    assert housing_office.name in body
    assert "Leste saken din" in body
    assert body.count("Sara Test") == 1  # one row: the resident's own person, not the child's


def test_a_member_sees_only_reads_of_their_own_person_and_the_case(
    applied, sara, raelingen
) -> None:
    client, case = applied
    spouse = PersonFactory(municipality=raelingen, national_id=SPOUSE_NUMBER, given_name="Siv")
    HouseholdMember.objects.create(household=case.household, person=spouse, relation="spouse")
    _staff(sara).get(reverse("people:person_detail", args=[spouse.pk]))
    assert "Sara Test" not in client.get(reverse("portal:access_log")).content.decode()
    other = Client()
    other.post(reverse("portal:login"), {"national_id": SPOUSE_NUMBER})
    assert "Sara Test" in other.get(reverse("portal:access_log")).content.decode()
    _staff(sara).get(reverse("cases:case_detail", args=[case.pk]))
    assert "Sara Test" in client.get(reverse("portal:access_log")).content.decode()


def test_the_household_withdraws_consent_and_the_unit_loses_access_at_once(
    applied, sara, routing
) -> None:
    client, case = applied
    me = Person.objects.get(national_id=MY_NUMBER)
    consent = consent_actions.consent_give(
        actor=sara,
        case=case,
        given_by=me,
        units=[routing],
        purposes=["economic_advice"],
        data_categories=["application"],
        given_how="oral",
    )
    kari = _user("kari", routing, "caseworker")
    nav = _staff(kari)
    url = reverse("cases:case_detail", args=[case.pk])
    assert nav.get(url).status_code == 200
    body = client.get(reverse("portal:sharing")).content.decode()
    assert "NAV Rælingen" in body
    assert "Tjenestekontoret" in body  # the routed unit is listed too
    response = client.post(reverse("portal:consent_withdraw", args=[consent.pk]))
    assert response.status_code == 302
    assert nav.get(url).status_code == 404
    event = ChangeEvent.objects.get(action="consent_withdraw")
    assert event.actor.resident.national_id == MY_NUMBER


def test_the_household_consents_digitally_in_my_page(applied, routing) -> None:
    client, case = applied
    response = client.post(
        reverse("portal:consent_give", args=[case.pk]),
        {"units": [routing.pk], "purposes": ["economic_advice"], "data_categories": ["decisions"]},
    )
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert (consent.given_how, consent.given_by.national_id) == ("digital", MY_NUMBER)


def test_a_resident_cannot_touch_another_households_consent(
    applied, sara, household, routing
) -> None:
    from husly.cases import actions as case_actions
    from tests.cases.helpers import ELIGIBLE

    other_case = case_actions.case_create(
        actor=sara,
        household=household,
        channel="paper",
        help_kinds=["rental_dwelling"],
        data=ELIGIBLE,
        submit=True,
    )
    consent = consent_actions.consent_give(
        actor=sara,
        case=other_case,
        given_by=household.members.get(relation="applicant").person,
        units=[routing],
        purposes=["assessment"],
        data_categories=["application"],
        given_how="written",
    )
    client, _case = applied
    assert client.post(reverse("portal:consent_withdraw", args=[consent.pk])).status_code == 404
    assert client.get(reverse("portal:consent_give", args=[other_case.pk])).status_code == 404
    assert other_case.number not in client.get(reverse("portal:sharing")).content.decode()
    consent.refresh_from_db()
    assert consent.withdrawn_at is None
