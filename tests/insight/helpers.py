"""Small builders for the dashboard tests: cases, decisions, waiting-list entries, offers and
leases written straight to the database with the dates a test needs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from husly.allocation.models import Offer, WaitingListEntry
from husly.cases.models import Application, Case, Decision
from husly.people.models import HouseholdMember
from husly.tenancy.models import Lease
from tests.factories import HouseholdFactory, PersonFactory

_counter = iter(range(1, 10_000))


def _case(municipality: Any, household: Any, sara: Any, received: dt.date | None) -> Case:
    case = Case.objects.create(
        municipality=municipality,
        household=household,
        number=f"T-{next(_counter)}",
        channel="meeting",
        status="decided",
        received_on=received,
        created_by=sara,
    )
    Application.objects.create(case=case)
    return case


def _decision(case: Case, sara: Any, kind: str, issued: dt.date, **extra: Any) -> Decision:
    return Decision.objects.create(
        case=case,
        help_kind=extra.pop("help_kind", "rental_dwelling"),
        kind=kind,
        status="issued",
        facts="Fakta.",
        reasoning="Grunn.",
        drafted_by=sara,
        issued_on=issued,
        **extra,
    )


def _household(municipality: Any, name: str, children: int = 0) -> Any:
    household = HouseholdFactory(municipality=municipality, name=name)
    for _ in range(children):
        HouseholdMember.objects.create(
            household=household,
            relation="child",
            person=PersonFactory(municipality=municipality),
        )
    return household


def _entry(
    municipality: Any,
    sara: Any,
    name: str,
    placed: dt.date,
    *,
    persons: int = 1,
    children: int = 0,
    urgency: int = 0,
    status: str = "waiting",
    closed: dt.date | None = None,
) -> WaitingListEntry:
    household = _household(municipality, name, children)
    case = _case(municipality, household, sara, placed - dt.timedelta(days=30))
    decision = _decision(case, sara, "approval", placed)
    return WaitingListEntry.objects.create(
        municipality=municipality,
        household=household,
        decision=decision,
        placed_on=placed,
        persons=persons,
        children=children,
        urgency=urgency,
        status=status,
        closed_on=closed,
        categories=["ordinary"],
    )


def _offer(entry: WaitingListEntry, dwelling: Any, made: dt.date, status: str, sara: Any) -> None:
    Offer.objects.create(
        entry=entry, dwelling=dwelling, made_on=made, answer_due=made, status=status, made_by=sara
    )


def _lease(municipality: Any, dwelling: Any, household: Any, sara: Any, **kw: Any) -> Lease:
    return Lease.objects.create(
        municipality=municipality,
        dwelling=dwelling,
        household=household,
        monthly_rent=9000,
        created_by=sara,
        **kw,
    )
