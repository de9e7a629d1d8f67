"""The art. 15 export holds the waiting list (with the priority breakdown), offers and the
household's answers, leases and renewals (issue 10, item 2): the administrator's full export and
the household's own download from Min side."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from husly.allocation import actions as allocation
from husly.audit.models import AccessEvent
from husly.portal.auth import resident_user
from husly.tenancy import actions as tenancy
from husly.tenancy.models import TermKind
from tests.allocation.helpers import approve, entry_of, make_dwelling, make_household
from tests.factories import synthetic_number

pytestmark = pytest.mark.django_db

RESIDENT = synthetic_number(dt.date(1984, 4, 4))
NOW = dt.datetime(2026, 3, 5, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def housed(sara, geir, eirik, raelingen, routing):  # type: ignore[no-untyped-def]
    """A household that was assessed and adjusted on the waiting list, accepted an offer and
    got a lease."""
    with time_machine.travel(NOW, tick=False):
        return _housed(sara, geir, eirik, raelingen)


def _housed(sara, geir, eirik, raelingen):  # type: ignore[no-untyped-def]
    household = make_household(raelingen, "Berg", children=1, national_id=RESIDENT)
    approve(sara, geir, household)
    entry = entry_of(household)
    allocation.waiting_list_entry_assess(
        actor=sara, entry=entry, data={"medical": 2, "social": 1, "children": 3, "urgency": 5}
    )
    allocation.waiting_list_entry_adjust(
        actor=sara, entry=entry_of(household), points=5, reason="Barnet bytter skole i august"
    )
    first = make_dwelling(raelingen, eirik, address="Storgata 2", start=dt.date(2026, 1, 1))
    offer = allocation.offer_make(actor=sara, entry=entry_of(household), dwelling=first)
    allocation.offer_accept(actor=sara, offer=offer)
    start = dt.date(2026, 4, 1)
    lease = tenancy.lease_create(
        actor=sara,
        offer=offer,
        data={
            "start_date": start,
            "end_date": dt.date(2029, 3, 31),
            "term_kind": TermKind.STANDARD,
            "term_basis": "",
            "monthly_rent": 9800,
            "deposit_kind": "nav_guarantee",
            "deposit_amount": 29_400,
            "handover_on": start,
            "inspection_on": None,
        },
    )
    return household, lease


def _sections(response) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.status_code
    return {s["key"]: s for s in json.loads(response.content)["sections"]}


@time_machine.travel(NOW, tick=False)
def test_the_full_export_holds_the_waiting_list_offers_and_leases(arne, housed) -> None:
    household, _lease = housed
    child = household.members.get(relation="child").person
    client = Client()
    client.force_login(arne)
    sections = _sections(client.get(reverse("audit:person_export_json", args=[child.pk])))
    entry = sections["waiting_list"]["rows"][0]
    assert (entry["medical"], entry["social"], entry["children"]) == (2, 1, 3)
    assert "Barnet bytter skole i august" in entry["manual"]
    items = {i["component"]: i["points"] for i in entry["priority"]["items"]}
    assert items["manual"] == 5
    assert items["urgency"] > 0  # homeless
    assert "5" in entry["breakdown"]
    assert sum(items.values()) == pytest.approx(entry["priority"]["total"])
    assert "Storgata 2" in sections["offers"]["rows"][0]["dwelling"]
    assert sections["offers"]["rows"][0]["answered_at"]
    assert sections["leases"]["rows"][0]["start_date"] == "2026-04-01"
    assert sections["leases"]["rows"][0]["monthly_rent"] == 9800


@time_machine.travel(NOW, tick=False)
def test_the_household_downloads_its_own_export_from_min_side(sara, housed) -> None:
    household, _lease = housed
    applicant = household.members.get(relation="applicant").person
    client = Client()
    client.force_login(resident_user(request=None, national_id=RESIDENT))
    home = client.get(reverse("portal:home")).content.decode()
    assert reverse("portal:export_pdf", args=[applicant.pk]) in home
    sections = _sections(client.get(reverse("portal:export_json", args=[applicant.pk])))
    assert {
        "person",
        "households",
        "cases",
        "decisions",
        "waiting_list",
        "offers",
        "leases",
    } <= set(sections)
    # Internal working records are in the full export only.
    assert not {"notes", "documents", "assessments", "allocation_meetings"} & set(sections)
    assert all(r["action"].startswith("person_") for r in sections["changes"]["rows"])
    assert all(row["status"] != "Draft" for row in sections["decisions"]["rows"])
    pdf = client.get(reverse("portal:export_pdf", args=[applicant.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert list(
        AccessEvent.objects.filter(person_id=applicant.pk, what__startswith="portal_export")
        .order_by("pk")
        .values_list("what", flat=True)
    ) == ["portal_export_json", "portal_export_pdf"]


def test_a_resident_reaches_no_one_elses_export(sara, housed, raelingen) -> None:
    other = make_household(raelingen, "Lund").members.get(relation="applicant").person
    client = Client()
    client.force_login(resident_user(request=None, national_id=RESIDENT))
    for kind in ("json", "pdf"):
        assert client.get(reverse(f"portal:export_{kind}", args=[other.pk])).status_code == 404
