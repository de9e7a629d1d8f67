"""An API world: Rælingen with a household that has a case, an issued approval, an offer and a
lease in force (through the real actions), a vacant and a let dwelling; Lørenskog with its own
dwelling; a client per municipality with every scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from husly.allocation import actions as allocation
from husly.api import actions
from husly.api.models import Scope
from husly.tenancy import actions as tenancy
from tests.allocation.helpers import (
    approve,
    entry_of,
    lease_in_force,
    make_dwelling,
    make_household,
)
from tests.conftest import _user


@pytest.fixture
def api_world(raelingen, lorenskog, sara, geir, arne, routing, eirik, olga) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    vacant = make_dwelling(raelingen, eirik)
    let = make_dwelling(raelingen, eirik)
    household = make_household(raelingen, "Rælingsen")
    decision = approve(sara, geir, household)
    offer = allocation.offer_make(actor=sara, entry=entry_of(household), dwelling=let)
    allocation.offer_accept(actor=sara, offer=offer)
    start = timezone.localdate()
    lease = tenancy.lease_create(
        actor=sara,
        offer=offer,
        data={
            "start_date": start,
            "end_date": tenancy.standard_end_date(start),
            "term_kind": "standard",
            "term_basis": "",
            "monthly_rent": 9800,
            "deposit_kind": "nav_guarantee",
            "deposit_amount": 29_400,
            "handover_on": start,
            "inspection_on": start + dt.timedelta(days=60),
        },
    )
    lease = lease_in_force(sara, lease)
    lorenskog_admin = _user("lars", olga.memberships.first().unit, "administrator")
    other_dwelling = make_dwelling(lorenskog, lorenskog_admin)
    client, token = actions.api_client_register(
        actor=arne, municipality=raelingen, name="Arkivet", scopes=Scope.values
    )
    other_client, other_token = actions.api_client_register(
        actor=lorenskog_admin, municipality=lorenskog, name="Lørenskog arkiv", scopes=Scope.values
    )
    return {
        "vacant": vacant,
        "let": let,
        "household": household,
        "case": decision.case,
        "decision": decision,
        "offer": offer,
        "lease": lease,
        "other_dwelling": other_dwelling,
        "client": client,
        "token": token,
        "other_client": other_client,
        "other_token": other_token,
        "lorenskog_admin": lorenskog_admin,
        "arne": arne,
    }
