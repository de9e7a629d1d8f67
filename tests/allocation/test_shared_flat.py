"""Shared flats (issue #12): rooms let to independent tenants, each with its own lease, rent
claims, ledger and arrears; an ordinary dwelling keeps one lease at a time."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from husly.allocation import actions as allocation
from husly.allocation import engine
from husly.allocation.models import Offer
from husly.housing.forms import DwellingForm
from husly.housing.models import Dwelling, DwellingStatus
from husly.rent import actions as rent
from husly.rent.models import RentClaim
from husly.rent.selectors import arrears_for_lease, ledger_for_lease
from husly.tenancy import actions as tenancy
from husly.tenancy.models import EndReason, Lease, LeaseStatus, TermKind
from tests.allocation.helpers import (
    approve,
    entry_of,
    lease_in_force,
    make_dwelling,
    make_household,
)
from tests.rent.helpers import pay

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 5, 10, 0, tzinfo=dt.UTC)
START = dt.date(2026, 3, 5)


def _terms(start: dt.date, rent: int = 5200):  # type: ignore[no-untyped-def]
    return {
        "start_date": start,
        "end_date": tenancy.standard_end_date(start),
        "term_kind": TermKind.STANDARD,
        "term_basis": "",
        "monthly_rent": rent,
        "deposit_kind": "nav_guarantee",
        "deposit_amount": 3 * rent,
        "handover_on": start,
        "inspection_on": start + dt.timedelta(days=60),
    }


def _shared(raelingen, eirik, units: int = 2) -> Dwelling:  # type: ignore[no-untyped-def]
    dwelling = make_dwelling(raelingen, eirik, rooms=3, rent=5200)
    dwelling.lettable_units = units
    dwelling.save(update_fields=["lettable_units"])
    return dwelling


def _tenant(sara, geir, raelingen, name: str):  # type: ignore[no-untyped-def]
    household = make_household(raelingen, name)
    approve(sara, geir, household)
    return entry_of(household)


def _let(sara, entry, dwelling, unit, rent=5200) -> Lease:  # type: ignore[no-untyped-def]
    offer = allocation.offer_make(actor=sara, entry=entry, dwelling=dwelling, unit=unit)
    allocation.offer_accept(actor=sara, offer=offer)
    lease = tenancy.lease_create(actor=sara, offer=offer, data=_terms(START, rent))
    return lease_in_force(sara, lease)


def _bare_lease(dwelling, household, actor, unit: int, status=LeaseStatus.ACTIVE) -> Lease:  # type: ignore[no-untyped-def]
    return Lease.objects.create(
        municipality=dwelling.building.municipality,
        dwelling=dwelling,
        household=household,
        unit=unit,
        status=status,
        start_date=START,
        monthly_rent=5200,
        created_by=actor,
    )


def test_the_database_allows_one_active_lease_per_room(raelingen, eirik) -> None:
    shared = _shared(raelingen, eirik)
    first = _bare_lease(shared, make_household(raelingen, "Ali"), eirik, 1)
    second = _bare_lease(shared, make_household(raelingen, "Berg"), eirik, 2)
    assert {first.unit, second.unit} == {1, 2}
    third = Lease(
        municipality=raelingen,
        dwelling=shared,
        household=make_household(raelingen, "Dahl"),
        unit=2,
        status=LeaseStatus.ACTIVE,
        start_date=START,
        monthly_rent=5200,
        created_by=eirik,
    )
    with pytest.raises(ValidationError) as refused:
        third.validate_constraints()
    assert "Boligen har allerede en aktiv leiekontrakt." in str(refused.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        third.save()


def test_an_ordinary_dwelling_still_has_one_lease_at_a_time(raelingen, eirik) -> None:
    ordinary = make_dwelling(raelingen, eirik)
    assert ordinary.lettable_units == 1 and not ordinary.shared
    _bare_lease(ordinary, make_household(raelingen, "Ali"), eirik, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        _bare_lease(ordinary, make_household(raelingen, "Berg"), eirik, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        _bare_lease(ordinary, make_household(raelingen, "Berg"), eirik, 1, LeaseStatus.DRAFT)
        _bare_lease(ordinary, make_household(raelingen, "Dahl"), eirik, 1, LeaseStatus.SENT)


def test_a_dwelling_is_let_as_at_least_one_unit(raelingen, eirik) -> None:
    dwelling = make_dwelling(raelingen, eirik)
    data = {
        "number": dwelling.number,
        "rooms": 2,
        "area_m2": "54.0",
        "floor": 1,
        "category": dwelling.category,
        "ownership": dwelling.ownership,
        "monthly_rent": 9000,
        "lettable_units": 0,
    }
    form = DwellingForm(data, instance=dwelling)
    assert not form.is_valid()
    assert form.errors["lettable_units"] == ["En bolig leies ut som minst én enhet."]


@time_machine.travel(NOW, tick=False)
def test_an_ordinary_dwelling_is_offered_once_and_refuses_a_room(
    sara, geir, raelingen, routing, eirik
) -> None:
    ordinary = make_dwelling(raelingen, eirik)
    first = _tenant(sara, geir, raelingen, "Ali")
    with pytest.raises(ValidationError) as refused:
        allocation.offer_make(actor=sara, entry=first, dwelling=ordinary, unit=2)
    assert "Boligen leies ikke ut rom for rom." in str(refused.value)
    lease = _let(sara, first, ordinary, None)
    assert lease.unit == 1
    ordinary.refresh_from_db()
    assert ordinary.status == DwellingStatus.OCCUPIED
    with pytest.raises(ValidationError, match=r"Boligen er ikke ledig\."):
        allocation.offer_make(
            actor=sara, entry=_tenant(sara, geir, raelingen, "Berg"), dwelling=ordinary
        )
    tenancy.lease_end(
        actor=sara, lease=lease, ended_on=dt.date(2026, 6, 30), reason=EndReason.MOVED_OUT
    )
    ordinary.refresh_from_db()
    assert ordinary.status == DwellingStatus.VACANT


@time_machine.travel(NOW, tick=False)
def test_two_tenants_of_one_flat_are_billed_separately(
    sara, geir, raelingen, routing, eirik
) -> None:
    shared = _shared(raelingen, eirik)
    ali, berg = (_tenant(sara, geir, raelingen, n) for n in ("Ali", "Berg"))
    with pytest.raises(ValidationError) as no_room:
        allocation.offer_make(actor=sara, entry=ali, dwelling=shared)
    assert "Velg rommet som skal tilbys i den delte boligen." in str(no_room.value)
    first = _let(sara, ali, shared, 1, rent=5200)
    shared.refresh_from_db()
    assert shared.status == DwellingStatus.OCCUPIED
    assert engine.free_units(shared) == [2]
    assert shared in engine.vacant_dwellings(raelingen)  # a free room: on the agenda
    with pytest.raises(ValidationError) as taken:
        allocation.offer_make(actor=sara, entry=berg, dwelling=shared, unit=1)
    assert "Rom 1 er utleid eller allerede tilbudt." in str(taken.value)
    second = _let(sara, berg, shared, 2, rent=4800)
    shared.refresh_from_db()
    assert shared.status == DwellingStatus.OCCUPIED
    assert shared not in engine.vacant_dwellings(raelingen)
    assert (first.unit, second.unit) == (1, 2)
    assert first.payment_kid != second.payment_kid

    # The rent roll gives one claim per lease, twice run.
    april = dt.date(2026, 4, 1)
    rent.rent_roll_run(actor=None, municipality=raelingen, month=april)
    rent.rent_roll_run(actor=None, municipality=raelingen, month=april)
    claims = RentClaim.objects.filter(dwelling=shared, month=april, kind="rent")
    assert sorted(claims.values_list("lease_id", "amount")) == [
        (first.pk, 5200),
        (second.pk, 4800),
    ]
    # Ledgers and arrears are the lease's own: Ali pays, Berg does not.
    pay(first, april, 5200)
    as_of = dt.date(2026, 4, 30)
    assert (
        ledger_for_lease(first, as_of=as_of).balance
        == ledger_for_lease(first, as_of=as_of).charged - 5200
    )
    assert ledger_for_lease(second, as_of=as_of).paid == 0
    assert arrears_for_lease(second, as_of).amount >= 4800
    april_first = [m for m in ledger_for_lease(first, as_of=as_of).months if m.month == april]
    assert april_first[0].balance == 0

    # The flat stays occupied until the last tenant leaves.
    tenancy.lease_end(
        actor=sara, lease=first, ended_on=dt.date(2026, 6, 30), reason=EndReason.MOVED_OUT
    )
    shared.refresh_from_db()
    assert shared.status == DwellingStatus.OCCUPIED
    assert engine.free_units(shared) == [1]
    tenancy.lease_end(
        actor=sara, lease=second, ended_on=dt.date(2026, 7, 31), reason=EndReason.MOVED_OUT
    )
    shared.refresh_from_db()
    assert shared.status == DwellingStatus.VACANT


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@time_machine.travel(NOW, tick=False)
def test_the_meeting_offers_a_free_room_and_the_second_lease_names_it(
    sara, geir, tone, raelingen, routing, eirik
) -> None:
    shared = _shared(raelingen, eirik)
    _let(sara, _tenant(sara, geir, raelingen, "Ali"), shared, 1)
    berg = _tenant(sara, geir, raelingen, "Berg")
    meeting = allocation.allocation_meeting_create(
        actor=tone,
        municipality=raelingen,
        data={"title": "Tildelingsmøte", "held_on": dt.date(2026, 3, 5)},
    )
    allocation.allocation_meeting_propose(actor=tone, meeting=meeting, seed=3)
    item = meeting.items.get(dwelling=shared)
    client = Client()
    client.force_login(tone)
    page = client.get(reverse("allocation:item_decide", args=[item.pk])).content.decode()
    form = page.split(f'action="{reverse("allocation:item_decide", args=[item.pk])}"', 1)[1]
    form = form.split("</form>")[0]
    rooms = re.findall(rf'<select name="i{item.pk}-unit"[^>]*>(.*?)</select>', form, re.DOTALL)
    assert rooms and re.findall(r'<option value="(\d+)"', rooms[0]) == ["2"]  # free rooms only
    assert "Rom som skal tilbys" in _text(form)
    url = reverse("allocation:item_decide", args=[item.pk])
    refused = client.post(
        url, {f"i{item.pk}-entry": str(berg.pk), f"i{item.pk}-reason": "x", "decision": "confirm"}
    )
    assert refused.status_code == 400
    assert "Velg rommet som skal tilbys" in refused.content.decode()
    assert not Offer.objects.filter(entry=berg).exists()
    done = client.post(
        url,
        {
            f"i{item.pk}-entry": str(berg.pk),
            f"i{item.pk}-reason": "Passer i bofellesskapet",
            f"i{item.pk}-unit": "2",
            "decision": "confirm",
        },
    )
    assert done.status_code == 302
    offer = Offer.objects.get(entry=berg)
    assert offer.unit == 2
    allocation.offer_accept(actor=sara, offer=offer)

    writer = Client()
    writer.force_login(sara)
    create = reverse("tenancy:lease_create", args=[offer.pk])
    assert "rom 2 av 2 i delt bolig" in _text(writer.get(create).content.decode())
    data = _terms(dt.date(2026, 4, 1), 4800)
    posted = writer.post(
        create,
        {
            **{k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in data.items()},
            "payment_due_day": 1,
            "payment_account": "",
        },
    )
    assert posted.status_code == 302, _text(posted.content.decode())[:2000]
    lease = Lease.objects.get(offer=offer)
    assert lease.unit == 2
    assert Lease.objects.filter(dwelling=shared).exclude(status=LeaseStatus.ENDED).count() == 2
    reader = PdfReader(io.BytesIO(lease.document.open("rb").read()))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Leid rom Rom 2 av 2 i delt bolig" in text
    detail = writer.get(reverse("tenancy:lease_detail", args=[lease.pk])).content.decode()
    assert "rom 2" in _text(detail)
