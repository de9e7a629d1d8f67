"""Issue 10 item 6: Min side never attaches an existing person record. A member the resident
lists is recorded as stated and unchecked; a caseworker checks it against the register and
confirms (the registered person, or a new one, becomes a member) or refuses it, audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from husly.audit.models import AccessEvent, ChangeEvent
from husly.cases.models import Case
from husly.people import actions
from husly.people.models import HouseholdMember, Person
from tests.factories import HouseholdFactory, PersonFactory, synthetic_number
from tests.portal.test_portal import _application, _resident

pytestmark = pytest.mark.django_db

CHILD_NUMBER = synthetic_number(dt.date(2018, 3, 4))


def _someone_else(raelingen):  # type: ignore[no-untyped-def]
    """A person registered in another household, with a health-and-housing case of her own."""
    other = PersonFactory(
        municipality=raelingen, given_name="Vera", family_name="Vik", phone="99887766"
    )
    HouseholdFactory(municipality=raelingen, applicant=other, name="Vik")
    return other


def _apply_with_member(raelingen, national_id: str, given_name: str = "Emil") -> Case:  # type: ignore[no-untyped-def]
    client = _resident()
    data = _application(
        raelingen,
        **{
            "medlem-0-given_name": given_name,
            "medlem-0-national_id": national_id,
            "medlem-0-date_of_birth": "",
        },
    )
    response = client.post(reverse("portal:apply"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Case.objects.get()


def test_a_resident_cannot_attach_another_persons_record_by_typing_her_number(
    raelingen, routing
) -> None:
    other = _someone_else(raelingen)
    case = _apply_with_member(raelingen, other.national_id, given_name="Emil")
    household = case.household
    # Vera's record is not linked to the resident's household, nor changed.
    assert not household.members.filter(person=other).exists()
    assert HouseholdMember.objects.filter(person=other).count() == 1
    from husly.people.models import StatedMember, StatedMemberStatus

    other.refresh_from_db()
    assert other.given_name == "Vera"
    # What the resident stated is kept as stated, unchecked.
    stated = StatedMember.objects.get()
    assert (stated.household, stated.national_id, stated.given_name, stated.status) == (
        household,
        other.national_id,
        "Emil",
        StatedMemberStatus.PENDING,
    )
    assert stated.person is None
    event = ChangeEvent.objects.get(action="household_member_state")
    assert event.actor == case.created_by
    # Nothing of Vera reaches the resident's pages.
    page = _resident().get(reverse("portal:case", args=[case.pk])).content.decode()
    assert "Vera" not in page and "99887766" not in page


def test_a_caseworker_checks_a_stated_member_against_the_register_and_confirms(
    raelingen, routing, sara
) -> None:
    from husly.people.models import StatedMember

    other = _someone_else(raelingen)
    case = _apply_with_member(raelingen, other.national_id)
    stated = StatedMember.objects.get()
    client = Client()
    client.force_login(sara)
    case_page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "1 medlem som er oppgitt i søknaden, er ikke kontrollert ennå" in case_page
    page = client.get(reverse("people:household_detail", args=[case.household_id]))
    html = page.content.decode()
    assert "Emil" in html and "Vera Vik" in html  # as stated, and as registered
    # Showing the registered person for comparison is a logged read of her.
    assert AccessEvent.objects.filter(
        person_id=other.pk, actor=sara, what="household_stated_member_check"
    ).exists()
    response = client.post(
        reverse("people:stated_member_confirm", args=[case.household_id, stated.pk])
    )
    assert response.status_code == 302
    assert case.household.members.filter(person=other, relation="child").exists()
    stated.refresh_from_db()
    assert (stated.status, stated.person, stated.checked_by) == ("confirmed", other, sara)
    event = ChangeEvent.objects.get(action="stated_member_confirm")
    assert (event.actor, event.person_id) == (sara, other.pk)
    # Checked once: a second confirmation changes nothing.
    client.post(reverse("people:stated_member_confirm", args=[case.household_id, stated.pk]))
    assert ChangeEvent.objects.filter(action="stated_member_confirm").count() == 1
    assert (
        "ikke kontrollert"
        not in client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    )


def test_confirming_a_member_nobody_has_registered_registers_them(raelingen, routing, sara) -> None:
    from husly.people.models import StatedMember

    case = _apply_with_member(raelingen, CHILD_NUMBER)
    stated = StatedMember.objects.get()
    member = actions.stated_member_confirm(actor=sara, stated=stated)
    person = Person.objects.get(national_id=CHILD_NUMBER)
    assert member.person == person and member.household == case.household
    assert (person.given_name, person.date_of_birth) == ("Emil", dt.date(2018, 3, 4))


def test_a_caseworker_refuses_a_stated_member(raelingen, routing, sara) -> None:
    from husly.people.models import StatedMember, StatedMemberStatus

    other = _someone_else(raelingen)
    case = _apply_with_member(raelingen, other.national_id)
    stated = StatedMember.objects.get()
    client = Client()
    client.force_login(sara)
    client.post(reverse("people:stated_member_reject", args=[case.household_id, stated.pk]))
    stated.refresh_from_db()
    assert stated.status == StatedMemberStatus.REJECTED
    assert not case.household.members.filter(person=other).exists()
    assert ChangeEvent.objects.filter(action="stated_member_reject", actor=sara).exists()


def test_only_register_staff_of_the_municipality_check_stated_members(
    raelingen, routing, olga, eirik
) -> None:
    from husly.people.models import StatedMember, StatedMemberStatus

    other = _someone_else(raelingen)
    case = _apply_with_member(raelingen, other.national_id)
    stated = StatedMember.objects.get()
    url = reverse("people:stated_member_confirm", args=[case.household_id, stated.pk])
    olgas = Client()
    olgas.force_login(olga)
    assert olgas.post(url).status_code == 404  # another municipality
    property_manager = Client()
    property_manager.force_login(eirik)
    assert property_manager.post(url).status_code in {403, 404}
    with pytest.raises(PermissionDenied):
        actions.stated_member_confirm(actor=eirik, stated=stated)
    assert not case.household.members.filter(person=other).exists()
    assert StatedMember.objects.get().status == StatedMemberStatus.PENDING


def test_a_member_with_a_wrong_identity_number_gets_a_norwegian_message(raelingen, routing) -> None:
    response = _resident().post(
        reverse("portal:apply"),
        _application(
            raelingen, **{"medlem-0-national_id": "12345678901", "medlem-0-date_of_birth": ""}
        ),
    )
    assert response.status_code == 200
    assert "Kontrollsifrene stemmer ikke" in response.content.decode()
    from husly.people.models import StatedMember

    assert not Case.objects.exists() and not StatedMember.objects.exists()
