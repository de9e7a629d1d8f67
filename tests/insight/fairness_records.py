"""A small set of records for fairness monitoring, with figures computed by hand."""

from __future__ import annotations

import datetime as dt

from tests.factories import HouseholdFactory, PersonFactory

Q2_2025 = "2025-2"


def _household(raelingen, *, children: bool, protection: bool = False):  # type: ignore[no-untyped-def]
    from husly.people.models import HouseholdMember, Relation

    applicant = PersonFactory(
        municipality=raelingen, residence_permit="protection" if protection else "citizen"
    )
    household = HouseholdFactory(municipality=raelingen, applicant=applicant)
    if children:
        child = PersonFactory(
            municipality=raelingen, national_id="", date_of_birth=dt.date(2015, 3, 1)
        )
        HouseholdMember.objects.create(household=household, person=child, relation=Relation.CHILD)
    return household


def _decision(household, actor, *, approved: bool, issued: dt.date):  # type: ignore[no-untyped-def]
    from husly.cases.models import Case, Decision

    case = Case.objects.create(
        municipality=household.municipality,
        household=household,
        number=f"2025-{household.pk:06d}",
        status="decided",
        channel="meeting",
        received_on=issued - dt.timedelta(days=20),
        created_by=actor,
    )
    return Decision.objects.create(
        case=case,
        help_kind="rental_dwelling",
        kind="approval" if approved else "refusal",
        status="issued",
        facts="Fakta.",
        reasoning="Begrunnelse.",
        drafted_by=actor,
        issued_on=issued,
    )


def seed_records(raelingen, sara) -> None:  # type: ignore[no-untyped-def]
    """Q2 2025: ten families with children (8 approved, 2 refused), three refugee households
    without children (refused); six of the approved families housed after 10, 20, ... 60 days."""
    from husly.allocation.models import WaitingListEntry

    issued = dt.date(2025, 4, 10)
    for i in range(10):
        household = _household(raelingen, children=True)
        decision = _decision(household, sara, approved=i < 8, issued=issued)
        if i < 6:
            WaitingListEntry.objects.create(
                municipality=raelingen,
                household=household,
                decision=decision,
                placed_on=issued,
                persons=2,
                categories=["ordinary"],
                status="housed",
                closed_on=issued + dt.timedelta(days=10 * (i + 1)),
            )
    for _ in range(3):
        _decision(
            _household(raelingen, children=False, protection=True),
            sara,
            approved=False,
            issued=issued,
        )
    # outside the quarter: not counted
    _decision(
        _household(raelingen, children=True), sara, approved=False, issued=dt.date(2025, 7, 1)
    )
