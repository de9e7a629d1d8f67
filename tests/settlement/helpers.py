"""Objects for the settlement tests, made through the real actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from husly.organisation.models import Municipality, Unit, User
from husly.settlement import actions
from husly.settlement.models import SettlementCase, SettlementRequest
from tests.conftest import _user


def refugee_unit(municipality: Municipality) -> Unit:
    unit, _created = Unit.objects.get_or_create(
        municipality=municipality, name="Flyktningtjenesten", defaults={"kind": "refugee_service"}
    )
    return unit


def refugee_caseworker(municipality: Municipality, username: str = "farid") -> User:
    existing = User.objects.filter(username=username).first()
    return existing or _user(username, refugee_unit(municipality), "caseworker")


FAMILY: dict[str, Any] = {
    "imdi_reference": "IMDi-2026-0412",
    "family_name": "Haddad",
    "household_size": 4,
    "ages": "38, 35, 9, 4",
    "needs": "Ingen særlige behov.",
    "preferences": "Nær skole og barnehage; kjenner en familie på Fjerdingby.",
    "resettlement": True,
    "reception_centre": "Hvalstad mottak",
}


def register_request(actor: User, municipality: Municipality, **extra: Any) -> SettlementRequest:
    data = {**FAMILY, "received_on": timezone.localdate() - dt.timedelta(days=40), **extra}
    return actions.settlement_request_register(actor=actor, municipality=municipality, data=data)


def accepted_case(
    actor: User, municipality: Municipality, *, given_name: str = "Omar", **extra: Any
) -> SettlementCase:
    request = register_request(actor, municipality, **extra)
    return actions.settlement_request_accept(
        actor=actor,
        request=request,
        applicant={
            "given_name": given_name,
            "family_name": request.family_name,
            "national_id": "",
            "date_of_birth": dt.date(1988, 3, 1),
        },
        expected_arrival=timezone.localdate(),
    )


def bare_objects(municipality: Municipality) -> dict[str, Any]:
    """A request, an open case, a case with a chosen municipal dwelling, an approved
    self-settlement and a building, written directly (no actions): for the project-wide access
    tables, which call each action inside a savepoint that is rolled back."""
    from husly.housing.models import Building, Dwelling
    from husly.people.models import Household, HouseholdMember, Person
    from husly.settlement.models import SelfSettlement

    farid = refugee_caseworker(municipality, "farid_tabell")
    today = timezone.localdate()

    def request(ref: str, status: str = "received") -> SettlementRequest:
        return SettlementRequest.objects.create(
            municipality=municipality,
            registered_by=farid,
            received_on=today,
            status=status,
            **{**FAMILY, "imdi_reference": ref},
        )

    def case(ref: str, **extra: Any) -> SettlementCase:
        person = Person.objects.create(
            municipality=municipality,
            given_name="Omar",
            family_name="Haddad",
            date_of_birth=dt.date(1988, 3, 1),
        )
        household = Household.objects.create(municipality=municipality, name="Haddad")
        HouseholdMember.objects.create(household=household, person=person, relation="applicant")
        return SettlementCase.objects.create(
            request=request(ref, "accepted"),
            municipality=municipality,
            household=household,
            expected_arrival=today,
            caseworker=farid,
            **extra,
        )

    building = Building.objects.create(
        municipality=municipality,
        name="Bosettingsbygget",
        address="Bosettingsvegen 1",
        postal_code="2008",
        postal_town="Fjerdingby",
    )
    dwelling = Dwelling.objects.create(
        building=building, number="H0101", rooms=3, area_m2=70, monthly_rent=10000
    )
    chosen = case("T-2", status="chosen", dwelling_source="municipal", dwelling=dwelling)
    self_case = case("T-3", status="chosen", dwelling_source="self_settled")
    approval = SelfSettlement.objects.create(
        case=self_case,
        address="Privatvegen 1",
        landlord="Ola",
        monthly_rent=9000,
        lease_months=36,
        standard_ok=True,
        contract_ok=True,
        cost_frame=9500,
        status="approved",
        decided_on=today,
    )
    return {
        "request": request("T-1"),
        "case": case("T-4"),
        "offered": approved_flat(municipality, farid),
        "chosen": chosen,
        "approval": approval,
        "building": building,
        "dwelling": dwelling,
    }


def approved_flat(municipality: Municipality, by: User) -> Any:
    """A company landlord's flat, assessed as suitable, written directly (no actions)."""
    from husly.landlords.models import Landlord, OfferedDwelling

    landlord = Landlord.objects.create(
        municipality=municipality,
        kind="company",
        name="Utleie AS",
        org_number="987654325",  # another valid number than the other tests' landlords
        created_by=by,
    )
    return OfferedDwelling.objects.create(
        landlord=landlord,
        address="Privatvegen 3",
        postal_code="2008",
        postal_town="Fjerdingby",
        rooms=3,
        area_m2=70,
        monthly_rent=10000,
        state="approved",
    )
