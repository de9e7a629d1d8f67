"""Figures for leaders, read from the records set-based: a fixed number of queries whatever
the number of rows, then one vectorised pass (``husly.insight.kostra``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db.models import Exists, OuterRef, Q, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from husly.cases.models import (
    WAITING_LIST_HELP,
    Case,
    CaseStatus,
    CloseReason,
    Decision,
    DecisionKind,
    DecisionStatus,
)
from husly.housing.models import Dwelling, DwellingStatus, DwellingStatusChange, Ownership
from husly.insight import kostra
from husly.insight.kostra_figures import BY_KEY, FIGURES, NO_INHABITANTS, Figure
from husly.insight.models import KostraYear
from husly.organisation.access import has_role
from husly.organisation.models import Municipality, Role, User
from husly.people.models import Household, HouseholdMember
from husly.rules.deadlines import add_years
from husly.rules.params import default_tree
from husly.settlement.models import SettlementCase
from husly.temporary.models import NOT_KOSTRA, Provider, Segment
from husly.tenancy.models import Lease, LeaseStatus

INSIGHT_READ = frozenset({Role.LEADER, Role.APPROVER, Role.CASEWORKER})
"""Aggregates without names: the leader, and NAV's caseworkers and approvers."""

INDICATORS = {
    "households": "Husstander i midlertidige botilbud, i alt",
    "households_with_children": "Husstander med barn i midlertidige botilbud",
    "share_with_children_over_3_months": (
        "Andel husstander med barn i midlertidige botilbud i mer enn 3 mnd"
    ),
    "share_14_days_or_less": "Husstander i midlertidige botilbud i 14 eller færre dager (andel)",
    "households_night_shelter": "Husstander i natthjem",
}
"""SSB's names of the indicators (spec/law-and-parameters.md § 8.1)."""


def _arrays(municipality: Municipality, year: int) -> tuple[kostra.Segments, kostra.Children]:
    y0, y1 = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    overlapping = Segment.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gt=y0),
        stay__municipality=municipality,
        starts_on__lt=y1,
    )
    rows = list(
        overlapping.values_list(
            "stay_id",
            "stay__household_id",
            "place__provider_id",
            "place__provider__kind",
            "starts_on",
            "ends_on",
            "price_per_night",
        )
    )
    cols = list(zip(*rows, strict=True)) if rows else [()] * 7
    segments = kostra.Segments(
        stay=np.array(cols[0], dtype=np.int64),
        household=np.array(cols[1], dtype=np.int64),
        provider=np.array(cols[2], dtype=np.int64),
        night_shelter=np.isin(np.array(cols[3], dtype=object), list(NOT_KOSTRA)).astype(bool),
        starts=np.array(cols[4], dtype="datetime64[D]"),
        ends=np.array(
            [d if d is not None else np.datetime64("NaT") for d in cols[5]], dtype="datetime64[D]"
        ),
        price_per_night=np.array(cols[6], dtype=np.int64),
    )
    members = list(
        HouseholdMember.objects.filter(
            household_id__in=overlapping.values("stay__household_id"),
            person__date_of_birth__gt=add_years(y0, -19),
            person__date_of_birth__lt=y1,
        ).values_list("household_id", "person__date_of_birth")
    )
    children = kostra.Children(
        household=np.array([m[0] for m in members], dtype=np.int64),
        born=np.array([m[1] for m in members], dtype="datetime64[D]"),
    )
    return segments, children


def kostra_temporary(
    municipality: Municipality, year: int, today: dt.date | None = None
) -> dict[str, Any]:
    """The KOSTRA indicators on temporary accommodation for one municipality and year, with
    cost per night and per stay by provider. Three queries, whatever the number of stays."""
    figures = _temporary(municipality, year, today)
    figures.pop("members")
    return figures


def _temporary(
    municipality: Municipality, year: int, today: dt.date | None = None
) -> dict[str, Any]:
    segments, children = _arrays(municipality, year)
    figures = kostra.temporary_accommodation(
        year, segments, children, today or timezone.localdate()
    )
    names = dict(Provider.objects.filter(municipality=municipality).values_list("pk", "name"))
    kinds = dict(Provider.objects.filter(municipality=municipality).values_list("pk", "kind"))
    for row in figures["providers"]:
        row["name"] = names.get(row["provider"], "")
        row["kind"] = kinds.get(row["provider"], "")
    figures["providers"].sort(key=lambda r: r["name"])
    return {
        "municipality": municipality.number,
        "municipality_name": municipality.name,
        **figures,
        "indicators": INDICATORS,
    }


# --- Skjema 13 and the indicators in spec/law-and-parameters.md § 8 ---

