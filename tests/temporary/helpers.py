"""Providers, places and stays for the temporary-accommodation tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from husly.cases.models import Case, Decision
from husly.organisation.models import Municipality, Unit, User
from husly.people.models import Household, HouseholdMember
from husly.temporary.models import Place, Provider, QualityAgreement, Segment, Stay
from tests.factories import HouseholdFactory, PersonFactory, synthetic_number

_counter = [0]


def person(municipality: Municipality, born: dt.date, **kwargs: Any) -> Any:
    return PersonFactory(
        municipality=municipality,
        national_id=synthetic_number(born),
        date_of_birth=born,
        **kwargs,
    )


def family(
    municipality: Municipality,
    name: str,
    *,
    adult: dt.date | None = None,
    children: tuple[dt.date, ...] = (),
    adults: int = 1,
) -> Household:
    _counter[0] += 1
    adult = adult or dt.date(1980, 1, 1) + dt.timedelta(days=_counter[0] * 3)
    household = HouseholdFactory(
        municipality=municipality,
        applicant=person(municipality, adult, family_name=name),
        name=name,
    )
    for i in range(1, adults):
        HouseholdMember.objects.create(
            household=household,
            relation="spouse",
            person=person(municipality, adult + dt.timedelta(days=i), family_name=name),
        )
    for born in children:
        HouseholdMember.objects.create(
            household=household,
            relation="child",
            person=person(municipality, born, family_name=name),
        )
    return household


def provider(
    municipality: Municipality,
    name: str,
    kind: str,
    price: int,
    per: str = "household",
    *,
    children: bool = True,
    actor: User | None = None,
    agreement: bool = True,
) -> Place:
    p = Provider.objects.create(municipality=municipality, name=name, kind=kind)
    if agreement and actor is not None:
        QualityAgreement.objects.create(
            provider=p,
            valid_from=dt.date(2020, 1, 1),
            valid_to=dt.date(2030, 12, 31),
            standard="Eget rom med lås.",
            safety="Brannvarsling.",
            staffing="Døgnbemannet.",
            follow_up="Samtale hver uke.",
            inspection="Kommunen kan komme uanmeldt.",
            recorded_by=actor,
        )
    return Place.objects.create(
        provider=p, name="Rom", capacity=10, price=price, price_per=per, children_allowed=children
    )


def stay(
    household: Household,
    actor: User,
    unit: Unit,
    parts: list[tuple[Place, dt.date, dt.date | None]],
) -> Stay:
    """A stay written straight to the database (the figures tests need dates in the past)."""
    _counter[0] += 1
    case = Case.objects.create(
        municipality=household.municipality,
        household=household,
        number=f"T-{_counter[0]}",
        channel="meeting",
        status="submitted",
        created_by=actor,
    )
    decision = Decision.objects.create(
        case=case,
        help_kind="temporary_accommodation",
        kind="approval",
        status="issued",
        facts="F.",
        reasoning="G.",
        drafted_by=actor,
        place=str(parts[0][0]),
        period_from=parts[0][1],
        period_to=parts[0][1] + dt.timedelta(days=30),
    )
    persons = household.members.count()
    ended = parts[-1][2]
    s = Stay.objects.create(
        municipality=household.municipality,
        household=household,
        case=case,
        decision=decision,
        lasting_path="municipal_dwelling",
        responsible_unit=unit,
        persons=persons,
        starts_on=parts[0][1],
        planned_end=(ended or parts[-1][1]) + dt.timedelta(days=1),
        ended_on=ended,
        end_reason="lease_signed" if ended else "",
        created_by=actor,
    )
    for place, start, end in parts:
        Segment.objects.create(
            stay=s,
            place=place,
            starts_on=start,
            ends_on=end,
            price_per_night=place.price_per_night(persons),
        )
    return s
