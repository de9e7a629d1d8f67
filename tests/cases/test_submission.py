"""Issue 10 item 7: a form that creates a case creates it once per submission. The form carries
a one-time token; a second send with the same token (a double click, a reload) creates nothing
and goes to the case the first send created, also when both arrive at the same moment."""

from __future__ import annotations

import re
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from husly.cases import actions
from husly.cases.models import Case
from husly.people.models import Person
from tests.portal.test_portal import MY_NUMBER, _application, _resident

TOKEN = re.compile(r'name="innsending-token" value="([0-9a-f-]{36})"')


def _token(html: str) -> str:
    found = TOKEN.search(html)
    return found.group(1) if found else ""


def _staff_form(household) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {
        "channel": "paper",
        "help_kinds": ["rental_dwelling"],
        "housing_kind": "no_home",
        "submit": "1",
    }


@pytest.mark.django_db
def test_the_staff_form_sent_twice_registers_one_case(sara, household, routing) -> None:
    client = Client()
    client.force_login(sara)
    url = reverse("cases:case_create", args=[household.pk])
    token = _token(client.get(url).content.decode())
    data = {**_staff_form(household), "innsending-token": token}
    first = client.post(url, data)
    second = client.post(url, data)
    case = Case.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == reverse("cases:case_detail", args=[case.pk])
    assert token and token != _token(client.get(url).content.decode())  # one per form shown
    # A new form (a new token) registers a new application.
    client.post(
        url,
        {**_staff_form(household), "innsending-token": _token(client.get(url).content.decode())},
    )
    assert Case.objects.count() == 2


@pytest.mark.django_db
def test_the_min_side_application_sent_twice_creates_one_case(raelingen, routing) -> None:
    client = _resident()
    token = _token(client.get(reverse("portal:apply")).content.decode())
    data = {**_application(raelingen), "innsending-token": token}
    first = client.post(reverse("portal:apply"), data)
    second = client.post(reverse("portal:apply"), data)
    case = Case.objects.get()
    assert first["Location"] == second["Location"] == reverse("portal:case", args=[case.pk])
    assert Person.objects.filter(national_id=MY_NUMBER).count() == 1
    from husly.people.models import StatedMember

    assert StatedMember.objects.count() == 1


@pytest.mark.django_db
def test_a_token_of_another_user_does_not_lead_to_their_case(
    sara, geir, household, routing
) -> None:
    client = Client()
    client.force_login(sara)
    url = reverse("cases:case_create", args=[household.pk])
    data = {**_staff_form(household), "innsending-token": _token(client.get(url).content.decode())}
    client.post(url, data)
    other = Client()
    other.force_login(geir)
    other.post(url, data)
    assert sorted(Case.objects.values_list("created_by__username", flat=True)) == ["geir", "sara"]


@pytest.mark.django_db(transaction=True)
def test_two_sends_at_the_same_moment_create_one_case(sara, household, routing) -> None:
    """Both requests pass the first look before either commits: the unique token decides."""
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent transactions (PostgreSQL)")
    import uuid

    token = uuid.uuid4()
    barrier = threading.Barrier(2)
    results: list[object] = []

    def send() -> None:
        try:
            barrier.wait()
            results.append(
                actions.case_create(
                    actor=sara,
                    household=household,
                    channel="paper",
                    help_kinds=["rental_dwelling"],
                    data={"housing_kind": "no_home"},
                    submit=True,
                    submission_token=token,
                ).pk
            )
        except Exception as exc:
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    case = Case.objects.get()
    assert results == [case.pk, case.pk]
