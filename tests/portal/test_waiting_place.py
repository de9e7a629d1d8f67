"""Min side tells the household who works on its application, how to reach them, and where it
stands on the waiting list: its place by priority, why, and the six-month date. Other
households on the list are counted, never named."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from husly.allocation.models import EntryStatus
from husly.cases import actions
from husly.organisation.models import Unit
from husly.rules import deadlines
from tests.allocation.helpers import approve, entry_of, make_household
from tests.factories import synthetic_number

pytestmark = pytest.mark.django_db

MY_NUMBER = synthetic_number(dt.date(1988, 4, 5))


def _resident() -> Client:
    client = Client()
    client.post(reverse("portal:login"), {"national_id": MY_NUMBER})
    return client


@pytest.fixture
def on_the_list(raelingen, routing, sara, geir, housing_office):  # type: ignore[no-untyped-def]
    """Three approved households; ours (Berg) waited least, the Haugen family has children and
    a high medical level, so it ranks above ours."""
    Unit.objects.filter(pk=housing_office.pk).update(
        phone="64 83 50 00", email="tildeling@raelingen.kommune.example"
    )
    mine = make_household(raelingen, "Berg", national_id=MY_NUMBER)
    others = [make_household(raelingen, "Haugen", children=2), make_household(raelingen, "Lie")]
    decisions = {h.name: approve(sara, geir, h) for h in [*others, mine]}
    actions.case_assign(actor=sara, case=decisions["Berg"].case, caseworker=sara)
    haugen = entry_of(others[0])
    haugen.medical = 3
    haugen.save(update_fields=["medical"])
    return decisions["Berg"]


def test_the_household_sees_its_caseworker_and_how_to_reach_the_unit(on_the_list) -> None:
    html = _resident().get(reverse("portal:case", args=[on_the_list.case_id])).content.decode()
    assert "Saksbehandleren din er Sara Test" in html
    assert "64 83 50 00" in html and "tildeling@raelingen.kommune.example" in html


def test_the_household_sees_its_place_its_reasons_and_the_six_month_date(on_the_list) -> None:
    entry = entry_of(on_the_list.case.household)
    html = _resident().get(reverse("portal:case", args=[on_the_list.case_id])).content.decode()
    assert "Plassen din på ventelisten" in html
    assert "nummer 2 av 3 husstander" in html or "nummer 3 av 3 husstander" in html
    assert "Grunnpoeng (tilsagn)" in html  # a reason with its explanation
    promise = deadlines.allocation_deadline(entry.placed_on)
    assert promise.strftime("%d.%m.%Y") in html
    assert "Haugen" not in html and "Lie" not in html  # others are counted, not named


def test_the_place_follows_the_priority_not_the_order_of_approval(on_the_list) -> None:
    """Haugen ranks first by its medical level, though approved with the others."""
    html = _resident().get(reverse("portal:case", args=[on_the_list.case_id])).content.decode()
    assert "nummer 1 av 3" not in html


def test_a_household_off_the_list_sees_no_place(on_the_list) -> None:
    entry = entry_of(on_the_list.case.household)
    entry.status = EntryStatus.HOUSED
    entry.save(update_fields=["status"])
    html = _resident().get(reverse("portal:case", args=[on_the_list.case_id])).content.decode()
    assert "Plassen din på ventelisten" not in html
