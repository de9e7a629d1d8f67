"""Need to know inside one municipality (issue 10.4): which roles see a household and its
members without a part in its case, with a part, with a consent, when following it up, and
when they break the glass."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from husly.audit.models import AccessEvent
from husly.cases import actions as case_actions
from husly.cases.models import Decision
from husly.consent import actions as consent_actions
from husly.organisation.models import Unit
from husly.people.models import Person
from husly.portal.auth import resident_user
from tests.cases.helpers import ELIGIBLE
from tests.conftest import _user

pytestmark = pytest.mark.django_db

ALWAYS = {"caseworker", "approver", "administrator", "allocation_member"}
"""The housing office's casework roles and the administrator see every household."""


@pytest.fixture
def units(raelingen, routing):  # type: ignore[no-untyped-def]
    return {
        "nav": routing,
        "refugee": Unit.objects.create(
            municipality=raelingen, name="Flyktningtjenesten", kind="refugee_service"
        ),
        "follow_up": Unit.objects.create(
            municipality=raelingen, name="Booppfølgingstjenesten", kind="follow_up"
        ),
    }


@pytest.fixture
def staff(sara, geir, arne, eirik, lise, housing_office, units):  # type: ignore[no-untyped-def]
    return {
        "caseworker": sara,
        "approver": geir,
        "administrator": arne,
        "allocation_member": _user("tone", housing_office, "allocation_member"),
        "property": eirik,
        "leader": lise,
        "nav": _user("nadia", units["nav"], "caseworker"),
        "refugee": _user("farid", units["refugee"], "caseworker"),
        "follow_up": _user("bente", units["follow_up"], "follow_up"),
    }


def _case(sara, household, kinds):  # type: ignore[no-untyped-def]
    return case_actions.case_create(
        actor=sara,
        household=household,
        channel="meeting",
        help_kinds=kinds,
        data=ELIGIBLE,
        submit=True,
    )


def _situation(name, sara, household, units):  # type: ignore[no-untyped-def]
    applicant = household.members.get(relation="applicant").person
    if name == "part":  # a start loan: NAV's part of the application
        _case(sara, household, ["start_loan"])
    elif name == "consent":  # the housing office's case, shared with the refugee service
        case = _case(sara, household, ["rental_dwelling"])
        consent_actions.consent_give(
            actor=sara,
            case=case,
            given_by=applicant,
            units=[units["refugee"]],
            purposes=["assessment"],
            data_categories=["application"],
            given_how="written",
        )
    elif name == "follow_up":  # a decision names the follow-up unit
        case = _case(sara, household, ["rental_dwelling"])
        Decision.objects.create(
            case=case,
            help_kind="rental_dwelling",
            kind="approval",
            status="issued",
            facts="Fakta.",
            reasoning="Oppfylt.",
            drafted_by=sara,
            issued_on=timezone.localdate(),
            follow_up_unit=units["follow_up"],
        )
    return applicant


EXTRA = {"no_case": set(), "part": {"nav"}, "consent": {"refugee"}, "follow_up": {"follow_up"}}


@pytest.mark.parametrize("situation", sorted(EXTRA))
def test_who_sees_the_household(situation, staff, sara, household, units) -> None:
    applicant = _situation(situation, sara, household, units)
    expected = ALWAYS | EXTRA[situation]
    seen = {}
    for role, user in staff.items():
        client = Client()
        client.force_login(user)
        pages = [
            client.get(reverse("people:household_detail", args=[household.pk])).status_code,
            client.get(reverse("people:person_detail", args=[applicant.pk])).status_code,
        ]
        listed = household.name in client.get(reverse("people:household_list")).content.decode()
        seen[role] = (pages, listed)
    assert seen == {
        role: (([200, 200], True) if role in expected else ([404, 404], False)) for role in staff
    }