PEOPLE_BEHIND_FIGURES = frozenset({Role.CASEWORKER, Role.APPROVER})
"""Who may open the households behind a figure (they read people anyway); a leader sees
aggregates only."""

REFUSALS = (DecisionKind.REFUSAL, DecisionKind.SWAP_REFUSAL, DecisionKind.RENEWAL_REFUSAL)
SWAPS = (DecisionKind.SWAP, DecisionKind.SWAP_REFUSAL)
IN_FORCE = (LeaseStatus.ACTIVE, LeaseStatus.ENDED)


def _dates(values: Any) -> npt.NDArray[np.datetime64]:
    return np.array(
        [v if v is not None else np.datetime64("NaT") for v in values], dtype="datetime64[D]"
    )


def _columns(rows: list[tuple[Any, ...]], width: int) -> list[tuple[Any, ...]]:
    return list(zip(*rows, strict=True)) if rows else [()] * width


def _leases(municipality: Municipality, year: int) -> kostra.Leases:
    """Leases in force at some time up to 31.12 that had not ended before the year before."""
    rows = list(
        Lease.objects.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=dt.date(year - 1, 1, 1)),
            municipality=municipality,
            status__in=IN_FORCE,
            start_date__lte=dt.date(year, 12, 31),
        ).values_list("household_id", "start_date", "ended_on", "renews_id")
    )
    cols = _columns(rows, 4)
    return kostra.Leases(
        household=np.array(cols[0], dtype=np.int64),
        starts=np.array(cols[1], dtype="datetime64[D]"),
        ended=_dates(cols[2]),
        renewal=np.array([r is not None for r in cols[3]], dtype=bool),
    )


def _applications(
    municipality: Municipality, year: int
) -> tuple[kostra.Applications, kostra.Decisions]:
    cases = (
        Case.objects.filter(
            municipality=municipality,
            received_on__gte=dt.date(year, 1, 1),
            received_on__lte=dt.date(year, 12, 31),
            routings__help_kind__in=WAITING_LIST_HELP,
        )
        .exclude(status=CaseStatus.DRAFT)
        .exclude(close_reason=CloseReason.DUPLICATE)
    )
    rows = list(cases.values_list("pk", "household_id", "received_on", "renewal__id").distinct())
    cols = _columns(rows, 4)
    apps = kostra.Applications(
        case=np.array(cols[0], dtype=np.int64),
        household=np.array(cols[1], dtype=np.int64),
        received=np.array(cols[2], dtype="datetime64[D]"),
        renewal=np.array([r is not None for r in cols[3]], dtype=bool),
    )
    decided = list(
        Decision.objects.filter(
            case__in=cases.values("pk"),
            help_kind__in=WAITING_LIST_HELP,
            status=DecisionStatus.ISSUED,
            issued_on__isnull=False,
        ).values_list("case_id", "pk", "issued_on", "kind")
    )
    dcols = _columns(decided, 4)
    kinds = np.array(dcols[3], dtype=object)
    decisions = kostra.Decisions(
        case=np.array(dcols[0], dtype=np.int64),
        order=np.array(dcols[1], dtype=np.int64),
        issued=np.array(dcols[2], dtype="datetime64[D]"),
        refusal=np.isin(kinds, list(REFUSALS)).astype(bool),
        swap=np.isin(kinds, list(SWAPS)).astype(bool),
    )
    return apps, decisions


def _settled(municipality: Municipality) -> kostra.Settled:
    rows = list(
        SettlementCase.objects.filter(
            municipality=municipality, arrived_on__isnull=False
        ).values_list("household_id", "arrived_on")
    )
    cols = _columns(rows, 2)
    return kostra.Settled(
        household=np.array(cols[0], dtype=np.int64),
        arrived=np.array(cols[1], dtype="datetime64[D]"),
    )


def _stock(municipality: Municipality, year: int) -> kostra.Stock:
    """The dwellings in the stock on 31.12, by their status history, in one query."""
    cutoff = dt.date(year, 12, 31)
    last_status = DwellingStatusChange.objects.filter(
        dwelling=OuterRef("pk"), valid_from__lte=cutoff
    ).order_by("-valid_from", "-recorded_at", "-pk")
    let = Lease.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=cutoff),
        dwelling=OuterRef("pk"),
        status__in=IN_FORCE,
        start_date__lte=cutoff,
    )
    rows = list(
        Dwelling.objects.filter(building__municipality=municipality)
        .annotate(
            status_then=Subquery(last_status.values("status")[:1]),
            has_history=Exists(DwellingStatusChange.objects.filter(dwelling=OuterRef("pk"))),
            let_then=Exists(let),
        )
        .values_list(
            "pk",
            "ownership",
            "wheelchair_accessible",
            "status_then",
            "has_history",
            "status",
            "let_then",
        )
    )
    kept = [
        r
        for r in rows
        if (r[3] is not None and r[3] != DwellingStatus.SOLD)
        or (not r[4] and r[5] != DwellingStatus.SOLD)
    ]
    cols = _columns(kept, 7)
    return kostra.Stock(
        dwelling=np.array(cols[0], dtype=np.int64),
        owned=np.array([o == Ownership.OWNED for o in cols[1]], dtype=bool),
        wheelchair=np.array(cols[2], dtype=bool),
        let=np.array(cols[6], dtype=bool),
    )


