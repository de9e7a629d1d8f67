from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from husly.audit.models import ChangeEvent
from husly.organisation.models import Membership, Municipality, Unit, User

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_an_administrator_creates_a_unit(arne, raelingen) -> None:
    response = _client(arne).post(
        reverse("organisation:unit_create"),
        {"municipality": raelingen.pk, "name": "NAV Rælingen", "kind": "nav"},
    )
    assert response.status_code == 302
    assert Unit.objects.filter(name="NAV Rælingen", municipality=raelingen).exists()
    assert ChangeEvent.objects.filter(action="unit_create", actor=arne).exists()


def test_a_duplicate_unit_name_gets_an_error_and_nothing_is_written(
    arne, raelingen, housing_office
) -> None:
    response = _client(arne).post(
        reverse("organisation:unit_create"),
        {"municipality": raelingen.pk, "name": housing_office.name, "kind": "nav"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert Unit.objects.filter(name=housing_office.name).count() == 1


def test_a_caseworker_cannot_create_units_or_staff(sara) -> None:
    client = _client(sara)
    assert client.get(reverse("organisation:unit_create")).status_code == 403
    assert client.get(reverse("organisation:staff_create")).status_code == 403


def test_an_administrator_registers_staff_with_a_role(arne, housing_office) -> None:
    response = _client(arne).post(
        reverse("organisation:staff_create"),
        {
            "username": "nils",
            "first_name": "Nils",
            "last_name": "Nilsen",
            "email": "",
            "unit": housing_office.pk,
            "role": "caseworker",
            "password": "",
        },
    )
    assert response.status_code == 302
    nils = User.objects.get(username="nils")
    assert not nils.has_usable_password()
    assert Membership.objects.get(user=nils).role == "caseworker"


def test_an_administrator_adds_and_removes_a_role(arne, sara, housing_office) -> None:
    client = _client(arne)
    client.post(
        reverse("organisation:membership_add", args=[sara.pk]),
        {"unit": housing_office.pk, "role": "approver"},
    )
    added = Membership.objects.get(user=sara, role="approver")
    client.post(reverse("organisation:membership_remove", args=[sara.pk, added.pk]))
    assert list(Membership.objects.filter(user=sara).values_list("role", flat=True)) == [
        "caseworker"
    ]
    assert ChangeEvent.objects.filter(action="membership_remove").exists()


def test_only_the_operator_creates_municipalities(arne) -> None:
    assert _client(arne).get(reverse("organisation:municipality_create")).status_code == 403
    operator = User.objects.create_superuser("drift", password="x")
    response = _client(operator).post(
        reverse("organisation:municipality_create"),
        {
            "number": "3203",
            "name": "Asker",
            "housing_allowance_area": 3,
            "language_form": "nb",
            "appeal_body": "Klagenemnda i Asker",
        },
    )
    assert response.status_code == 302
    assert Municipality.objects.filter(number="3203").exists()


def test_a_municipality_number_has_four_digits(raelingen) -> None:
    operator = User.objects.create_superuser("drift", password="x")
    response = _client(operator).post(
        reverse("organisation:municipality_create"),
        {"number": "32", "name": "Feil", "housing_allowance_area": 4, "language_form": "nb"},
    )
    assert "number" in response.context["form"].errors


def test_staff_of_another_municipality_are_hidden(olga, sara) -> None:
    assert (
        _client(olga).get(reverse("organisation:staff_detail", args=[sara.pk])).status_code == 404
    )


def test_the_staff_list_uses_the_same_number_of_queries_for_few_and_many_rows(
    arne, housing_office
) -> None:
    client = _client(arne)
    client.get(
        reverse("organisation:staff_list")
    )  # warm: the menu is kept until the records change (ADR 0036)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("organisation:staff_list"))
    for index in range(30):
        user = User.objects.create_user(f"u{index}")
        Membership.objects.create(user=user, unit=housing_office, role="caseworker")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("organisation:staff_list"))
    assert len(many) == len(few)
