from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from husly.audit.models import AccessEvent, ChangeEvent
from husly.people.models import Household, HouseholdMember
from tests.factories import HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_it_creates_a_household_with_the_main_applicant(sara, raelingen) -> None:
    applicant = PersonFactory(municipality=raelingen)
    response = _client(sara).post(
        reverse("people:household_create", args=[applicant.pk]), {"name": "Nordmann"}
    )
    household = Household.objects.get()
    assert response.status_code == 302
    assert household.members.get().relation == "applicant"
    assert ChangeEvent.objects.filter(action="household_member_add").count() == 1


def test_it_adds_a_member_by_identity_number_or_person_number(sara, raelingen) -> None:
    household = HouseholdFactory(municipality=raelingen)
    child = PersonFactory(municipality=raelingen)
    without_number = PersonFactory(municipality=raelingen, national_id="")
    client = _client(sara)
    url = reverse("people:household_member_add", args=[household.pk])
    client.post(url, {"person_ref": child.national_id, "relation": "child"})
    client.post(url, {"person_ref": f"P-{without_number.pk}", "relation": "other_adult"})
    assert household.members.count() == 3


def test_it_refuses_a_person_from_another_municipality(sara, raelingen, lorenskog) -> None:
    household = HouseholdFactory(municipality=raelingen)
    stranger = PersonFactory(municipality=lorenskog)
    response = _client(sara).post(
        reverse("people:household_member_add", args=[household.pk]),
        {"person_ref": stranger.national_id, "relation": "child"},
    )
    assert response.status_code == 200
    assert "person_ref" in response.context["form"].errors
    assert household.members.count() == 1


def test_it_refuses_the_same_person_twice(sara, raelingen) -> None:
    household = HouseholdFactory(municipality=raelingen)
    applicant = household.members.get().person
    response = _client(sara).post(
        reverse("people:household_member_add", args=[household.pk]),
        {"person_ref": applicant.national_id, "relation": "child"},
    )
    assert response.context["form"].errors
    assert household.members.count() == 1


def test_it_does_not_remove_the_main_applicant(sara, raelingen) -> None:
    household = HouseholdFactory(municipality=raelingen)
    member = household.members.get()
    _client(sara).post(reverse("people:household_member_remove", args=[household.pk, member.pk]))
    assert HouseholdMember.objects.filter(pk=member.pk).exists()


def test_it_logs_a_read_for_every_member_shown(sara, raelingen) -> None:
    household = HouseholdFactory(municipality=raelingen)
    HouseholdMember.objects.create(
        household=household, relation="child", person=PersonFactory(municipality=raelingen)
    )
    _client(sara).get(reverse("people:household_detail", args=[household.pk]))
    assert AccessEvent.objects.filter(what="household_detail").count() == 2


def test_the_household_list_uses_the_same_number_of_queries_for_few_and_many_rows(
    sara, raelingen
) -> None:
    client = _client(sara)
    HouseholdFactory.create_batch(2, municipality=raelingen)
    client.get(
        reverse("people:household_list")
    )  # warm: the menu is kept until the records change (ADR 0036)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("people:household_list"))
    HouseholdFactory.create_batch(40, municipality=raelingen)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("people:household_list"))
    assert len(many) == len(few)


def test_the_household_page_reads_its_members_once_and_stated_members_only_when_waiting(
    sara, raelingen
) -> None:
    import datetime as dt

    from husly.people import actions
    from husly.people.models import StatedMember

    household = HouseholdFactory(municipality=raelingen)
    child = PersonFactory(municipality=raelingen, given_name="Mina")
    HouseholdMember.objects.create(household=household, relation="child", person=child)
    client = _client(sara)
    url = reverse("people:household_detail", args=[household.pk])
    client.get(url)  # warm: the menu is kept until the records change (ADR 0036)

    def _read() -> tuple[str, list[str]]:
        with CaptureQueriesContext(connection) as queries:
            html = client.get(url).content.decode()
        # The table each query reads rows from (its first column's).
        return html, [q["sql"].removeprefix("SELECT ").split(".", 1)[0] for q in queries]

    html, tables = _read()
    assert "Mina" in html and "oppgitt på Min side" not in html
    assert tables.count('"people_householdmember"') == 1
    assert '"people_statedmember"' not in tables  # nothing waits: not asked for
    stated = StatedMember.objects.create(
        household=household,
        given_name="Emil",
        family_name="Vik",
        date_of_birth=dt.date(2015, 5, 1),
        relation="child",
        stated_by=sara,
    )
    html, tables = _read()
    assert "Emil Vik" in html and tables.count('"people_statedmember"') == 1
    actions.stated_member_reject(actor=sara, stated=stated)
    assert "Emil Vik" not in _read()[0]
