"""Every page and every form of the landlords app, for every staff role inside one municipality:
housing office caseworkers and approvers and property managers get in, everybody else gets 404
(the figures page: leaders, administrators and property managers). And the forms work through
the pages end to end."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from husly.audit.models import AccessEvent
from husly.landlords.models import Agreement, Enquiry, FaultReport, Landlord, OfferedDwelling
from husly.organisation.models import Unit
from tests.conftest import _user
from tests.factories import synthetic_number
from tests.security.test_url_access import RULES, _url

pytestmark = pytest.mark.django_db

LET_IN = {"caseworker", "approver", "property"}
FIGURES = {"leader", "administrator", "property"}


@pytest.fixture
def cast(sara, geir, arne, eirik, lise, housing_office, routing, raelingen):  # type: ignore[no-untyped-def]
    follow_up = Unit.objects.create(municipality=raelingen, name="Booppfølging", kind="follow_up")
    return {
        "caseworker": sara,
        "approver": geir,
        "property": eirik,
        "administrator": arne,
        "leader": lise,
        "allocation_member": _user("tone", housing_office, "allocation_member"),
        "follow_up": _user("bente", follow_up, "follow_up"),
        "nav caseworker": _user("nadia", routing, "caseworker"),
    }


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_every_page_per_role(world, cast) -> None:  # type: ignore[no-untyped-def]
    problems = []
    for name, rule in sorted(RULES.items()):
        if not name.startswith("landlords:"):
            continue
        url = _url(name, rule, world)
        for role, user in cast.items():
            allowed = FIGURES if name == "landlords:figures" else LET_IN
            client = _client(user)
            if rule.method == "get":
                status = client.get(url).status_code
                expected = 200 if role in allowed else 404
            else:
                status = client.post(url, {}).status_code
                expected = 302 if role in allowed else 404
            if status != expected:
                problems.append((name, role, status, expected))
    assert problems == []


def test_a_refused_post_writes_nothing(world, cast) -> None:  # type: ignore[no-untyped-def]
    landlord = world["landlord"]
    for role, user in cast.items():
        if role in LET_IN:
            continue
        _client(user).post(
            reverse("landlords:landlord_contact", args=[landlord.pk]),
            {"channel": "phone", "summary": "Hei"},
        )
    assert not landlord.contacts.exists()


def test_register_a_private_landlord_through_the_page(world, sara) -> None:  # type: ignore[no-untyped-def]
    client = _client(sara)
    url = reverse("landlords:landlord_create")
    bad = client.post(
        url,
        {"kind": "person", "national_id": "12345678901", "given_name": "Eva", "family_name": "E"},
    )
    assert bad.status_code == 400
    assert "national_id" in bad.context["form"].errors
    number = synthetic_number(dt.date(1961, 6, 6))
    response = client.post(
        url,
        {"kind": "person", "national_id": number, "given_name": "Eva", "family_name": "Eier"},
    )
    landlord = Landlord.objects.get(person__national_id=number)
    assert response.status_code == 302
    page = client.get(reverse("landlords:landlord_detail", args=[landlord.pk]))
    assert "Eva Eier" in page.content.decode()
    assert AccessEvent.objects.filter(person_id=landlord.person_id, what="landlord_detail").exists()
    company = client.post(url, {"kind": "company", "name": "Feil AS", "org_number": "974760674"})
    assert company.status_code == 400
    assert "org_number" in company.context["form"].errors


def test_offer_a_flat_and_head_lease_it_through_the_pages(world, eirik) -> None:  # type: ignore[no-untyped-def]
    client = _client(eirik)
    landlord = world["landlord"]
    client.post(
        reverse("landlords:dwelling_add", args=[landlord.pk]),
        {
            "address": "Sidevegen 4",
            "postal_code": "2008",
            "postal_town": "Fjerdingby",
            "rooms": "2",
            "area_m2": "48,5",
            "monthly_rent": "8500",
        },
    )
    flat = OfferedDwelling.objects.get(address="Sidevegen 4")
    start = timezone.localdate()
    response = client.post(
        reverse("landlords:agreement_create", args=[landlord.pk, "head_lease"]),
        {
            "offered_dwelling": flat.pk,
            "start_date": start.isoformat(),
            "end_date": (start + dt.timedelta(days=365)).isoformat(),
            "rent_to_owner": "8500",
        },
        follow=True,
    )
    agreement = Agreement.objects.get(offered_dwelling=flat)
    body = response.content.decode()
    assert "shorter than three years" in body or "kortere enn tre år" in body
    flat.refresh_from_db()
    assert flat.dwelling is not None
    client.post(
        reverse("landlords:agreement_step", args=[agreement.pk, "nokkel"]),
        {"label": "Hoveddør", "kept_at": "Nøkkelskap"},
    )
    assert agreement.keys.count() == 1
    client.post(
        reverse("landlords:agreement_step", args=[agreement.pk, "feil"]),
        {"reported_on": start.isoformat(), "description": "Ovnen virker ikke"},
    )
    fault = FaultReport.objects.get(description="Ovnen virker ikke")
    client.post(
        reverse("landlords:fault_update", args=[fault.pk]),
        {"status": "fixed", "on": start.isoformat()},
    )
    fault.refresh_from_db()
    assert fault.status == "fixed"


def test_the_enquiry_queue_through_the_page(world, geir) -> None:  # type: ignore[no-untyped-def]
    client = _client(geir)
    client.post(
        reverse("landlords:enquiry_list"),
        {"from_name": "Per", "from_contact": "900", "channel": "phone", "text": "Har hybel"},
    )
    enquiry = Enquiry.objects.get(from_name="Per")
    client.post(reverse("landlords:enquiry_take", args=[enquiry.pk]))
    enquiry.refresh_from_db()
    assert enquiry.assigned_to == geir
    client.post(reverse("landlords:enquiry_answer", args=[enquiry.pk]), {"answer": "Vi ringer."})
    enquiry.refresh_from_db()
    assert enquiry.answer == "Vi ringer."


def test_the_household_choices_follow_need_to_know(world, sara, eirik, geir) -> None:  # type: ignore[no-untyped-def]
    from tests.allocation.helpers import approve, make_household

    household = make_household(world["municipality"], "Venter")
    approve(sara, geir, household)
    url = reverse("landlords:agreement_create", args=[world["landlord"].pk, "brokerage"])
    assert "Venter" in _client(sara).get(url).content.decode()
    assert "Venter" not in _client(eirik).get(url).content.decode()  # no person-reading role
