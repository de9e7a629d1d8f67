"""Each unit's own part of the dashboard: the figures of the data a unit owns.

Which unit owns which figures (ADR 0031):

- **NAV** (a unit of kind NAV): temporary accommodation (social services act § 27, the stays
  open today, the long ones, the children in them, and the stays this unit finds the lasting
  solution for), arrears NAV has covered in the period (``NavCoverage``), and rent paid by this
  unit straight from a benefit (``DirectDeduction`` with this unit);
- **the refugee service**: settlement this year against the council's number;
- **the start-loan unit** (the unit the routing sends start loans to): start loans
  and grants in the period;
- **the property unit**: the stock by kind, vacancy, the leases ending, and vacancy days by
  cause.

Members of the unit (any role) see its figures exactly: the data has not left the unit. Everyone
else who may open the leaders' dashboard (``DASHBOARD_READ``) sees the same part with small
counts suppressed ("<5"), whatever else they may see: the figures leave the unit that owns them.
Nobody else reaches a unit's part (404). The figures are aggregate counts, so the page writes no
access event.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.http import Http404

from husly.arrears.models import NavCoverage
from husly.cases.models import HelpKind, RoutingRule
from husly.insight import dashboard as figures
from husly.organisation.access import municipalities_for_user
from husly.organisation.models import Membership, Unit, UnitKind, User
from husly.rent.models import DirectDeduction
from husly.temporary.models import Stay

NAV, SETTLEMENT, LOANS, PROPERTY = "nav", "settlement", "loans", "property"
PARTS = (NAV, SETTLEMENT, LOANS, PROPERTY)
HOUSING_OFFICE = "housing_office"
"""The owner of the rest of the dashboard's data: the waiting list, applications, decisions,
offers, the promise, waits, refusals, leases, arrears and evictions; and of a part whose kind
of unit the municipality has not set up in Husly (ADR 0032)."""
LOAN_HELP = (HelpKind.START_LOAN,)
"""The start-loan unit is the unit start loans are routed to (grants follow it where they go
elsewhere; the figures are the municipality's)."""


def parts_of(unit: Unit) -> list[str]:
    """The parts of the dashboard whose data ``unit`` owns, in a fixed order (one query for the
    routing of start loans and grants)."""
    parts = []
    if unit.kind == UnitKind.NAV:
        parts.append(NAV)
    if unit.kind == UnitKind.REFUGEE_SERVICE:
        parts.append(SETTLEMENT)
    if RoutingRule.objects.filter(
        municipality_id=unit.municipality_id, help_kind__in=LOAN_HELP, unit=unit
    ).exists():
        parts.append(LOANS)
    if unit.kind == UnitKind.PROPERTY:
        parts.append(PROPERTY)
    return parts


def is_member(user: User, unit: Unit) -> bool:
    return Membership.objects.filter(user=user, unit=unit).exists()


def unit_for(user: User, pk: int) -> tuple[Unit, bool]:
    """The unit whose part ``user`` opens, and whether they see it exactly (a member of the
    unit). A dashboard reader of the municipality sees it suppressed; anyone else gets 404."""
    unit = Unit.objects.select_related("municipality").filter(pk=pk).first()
    if unit is None:
        raise Http404
    if is_member(user, unit):
        return unit, True
    readers = municipalities_for_user(user, figures.DASHBOARD_READ)
    if readers.filter(pk=unit.municipality_id).exists():
        return unit, False
    raise Http404


def owners_in(municipality_id: int) -> dict[str, set[int]]:
    """The units of the municipality owning each part (the test of :func:`parts_of`, for all
    units in one query)."""
    loans = RoutingRule.objects.filter(
        unit=OuterRef("pk"), municipality_id=municipality_id, help_kind__in=LOAN_HELP
    )
    owners: dict[str, set[int]] = {part: set() for part in PARTS}
    kinds: dict[str, str] = {
        UnitKind.NAV: NAV,
        UnitKind.REFUGEE_SERVICE: SETTLEMENT,
        UnitKind.PROPERTY: PROPERTY,
    }
    rows = (
        Unit.objects.filter(municipality_id=municipality_id)
        .annotate(routes_loans=Exists(loans))
        .values_list("pk", "kind", "routes_loans")
    )
    for pk, kind, routes_loans in rows:
        if kind in kinds:
            owners[kinds[kind]].add(pk)
        if routes_loans:
            owners[LOANS].add(pk)
    return owners


def exact_for(user: User, municipality_id: int, *, sees_people: bool) -> dict[str, bool]:
    """For each owner of dashboard data (:data:`HOUSING_OFFICE` and :data:`PARTS`), whether
    ``user`` sees its figures exactly (ADR 0032): the housing office's data for readers who
    may see those people (``sees_people``: its caseworkers, approvers, allocation members and
    the administrators); a unit's part for the members of a unit that owns it (any role), and,
    where no unit of the municipality owns it, as the housing office's data. Everyone else
    sees small counts suppressed. Two queries."""
    owners = owners_in(municipality_id)
    mine = set(
        Membership.objects.filter(user=user, unit__municipality_id=municipality_id).values_list(
            "unit_id", flat=True
        )
    )
    out = {HOUSING_OFFICE: sees_people}
    for part in PARTS:
        out[part] = bool(owners[part] & mine) if owners[part] else sees_people
    return out


def _owning_parts() -> Q:
    """Units that own a part (the same test as :func:`parts_of`, as one filter)."""
    loans = RoutingRule.objects.filter(unit=OuterRef("pk"), help_kind__in=LOAN_HELP)
    return Q(kind__in=[UnitKind.NAV, UnitKind.REFUGEE_SERVICE, UnitKind.PROPERTY]) | Q(
        Exists(loans)
    )


def my_units(user: User) -> list[Unit]:
    """The units ``user`` is a member of that own a part of the dashboard (one query, kept on
    the user object for the request: the menu asks on every page)."""
    cached: list[Unit] | None = getattr(user, "_husly_unit_parts", None)
    if cached is not None:
        return cached
    units = list(
        Unit.objects.filter(_owning_parts(), memberships__user=user)
        .select_related("municipality")
        .distinct()
        .order_by("name")
    )
    user._husly_unit_parts = units  # type: ignore[attr-defined]
    return units


def units_with_parts(user: User) -> list[Unit]:
    """For a dashboard reader: every unit of their municipality that owns a part."""
    municipality = municipalities_for_user(user, figures.DASHBOARD_READ).first()
    if municipality is None:
        return []
    return list(Unit.objects.filter(_owning_parts(), municipality=municipality).order_by("name"))


def nav_figures(unit: Unit, today: dt.date) -> dict[str, Any]:
    """Temporary stays open today (the municipality's: NAV decides § 27), the stays this unit
    finds the lasting solution for, arrears this unit has covered in the period, and rent it
    pays straight from a benefit today. Five queries."""
    municipality = unit.municipality
    first = figures.period_start(today)
    stays = figures.temporary_figures(municipality, today)
    responsible = Stay.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=today),
        municipality=municipality,
        starts_on__lte=today,
        responsible_unit=unit,
    ).count()
    covered = NavCoverage.objects.filter(
        case__municipality=municipality, decided_on__gte=first, decided_on__lte=today
    ).aggregate(n=Count("pk"), cases=Count("case", distinct=True), amount=Sum("amount"))
    deductions = DirectDeduction.objects.filter(unit=unit, starts_on__lte=today).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )
    return {
        "stays": stays["stays"],
        "long": stays["long"],
        "children": stays["children"],
        "responsible": responsible,
        "coverages": covered["n"],
        "covered_cases": covered["cases"],
        "covered_amount": covered["amount"] or 0,
        "deductions": deductions.count(),
    }


def unit_figures(unit: Unit, today: dt.date) -> dict[str, Any]:
    """The figures of each part ``unit`` owns (only those)."""
    municipality = unit.municipality
    out: dict[str, Any] = {"parts": parts_of(unit), "today": today}
    out["period_start"] = figures.period_start(today)
    if NAV in out["parts"]:
        out[NAV] = nav_figures(unit, today)
    if SETTLEMENT in out["parts"]:
        out[SETTLEMENT] = figures.settlement_figures(municipality, today)
    if LOANS in out["parts"]:
        out[LOANS] = figures.loan_figures(municipality, today)
    if PROPERTY in out["parts"]:
        out[PROPERTY] = {
            "stock": figures.stock_figures(municipality, today),
            "vacancy": figures.vacancy_figures(municipality, today),
        }
    return out
