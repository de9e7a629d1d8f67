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
