from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from husly.audit.models import ChangeEvent
from husly.housing.actions import dwelling_create
from husly.housing.models import Dwelling, DwellingStatusChange
from tests.factories import BuildingFactory, DwellingFactory

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_it_registers_a_dwelling_with_its_first_status(eirik, raelingen) -> None:
    building = BuildingFactory(municipality=raelingen)
    response = _client(eirik).post(
        reverse("housing:dwelling_create"),
        {
            "building": building.pk,
            "number": "H0101",
            "rooms": 2,
            "area_m2": "55,5",
            "floor": 1,
            "category": "ordinary",
            "ownership": "owned",
            "monthly_rent": 9500,
        },
    )
    dwelling = Dwelling.objects.get()
    assert response.status_code == 302
    assert dwelling.status == "vacant"
    assert dwelling.status_changes.get().status == "vacant"
    assert ChangeEvent.objects.filter(action="dwelling_create", actor=eirik).exists()


def test_it_refuses_a_caseworker_who_tries_to_register_a_dwelling(sara, raelingen) -> None:
    assert _client(sara).get(reverse("housing:dwelling_create")).status_code == 403


def test_it_keeps_the_status_history_right(eirik, raelingen) -> None:
    dwelling = dwelling_create(
        actor=eirik,
        data={
            "building": BuildingFactory(municipality=raelingen),
            "number": "H0201",
            "rooms": 1,
            "area_m2": 40,
            "monthly_rent": 8000,
        },
        status_from=dt.date(2026, 1, 1),
    )
    client = _client(eirik)
    url = reverse("housing:dwelling_status", args=[dwelling.pk])
    client.post(url, {"status": "occupied", "valid_from": "2026-02-01", "reason": "Utleid"})
    too_early = client.post(url, {"status": "maintenance", "valid_from": "2026-01-15"})
    assert "valid_from" in too_early.context["form"].errors
    client.post(url, {"status": "maintenance", "valid_from": "2026-03-01", "reason": "Maling"})
    dwelling.refresh_from_db()
    assert dwelling.status == "maintenance"
    assert [c.status for c in DwellingStatusChange.objects.filter(dwelling=dwelling)] == [
        "maintenance",
        "occupied",
        "vacant",
    ]


def test_it_refuses_a_status_change_to_the_same_status(eirik, raelingen) -> None:
    dwelling = DwellingFactory(building__municipality=raelingen)
    response = _client(eirik).post(
        reverse("housing:dwelling_status", args=[dwelling.pk]),
        {"status": "vacant", "valid_from": timezone.localdate().isoformat()},
    )
    assert response.context["form"].errors


def test_it_filters_dwellings(sara, raelingen) -> None:
    wanted = DwellingFactory(building__municipality=raelingen, rooms=3, wheelchair_accessible=True)
    DwellingFactory(building__municipality=raelingen, rooms=1)
    DwellingFactory(building__municipality=raelingen, rooms=3, status="occupied")
    page = (
        _client(sara)
        .get(
            reverse("housing:dwelling_list"),
            {"status": "vacant", "min_rooms": 2, "wheelchair": "on"},
        )
        .context["page"]
    )
    assert [dwelling["pk"] for dwelling in page] == [wanted.pk]


def test_it_hides_dwellings_of_another_municipality(olga, raelingen) -> None:
    dwelling = DwellingFactory(building__municipality=raelingen)
    client = _client(olga)
    assert client.get(reverse("housing:dwelling_detail", args=[dwelling.pk])).status_code == 404
    assert (
        client.get(reverse("housing:building_detail", args=[dwelling.building_id])).status_code
        == 404
    )


def test_the_dwelling_list_uses_the_same_number_of_queries_for_few_and_many_rows(
    sara, raelingen
) -> None:
    client = _client(sara)
    DwellingFactory.create_batch(3, building__municipality=raelingen)
    client.get(
        reverse("housing:dwelling_list")
    )  # warm: the menu is kept until the records change (ADR 0036)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("housing:dwelling_list"))
    DwellingFactory.create_batch(60, building__municipality=raelingen)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("housing:dwelling_list"))
    assert len(many) == len(few)


def test_the_building_list_uses_the_same_number_of_queries_for_few_and_many_rows(
    sara, raelingen
) -> None:
    client = _client(sara)
    BuildingFactory.create_batch(2, municipality=raelingen)
    client.get(
        reverse("housing:building_list")
    )  # warm: the menu is kept until the records change (ADR 0036)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("housing:building_list"))
    DwellingFactory.create_batch(40, building__municipality=raelingen)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("housing:building_list"))
    assert len(many) == len(few)


def test_the_dwelling_count_is_kept_until_the_records_change(eirik, sara, raelingen) -> None:
    """The unfiltered list's count is kept for every reader until the records change (ADR 0036,
    0038): the actor sees a dwelling they register at once, a colleague from the next page; a
    filtered list is counted as it is asked."""
    building = BuildingFactory(municipality=raelingen)
    DwellingFactory.create_batch(3, building=building)
    colleague = _client(sara)

    def count(client: Client, **filters: str) -> int:
        page = client.get(reverse("housing:dwelling_list"), filters).context["page"]
        return int(page.paginator.count)

    assert count(colleague) == 3
    DwellingFactory(building=building, status="occupied")  # no change event: the count kept
    assert count(colleague) == 3
    assert count(colleague, status="occupied") == 1
    actor = _client(eirik)
    response = actor.post(
        reverse("housing:dwelling_create"),
        {
            "building": building.pk,
            "number": "H0909",
            "rooms": 2,
            "area_m2": "55,5",
            "floor": 1,
            "category": "ordinary",
            "ownership": "owned",
            "monthly_rent": 9500,
        },
    )
    assert response.status_code == 302
    assert count(actor) == 5  # the actor's own change: counted at once
    count(colleague)  # (may show the count a change behind once)
    assert count(colleague) == 5
