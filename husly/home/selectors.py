"""Figures for the start page, by role. Leaders get aggregates only, never persons."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.utils import timezone

from husly.audit.freshness import until_changed
from husly.cases.models import DeadlineAlert
from husly.cases.selectors import CASE_WRITE, WorkList, open_alerts_for_user, unit_ids, work_list
from husly.housing.models import Dwelling, DwellingStatus
from husly.organisation.access import (
    HOUSING_READ,
    ORGANISATION_READ,
    PEOPLE_READ,
    municipality_ids,
    roles_by_municipality,
)
from husly.organisation.models import Role, Unit, User
from husly.people.models import Household, Person


@dataclass(frozen=True)
class StartFigures:
    roles: list[str]
    persons: int | None
    households: int | None
    dwellings_by_status: list[tuple[str, int]] | None
    units: int | None
    tasks: WorkList | None = None
    """The user's own work, when they work on cases: what is theirs, what is due, what is new
    for their units (the first few of each, with whole counts)."""
    alerts: list[DeadlineAlert] | None = None
    """Open deadline alerts the daily job raised on the user's units' cases (soonest first)."""


TASKS_SHOWN = 5


def start_page_figures(user: User, *, today: dt.date | None = None) -> StartFigures:
    held: set[str] = set()
    for roles in roles_by_municipality(user).values():
        held |= roles
    people_ids = municipality_ids(user, PEOPLE_READ)
    housing_ids = municipality_ids(user, HOUSING_READ)
    org_ids = municipality_ids(user, ORGANISATION_READ)
    # Whole-register counts (the persons and dwellings of a large municipality) are kept
    # until the records change (husly.audit.freshness).
    counts = until_changed(
        f"home:counts:{people_ids}:{housing_ids}:{org_ids}",
        lambda: _register_counts(people_ids, housing_ids, org_ids),
    )
    by_status = None
    if housing_ids:
        by_status = [
            (str(status.label), counts["dwellings"].get(status.value, 0))
            for status in DwellingStatus
        ]
    works_on_cases = bool(unit_ids(user, CASE_WRITE))
    alerts = None
    if works_on_cases:
        alerts = list(
            open_alerts_for_user(user)
            .select_related("case")
            .only("what", "due", "raised_on", "case__number")  # what the page shows
            .order_by("due", "pk")[:TASKS_SHOWN]
        )
    return StartFigures(
        alerts=alerts,
        roles=[role.label for role in Role if role.value in held],
        persons=counts["persons"],
        households=counts["households"],
        dwellings_by_status=by_status,
        units=counts["units"],
        tasks=work_list(
            user, today=today or timezone.localdate(), limit=TASKS_SHOWN, with_colleagues=False
        )
        if works_on_cases
        else None,
    )


def _register_counts(
    people_ids: list[int], housing_ids: list[int], org_ids: list[int]
) -> dict[str, Any]:
    dwellings: dict[str, int] = {}
    if housing_ids:
        rows = (
            Dwelling.objects.filter(building__municipality_id__in=housing_ids)
            .values("status")
            .annotate(n=Count("pk"))
        )
        dwellings = {row["status"]: row["n"] for row in rows}
    return {
        "persons": Person.objects.filter(municipality_id__in=people_ids).count()
        if people_ids
        else None,
        "households": Household.objects.filter(municipality_id__in=people_ids).count()
        if people_ids
        else None,
        "dwellings": dwellings,
        "units": Unit.objects.filter(municipality_id__in=org_ids).count() if org_ids else None,
    }
