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

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext_lazy as _

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


def member_units(user: User, municipality_id: int) -> dict[str, int | None]:
    """For each part, the unit owning it that ``user`` is a member of (the lowest id), or
    ``None``; the key of a part no unit of the municipality owns is left out. Two queries."""
    owners = owners_in(municipality_id)
    mine = set(
        Membership.objects.filter(user=user, unit__municipality_id=municipality_id).values_list(
            "unit_id", flat=True
        )
    )
    return {part: min(owners[part] & mine, default=None) for part in PARTS if owners[part]}


def exact_for(user: User, municipality_id: int, *, sees_people: bool) -> dict[str, bool]:
    """For each owner of dashboard data (:data:`HOUSING_OFFICE` and :data:`PARTS`), whether
    ``user`` sees its figures exactly (ADR 0032): the housing office's data for readers who
    may see those people (``sees_people``: its caseworkers, approvers, allocation members and
    the administrators); a unit's part for the members of a unit that owns it (any role), and,
    where no unit of the municipality owns it, as the housing office's data. Everyone else
    sees small counts suppressed. Two queries."""
    members = member_units(user, municipality_id)
    out = {HOUSING_OFFICE: sees_people}
    for part in PARTS:
        out[part] = members[part] is not None if part in members else sees_people
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


# --------------------------------------------------------------------------------------------
# The lists behind a unit's figures (for its members who may see the people)
# --------------------------------------------------------------------------------------------

UNIT_LISTS: dict[str, tuple[str, Any]] = {
    "stays": (NAV, _("Households in temporary accommodation")),
    "long_stays": (NAV, _("Households in temporary accommodation for more than three months")),
    "responsible": (NAV, _("Stays this unit finds the lasting solution for")),
    "coverages": (NAV, _("Arrears covered by NAV in the period")),
    "deductions": (NAV, _("Leases whose rent this unit pays directly today")),
    "settled": (SETTLEMENT, _("Households settled this year")),
    "expected": (SETTLEMENT, _("Households accepted, still to arrive")),
    "loans_approved": (LOANS, _("Start loans approved")),
    "loans_with_grant": (LOANS, _("Start loans approved with an establishment grant")),
    "loans_refused": (LOANS, _("Start loans refused")),
    "loans_disbursed": (LOANS, _("Start loans paid out")),
    "grants": (LOANS, _("Grants approved on their own")),
    "ending_3": (PROPERTY, _("Leases ending within 3 months with no renewal written")),
    "ending_6": (PROPERTY, _("Leases ending within 6 months with no renewal written")),
    "ending_12": (PROPERTY, _("Leases ending within 12 months with no renewal written")),
}
"""The lists behind a unit's figures, by URL key: (the part, the title). The figures of
dwellings (the stock by kind, vacancy) name no people and have no list here."""


def _open_stays(unit: Unit, today: dt.date) -> QuerySet[Stay]:
    return Stay.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=today),
        municipality_id=unit.municipality_id,
        starts_on__lte=today,
    ).select_related("household", "responsible_unit")


def _stay_rows(stays: QuerySet[Stay]) -> list[figures.DrillRow]:
    return [
        figures.DrillRow(
            s.household_id,
            s.household.name,
            "",
            s.starts_on,
            s.responsible_unit.name if s.responsible_unit else "",
        )
        for s in stays.order_by("starts_on", "pk")
    ]


def _decision_rows(unit: Unit, today: dt.date, **kind: Any) -> list[figures.DrillRow]:
    from husly.cases.models import Decision, DecisionStatus

    decisions = Decision.objects.filter(
        case__municipality_id=unit.municipality_id,
        status=DecisionStatus.ISSUED,
        issued_on__gte=figures.period_start(today),
        issued_on__lte=today,
        **kind,
    ).select_related("case__household")
    return [
        figures.DrillRow(
            d.case.household_id,
            d.case.household.name,
            d.case.number,
            d.issued_on,
            f"{d.amount} kr" if d.amount else "",
        )
        for d in decisions.order_by("issued_on", "pk")
    ]