def kostra_year(
    municipality: Municipality, year: int, today: dt.date | None = None
) -> tuple[dict[str, Any], dict[str, npt.NDArray[np.int64]]]:
    """Every KOSTRA figure Husly computes for a year, ``{key: value}`` (``None`` where the
    records cannot give it), and the households behind each countable figure. A fixed number
    of queries whatever the number of rows."""
    today = today or timezone.localdate()
    on = min(dt.date(year, 12, 31), today)
    grant_years = int(
        default_tree().at("national.kostra.integration_grant_years", on).as_number("years")
    )
    leases = _leases(municipality, year)
    apps, decisions = _applications(municipality, year)
    applied = kostra.applications(year, apps, decisions, leases)
    tenants = kostra.new_tenants(year, leases, _settled(municipality), grant_years, today)
    temporary = _temporary(municipality, year, today)
    inhabitants = municipality.inhabitants
    members = {**applied.pop("members"), **tenants.pop("members"), **temporary.pop("members")}
    values: dict[str, Any] = {
        **applied,
        **tenants,
        **kostra.stock(_stock(municipality, year), inhabitants),
        "applications_per_1000": kostra.per_thousand(applied["applicants"], inhabitants),
        "new_applications_per_1000": kostra.per_thousand(applied["new_applicants"], inhabitants),
        **{f.key: temporary[f.key] for f in FIGURES if f.group == "temporary"},
    }
    for figure in FIGURES:
        if figure.missing is not None:
            values[figure.key] = None
    return values, members


def _reason(figure: Figure, value: Any, inhabitants: int | None) -> str | None:
    if figure.missing is not None:
        return str(figure.missing)
    if value is None and figure.unit == "per_1000" and not inhabitants:
        return str(NO_INHABITANTS)
    if value is None:
        return str(_("Not computed: nothing to divide by (no households in the denominator)."))
    return None


def kostra_report(
    municipality: Municipality, year: int, today: dt.date | None = None
) -> dict[str, Any]:
    """The year's figures beside last year's, each with SSB's name, how it was counted and,
    for a missing one, why: the JSON of ``manage.py kostra`` and the page."""
    today = today or timezone.localdate()
    current, _members = kostra_year(municipality, year, today)
    previous, _previous_members = kostra_year(municipality, year - 1, today)
    inhabitants = municipality.inhabitants
    figures = [
        {
            "key": f.key,
            "name": f.name,
            "group": f.group,
            "unit": f.unit,
            "value": current[f.key],
            "previous": previous[f.key],
            "counted": str(f.counted),
            "reason": _reason(f, current[f.key], inhabitants),
        }
        for f in FIGURES
    ]
    return {
        "municipality": municipality.number,
        "municipality_name": municipality.name,
        "year": year,
        "cut_off": dt.date(year, 12, 31).isoformat(),
        "computed_on": today.isoformat(),
        "inhabitants": inhabitants,
        "figures": figures,
        "temporary_accommodation": kostra_temporary(municipality, year, today),
    }


def households_behind(
    user: User, municipality: Municipality, year: int, key: str, today: dt.date | None = None
) -> list[Household]:
    """The households behind one figure, for a reader who may see people; anyone else, an
    unknown figure or one that is not countable gets 404."""
    figure = BY_KEY.get(key)
    if figure is None or not figure.drill:
        raise Http404
    if not has_role(user, municipality.pk, PEOPLE_BEHIND_FIGURES):
        raise Http404
    _values, members = kostra_year(municipality, year, today)
    ids = [int(h) for h in members.get(key, [])]
    return list(
        Household.objects.filter(pk__in=ids, municipality=municipality).prefetch_related(
            "members__person"
        )
    )


def filed_kostra_years(municipality: Municipality) -> list[KostraYear]:
    """The years the periodic job ``kostra_year`` (or a leader) filed for the municipality,
    newest first, with the figures as they stood when filed. Aggregates: the KOSTRA page's
    readers (``INSIGHT_READ`` of the municipality) see them."""
    return list(KostraYear.objects.filter(municipality=municipality).order_by("-year"))
