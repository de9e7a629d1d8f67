"""Providers, places, agreements and inspections through the pages; housing situations and the
homelessness list; Min side, the art. 15 export and retention for stays."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from husly.audit.export import Scope, build_export
from husly.portal.auth import resident_user
from husly.temporary import actions
from husly.temporary.hooks import staying_persons
from husly.temporary.models import HousingSituation, Provider, QualityAgreement
from husly.temporary.selectors import homeless_on
from tests.temporary.helpers import family, provider

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_provider_register_through_the_pages(sara, lise, eirik, raelingen):  # type: ignore[no-untyped-def]
    client = _client(sara)
    response = client.post(
        reverse("temporary:provider_create"), {"name": "Elvestua hospits", "kind": "hostel"}
    )
    p = Provider.objects.get(name="Elvestua hospits")
    assert response.status_code == 302
    add = lambda what, data: client.post(  # noqa: E731
        reverse("temporary:provider_add", args=[p.pk, what]), data, follow=True
    )
    add(
        "plass",
        {
            "name": "Familierom",
            "capacity": 3,
            "price": 650,
            "price_per": "household",
            "children_allowed": "on",
        },
    )
    assert p.places.get().children_allowed
    # An agreement that ends before it starts: a clear message, nothing written.
    page = add(
        "avtale",
        {
            "valid_from": "2026-05-01",
            "valid_to": "2026-01-01",
            "standard": "S",
            "safety": "S",
            "staffing": "B",
            "follow_up": "O",
            "inspection": "T",
        },
    )
    assert "Avtalen kan ikke slutte før den begynner." in page.content.decode()
    assert not QualityAgreement.objects.exists()
    add(
        "avtale",
        {
            "valid_from": "2026-01-01",
            "valid_to": "2027-12-31",
            "standard": "Eget bad",
            "safety": "Brannvarsling",
            "staffing": "Døgnbemannet",
            "follow_up": "Ukentlig samtale",
            "inspection": "Uanmeldt tilsyn",
        },
    )
    add("tilsyn", {"inspected_on": "2026-02-01", "findings": "Rømningsvei sperret."})
    detail = client.get(reverse("temporary:provider_detail", args=[p.pk])).content.decode()
    assert "Rømningsvei sperret." in detail and "Ikke godkjent ved tilsyn" in detail
    # The leader reads the register, cannot add to it; the property manager sees nothing.
    assert _client(lise).get(reverse("temporary:provider_detail", args=[p.pk])).status_code == 200
    assert (
        _client(lise).post(reverse("temporary:provider_add", args=[p.pk, "plass"]), {}).status_code
        == 302
    )
    assert p.places.count() == 1
    assert _client(eirik).get(reverse("temporary:provider_list")).status_code == 404


def test_homelessness_by_the_national_definition(sara, raelingen, housing_office, routing):  # type: ignore[no-untyped-def]
    on = dt.date(2026, 11, 23)
    friends = family(raelingen, "Venn")
    prison_soon = family(raelingen, "Snart")
    prison_later = family(raelingen, "Senere")
    housed = family(raelingen, "Bolig")
    for household, situation, leaves in (
        (friends, "with_friends", None),
        (prison_soon, "prison", dt.date(2027, 1, 10)),  # within two months of the date
        (prison_later, "prison", dt.date(2027, 3, 1)),
        (housed, "with_friends", None),
    ):
        actions.housing_situation_record(
            actor=sara,
            household=household,
            data={"situation": situation, "valid_from": dt.date(2026, 9, 1), "leaves_on": leaves},
        )
    # A household that later got its own home is not homeless after that.
    actions.housing_situation_record(
        actor=sara,
        household=housed,
        data={"situation": "own_home", "valid_from": dt.date(2026, 11, 1)},
    )
    assert HousingSituation.objects.get(
        household=housed, situation="with_friends"
    ).valid_to == dt.date(2026, 10, 31)
    names = [h.name for h, _s in homeless_on(raelingen.pk, on)]
    assert names == ["Snart", "Venn"]
    assert "Bolig" in [h.name for h, _s in homeless_on(raelingen.pk, dt.date(2026, 10, 1))]
    # Prison without a release date: a clear message.
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="skrives ut eller løslates"):
        actions.housing_situation_record(
            actor=sara, household=friends, data={"situation": "prison", "valid_from": on}
        )
    page = _client(sara).get(reverse("temporary:homeless") + "?dato=2026-11-23").content.decode()
    assert "Snart" in page and "Senere" not in page


def test_min_side_export_and_retention(sara, raelingen, housing_office, routing):  # type: ignore[no-untyped-def]
    place = provider(raelingen, "Hospitset", "hostel", 450, actor=sara)
    household = family(raelingen, "Lund", children=(dt.date(2019, 1, 1),))
    stay = actions.stay_place(
        actor=sara,
        household=household,
        place=place,
        starts_on=dt.date(2026, 11, 20),
        planned_end=dt.date(2026, 12, 10),
        lasting_path="start_loan",
        responsible_unit=housing_office,
        facts="Ingen bolig.",
    )
    applicant = household.members.get(relation="applicant").person
    resident = _client(resident_user(request=None, national_id=applicant.national_id))
    home = resident.get(reverse("portal:home")).content.decode()
    assert reverse("temporary:my_stay", args=[stay.pk]) in home
    page = resident.get(reverse("temporary:my_stay", args=[stay.pk])).content.decode()
    assert "Hospitset" in page and housing_office.name in page
    assert reverse("portal:decision_detail", args=[stay.decision_id]) in page
    assert (
        resident.get(reverse("portal:decision_detail", args=[stay.decision_id])).status_code == 200
    )
    export = build_export(applicant, Scope(user=sara, household_ids=frozenset({household.pk})))
    keys = [s["key"] if isinstance(s, dict) else s.key for s in export["sections"]]
    assert "temporary_stays" in keys
    members = set(household.members.values_list("person_id", flat=True))
    assert staying_persons(members) == members
    actions.stay_end(actor=sara, stay=stay, on=dt.date(2026, 11, 25), reason="own_solution")
    assert staying_persons(members) == set()