def _ending_rows(unit: Unit, today: dt.date, months: int) -> list[figures.DrillRow]:
    from husly.rules import deadlines
    from husly.tenancy.models import Lease, LeaseStatus

    leases = Lease.objects.filter(
        municipality_id=unit.municipality_id,
        status=LeaseStatus.ACTIVE,
        end_date__gte=today,
        end_date__lte=deadlines.add_months(today, months),
        renewed_by__isnull=True,
    ).select_related("household", "dwelling__building")
    return [
        figures.DrillRow(
            lease.household_id, lease.household.name, str(lease.dwelling), lease.end_date, ""
        )
        for lease in leases.order_by("end_date", "pk")
    ]


_DECISION_LISTS: dict[str, dict[str, Any]] = {
    "loans_approved": {"help_kind": HelpKind.START_LOAN, "kind": "approval"},
    "loans_with_grant": {
        "help_kind": HelpKind.START_LOAN,
        "kind": "approval",
        "loan_terms__grant_amount__gt": 0,
    },
    "loans_refused": {"help_kind": HelpKind.START_LOAN, "kind": "refusal"},
    "grants": {"help_kind": HelpKind.GRANT, "kind": "approval"},
}


def unit_list_rows(unit: Unit, key: str, today: dt.date) -> list[figures.DrillRow]:  # noqa: PLR0911 (one branch per list)
    """The households behind one of ``unit``'s figures (the same filters as the figures,
    :func:`unit_figures`): a fixed number of queries."""
    from husly.loans.models import Loan
    from husly.settlement.models import CaseStatus, SettlementCase

    first = figures.period_start(today)
    if key == "stays":
        return _stay_rows(_open_stays(unit, today))
    if key == "long_stays":
        long_ago = today - dt.timedelta(days=figures.LONG_STAY_DAYS)
        return _stay_rows(_open_stays(unit, today).filter(starts_on__lte=long_ago))
    if key == "responsible":
        return _stay_rows(_open_stays(unit, today).filter(responsible_unit=unit))
    if key == "coverages":
        coverages = NavCoverage.objects.filter(
            case__municipality_id=unit.municipality_id,
            decided_on__gte=first,
            decided_on__lte=today,
        ).select_related("case__household")
        return [
            figures.DrillRow(
                c.case.household_id, c.case.household.name, "", c.decided_on, f"{c.amount} kr"
            )
            for c in coverages.order_by("decided_on", "pk")
        ]
    if key == "deductions":
        deductions = (
            DirectDeduction.objects.filter(unit=unit, starts_on__lte=today)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
            .select_related("lease__household", "lease__dwelling__building")
        )
        return [
            figures.DrillRow(
                d.lease.household_id, d.lease.household.name, str(d.lease.dwelling), d.starts_on, ""
            )
            for d in deductions.order_by("starts_on", "pk")
        ]
    if key in ("settled", "expected"):
        cases = SettlementCase.objects.filter(municipality_id=unit.municipality_id)
        if key == "settled":
            cases = cases.filter(fact__year=today.year)
        else:
            cases = cases.filter(
                status__in=[CaseStatus.FINDING, CaseStatus.CHOSEN],
                expected_arrival__year=today.year,
            )
        return [
            figures.DrillRow(c.household_id, c.household.name, "", c.expected_arrival, "")
            for c in cases.select_related("household").order_by("expected_arrival", "pk")
        ]
    if key in _DECISION_LISTS:
        return _decision_rows(unit, today, **_DECISION_LISTS[key])
    if key == "loans_disbursed":
        loans = Loan.objects.filter(
            municipality_id=unit.municipality_id, disbursed_on__gte=first, disbursed_on__lte=today
        ).select_related("household")
        return [
            figures.DrillRow(
                loan.household_id,
                loan.household.name,
                loan.number,
                loan.disbursed_on,
                f"{loan.principal} kr",
            )
            for loan in loans.order_by("disbursed_on", "pk")
        ]
    if key.startswith("ending_"):
        return _ending_rows(unit, today, int(key.removeprefix("ending_")))
    raise KeyError(key)
