"""Stored XSS in the registers' free-text fields, and ids from another municipality (IDOR)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from husly.organisation.models import Unit
from tests.factories import (
    BuildingFactory,
    DwellingFactory,
    HouseholdFactory,
    PersonFactory,
)

PAYLOAD = "<script>alert(1)</script>"
SHORT = "<script>"  # for ten-character fields


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _form_data(client: Client, url: str) -> dict[str, Any]:
    """What the edit form would post unchanged, read from the form the page renders."""
    form = client.get(url).context["form"]
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, dt.date):
            value = value.isoformat()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        if field.__class__.__name__ == "DecimalField":
            value = str(value).replace(".", ",")
        data[name] = value
    return data


def _edit(client: Client, url: str, changes: dict[str, str]) -> None:
    data = {**_form_data(client, url), **changes}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors


def _assert_escaped(client: Client, urls: list[str], payload: str) -> None:
    for url in urls:
        body = client.get(url).content.decode()
        assert payload not in body, url
        assert escape(payload) in body, url


@pytest.fixture
def raelingen_objects(raelingen, housing_office):  # type: ignore[no-untyped-def]
    person = PersonFactory(municipality=raelingen)
    household = HouseholdFactory(municipality=raelingen, applicant=person)
    building = BuildingFactory(municipality=raelingen)
    dwelling = DwellingFactory(building=building)
    return {
        "person": person,
        "household": household,
        "building": building,
        "dwelling": dwelling,
        "unit": housing_office,
    }


def test_person_fields_are_escaped(arne, raelingen_objects) -> None:
    client = _client(arne)
    person = raelingen_objects["person"]
    _edit(
        client,
        reverse("people:person_edit", args=[person.pk]),
        {
            "given_name": PAYLOAD,
            "family_name": PAYLOAD,
            "address": PAYLOAD,
            "postal_town": PAYLOAD,
        },
    )
    _assert_escaped(
        client,
        [
            reverse("people:person_detail", args=[person.pk]),
            reverse("people:person_list"),
            reverse("people:household_detail", args=[raelingen_objects["household"].pk]),
            reverse("people:household_list"),
            reverse("audit:search"),
        ],
        PAYLOAD,
    )


def test_household_names_are_escaped(arne, raelingen_objects) -> None:
    client = _client(arne)
    household = raelingen_objects["household"]
    _edit(client, reverse("people:household_edit", args=[household.pk]), {"name": PAYLOAD})
    _assert_escaped(
        client,
        [
            reverse("people:household_detail", args=[household.pk]),
            reverse("people:household_list"),
            reverse("people:person_detail", args=[raelingen_objects["person"].pk]),
        ],
        PAYLOAD,
    )


def test_building_and_dwelling_fields_are_escaped(arne, raelingen_objects) -> None:
    client = _client(arne)
    building, dwelling = raelingen_objects["building"], raelingen_objects["dwelling"]
    _edit(
        client,
        reverse("housing:building_edit", args=[building.pk]),
        {
            "name": PAYLOAD,
            "address": PAYLOAD,
            "postal_town": PAYLOAD,
            "district": PAYLOAD,
        },
    )
    _edit(client, reverse("housing:dwelling_edit", args=[dwelling.pk]), {"number": SHORT})
    _assert_escaped(
        client,
        [
            reverse("housing:building_detail", args=[building.pk]),
            reverse("housing:building_list"),
            reverse("housing:dwelling_detail", args=[dwelling.pk]),
        ],
        PAYLOAD,
    )
    _assert_escaped(
        client,
        [
            reverse("housing:dwelling_detail", args=[dwelling.pk]),
            reverse("housing:dwelling_list"),
        ],
        SHORT,
    )


def test_unit_staff_and_municipality_names_are_escaped(arne, sara, raelingen_objects) -> None:
    client = _client(arne)
    unit = raelingen_objects["unit"]
    _edit(client, reverse("organisation:unit_edit", args=[unit.pk]), {"name": PAYLOAD})
    _edit(
        client,
        reverse("organisation:staff_edit", args=[sara.pk]),
        {
            "first_name": PAYLOAD,
            "last_name": PAYLOAD,
        },
    )
    municipality = unit.municipality
    _edit(
        client,
        reverse("organisation:municipality_edit", args=[municipality.pk]),
        {
            "name": PAYLOAD,
            "appeal_body": PAYLOAD,
            "address": PAYLOAD,
        },
    )
    _assert_escaped(
        client,
        [
            reverse("organisation:unit_detail", args=[unit.pk]),
            reverse("organisation:unit_list"),
            reverse("organisation:staff_detail", args=[sara.pk]),
            reverse("organisation:staff_list"),
            reverse("organisation:municipality_detail", args=[municipality.pk]),
            reverse("organisation:municipality_list"),
        ],
        PAYLOAD,
    )


def test_another_municipalitys_ids_give_404_on_every_detail_and_edit_url(
    olga, sara, arne, eirik, raelingen_objects
) -> None:
    person, household = raelingen_objects["person"], raelingen_objects["household"]
    building, dwelling = raelingen_objects["building"], raelingen_objects["dwelling"]
    unit: Unit = raelingen_objects["unit"]
    member = household.members.first()
    urls = [
        ("get", reverse("people:person_detail", args=[person.pk])),
        ("get", reverse("people:person_edit", args=[person.pk])),
        ("get", reverse("people:person_access_log", args=[person.pk])),
        ("get", reverse("people:household_create", args=[person.pk])),
        ("get", reverse("people:household_detail", args=[household.pk])),
        ("get", reverse("people:household_edit", args=[household.pk])),
        ("get", reverse("people:household_member_add", args=[household.pk])),
        ("post", reverse("people:household_member_remove", args=[household.pk, member.pk])),
        ("get", reverse("housing:building_detail", args=[building.pk])),
        ("get", reverse("housing:building_edit", args=[building.pk])),
        ("get", reverse("housing:dwelling_detail", args=[dwelling.pk])),
        ("get", reverse("housing:dwelling_edit", args=[dwelling.pk])),
        ("get", reverse("housing:dwelling_status", args=[dwelling.pk])),
        ("get", reverse("organisation:unit_detail", args=[unit.pk])),
        ("get", reverse("organisation:unit_edit", args=[unit.pk])),
        ("get", reverse("organisation:municipality_detail", args=[unit.municipality_id])),
        ("get", reverse("organisation:municipality_edit", args=[unit.municipality_id])),
        ("get", reverse("organisation:staff_detail", args=[sara.pk])),
        ("get", reverse("organisation:staff_edit", args=[sara.pk])),
        ("post", reverse("organisation:membership_add", args=[sara.pk])),
        ("get", reverse("audit:person_export_pdf", args=[person.pk])),
        ("get", reverse("audit:person_export_json", args=[person.pk])),
    ]
    client = _client(olga)
    for method, url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 404, (url, response.status_code)
    # The same URLs work for Rælingen's own administrator, so the 404s are about scope.
    own = _client(arne)
    for method, url in urls:
        if method == "get":
            assert own.get(url).status_code == 200, url
    # And a property manager in Rælingen cannot see persons at all.
    assert _client(eirik).get(urls[0][1]).status_code == 404