def test_a_unit_loses_sight_when_the_consent_is_withdrawn(staff, sara, household, units) -> None:
    _situation("consent", sara, household, units)
    consent = household.cases.get().consents.get()
    client = Client()
    client.force_login(staff["refugee"])
    url = reverse("people:household_detail", args=[household.pk])
    assert client.get(url).status_code == 200
    consent_actions.consent_withdraw(actor=sara, consent=consent)
    assert client.get(url).status_code == 404


def test_a_caseworker_sees_the_person_they_registered(staff, raelingen) -> None:
    client = Client()
    client.force_login(staff["refugee"])
    response = client.post(
        reverse("people:person_create"),
        {
            "municipality": raelingen.pk,
            "given_name": "Amina",
            "family_name": "Hassan",
            "date_of_birth": "1990-04-01",
            "language_form": "nb",
            "residence_permit": "protection",
        },
    )
    assert response.status_code == 302, response.content.decode()
    person = Person.objects.get(given_name="Amina")
    assert client.get(reverse("people:person_detail", args=[person.pk])).status_code == 200
    other = Client()
    other.force_login(staff["nav"])
    assert other.get(reverse("people:person_detail", args=[person.pk])).status_code == 404


def test_the_404_offers_break_the_glass_only_to_those_who_read_persons(staff, household) -> None:
    url = reverse("people:household_detail", args=[household.pk])
    missing = reverse("people:household_detail", args=[household.pk + 1000])
    nav, leader = Client(), Client()
    nav.force_login(staff["nav"])
    leader.force_login(staff["leader"])
    for page in (url, missing):  # the same whether the household exists or not
        body = nav.get(page).content.decode()
        assert "nodtilgang" in body
        assert household.name not in body
    assert "nodtilgang" not in leader.get(url).content.decode()
    assert (
        leader.post(reverse("people:household_emergency", args=[household.pk])).status_code == 404
    )


def test_break_the_glass(staff, household, arne, raelingen) -> None:
    nadia = staff["nav"]
    client = Client()
    client.force_login(nadia)
    url = reverse("people:household_detail", args=[household.pk])
    glass = reverse("people:household_emergency", args=[household.pk])
    assert client.get(url).status_code == 404

    refused = client.post(glass, {"reason": "akutt"})
    assert refused.status_code == 404
    assert "minst 10 tegn" in refused.content.decode() or "at least 10" in refused.content.decode()
    assert not AccessEvent.objects.filter(actor=nadia).exists()

    reason = "Brann i boligen, må finne husstandens medlemmer"
    assert client.post(glass, {"reason": reason}).status_code == 302
    response = client.get(url)
    assert response.status_code == 200
    assert reason in response.content.decode()
    members = set(household.members.values_list("person_id", flat=True))
    events = AccessEvent.objects.filter(actor=nadia)
    assert {e.person_id for e in events} == members
    assert all(e.emergency and e.reason == reason for e in events)
    assert {e.unit_id for e in events} == {nadia.memberships.get().unit_id}
    assert {e.what for e in events} == {"break_the_glass", "household_detail"}
    # The glass opens reading, not changing.
    edit = reverse("people:household_edit", args=[household.pk])
    assert client.get(edit).status_code == 404

    # It stands out in the administrator's audit log ...
    admin = Client()
    admin.force_login(arne)
    body = admin.get(reverse("audit:search"), {"emergency": "on"}).content.decode()
    assert reason in body
    assert "Nødtilgang" in body or "Emergency access" in body
    plain = admin.get(reverse("audit:search"), {"emergency": "on", "actor": arne.pk})
    assert reason not in plain.content.decode()

    # ... and in Min side's "who has looked".
    applicant = household.members.get(relation="applicant").person
    resident = Client()
    resident.force_login(resident_user(request=None, national_id=applicant.national_id))
    mine = resident.get(reverse("portal:access_log")).content.decode()
    assert reason in mine
    assert "Nødtilgang" in mine or "Emergency access" in mine

    # After the hour the door closes again.
    later = timezone.now() + dt.timedelta(hours=1, minutes=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: later)
        assert client.get(url).status_code == 404
