"""Reads of settlement decisions, requests and cases, scoped to the user's municipalities;
the dwelling proposals with their criteria; the year's progress and the leaders' figures.

Who: caseworkers and approvers of a refugee service unit decide (requests, cases, dwellings,
arrival, the draft lease); leaders of the municipality see the progress page (figures only, no
persons). The property unit sends the lease for signing on the lease's own page, as for every
lease. Everyone else gets 404.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from dataclasses import dataclass
from typing import Any, cast

from django.db.models import Count, Q, QuerySet

from husly.allocation.actions import current_policy
from husly.allocation.engine import DEFAULT_MATCHING, vacant_dwellings
from husly.housing.models import Dwelling
from husly.landlords.models import OfferedDwelling
from husly.matching.policy import MatchingPolicy
from husly.organisation.access import get_or_404, municipality_ids, require_permission
from husly.organisation.models import Membership, Municipality, Role, Unit, UnitKind, User
from husly.rules.params import default_tree
from husly.settlement import criteria
from husly.settlement.models import (
    CaseStatus,
    DwellingSource,
    RequestStatus,
    SelfSettlement,
    SettlementCase,
    SettlementDecision,
    SettlementFact,
    SettlementRequest,
)

SETTLEMENT_ROLES = frozenset({Role.CASEWORKER, Role.APPROVER})
"""Held in a refugee service unit: these decide on requests, dwellings and arrivals."""
PROGRESS_READ = frozenset({Role.LEADER})
"""Anywhere in the municipality: the year's progress and the figures, no persons."""


def refugee_unit_ids(municipality_id: int) -> list[int]:
    return list(
        Unit.objects.filter(
            municipality_id=municipality_id, kind=UnitKind.REFUGEE_SERVICE
        ).values_list("pk", flat=True)
    )


def settlement_municipality_ids(user: User) -> list[int]:
    """Municipalities where the user is a caseworker or approver of the refugee service."""
    cached: list[int] | None = getattr(user, "_husly_settlement_municipalities", None)
    if cached is None:
        cached = (
            sorted(
                set(
                    Membership.objects.filter(
                        user=user,
                        role__in=SETTLEMENT_ROLES,
                        unit__kind=UnitKind.REFUGEE_SERVICE,
                    ).values_list("unit__municipality_id", flat=True)
                )
            )
            if user.is_authenticated
            else []
        )
        user._husly_settlement_municipalities = cached  # type: ignore[attr-defined]
    return cached


def progress_municipality_ids(user: User) -> list[int]:
    return sorted(
        set(settlement_municipality_ids(user)) | set(municipality_ids(user, PROGRESS_READ))
    )


def require_settlement_role(
    actor: User | None, municipality_id: int, *, also: frozenset[str] = frozenset()
) -> None:
    """The check every settlement action makes first: caseworkers and approvers of a refugee
    service unit of the municipality; roles in ``also`` anywhere in it."""
    require_permission(
        actor,
        municipality_id,
        also,
        unit_roles=SETTLEMENT_ROLES,
        unit_ids=refugee_unit_ids(municipality_id),
        stacklevel=2,
    )


def decisions_for_user(user: User) -> QuerySet[SettlementDecision]:
    return SettlementDecision.objects.filter(municipality_id__in=progress_municipality_ids(user))


def requests_for_user(user: User) -> QuerySet[SettlementRequest]:
    return SettlementRequest.objects.filter(
        municipality_id__in=settlement_municipality_ids(user)
    ).select_related("municipality")


def request_get_for_user(user: User, pk: object) -> SettlementRequest:
    return cast(SettlementRequest, get_or_404(requests_for_user(user), pk))


def cases_for_user(user: User) -> QuerySet[SettlementCase]:
    return SettlementCase.objects.filter(
        municipality_id__in=settlement_municipality_ids(user)
    ).select_related("request", "household", "dwelling", "dwelling__building", "lease")


def case_get_for_user(user: User, pk: object) -> SettlementCase:
    return cast(SettlementCase, get_or_404(cases_for_user(user), pk))


def households_settled(user: User, units: list[int]) -> Q:
    """``Q`` on ``Household`` (registered with ``husly.people.hooks``): the households of the
    settlement cases of the user's refugee service units' municipalities."""
    refugee = Unit.objects.filter(pk__in=units, kind=UnitKind.REFUGEE_SERVICE).values(
        "municipality_id"
    )
    return Q(
        pk__in=SettlementCase.objects.filter(municipality_id__in=refugee).values("household_id")
    )


# --- the cost frame and the dwelling criteria ----------------------------------------------------


@dataclass(frozen=True)
class CostFrame:
    amount: int | None
    source: str
    valid_from: dt.date | None


def cost_frame(municipality: Municipality, adults: int, children: int, on: dt.date) -> CostFrame:
    """The highest rent for the household from the municipality's dated parameter
    ``municipal.<number>.settlement.rent_cost_frame`` (kristiansund L1194–1199); none when the
    municipality has not set one."""
    path = f"municipal.{municipality.number}.settlement.rent_cost_frame"
    tree = default_tree()
    if path not in tree:
        return CostFrame(None, "", None)
    value = tree.at(path, on)
    rates = value.as_number_map("NOK/month")
    base = rates["single"] if adults <= 1 else rates["couple"]
    amount = int(base + rates["per_child"] * children)
    source = "; ".join(r.title for r in value.references)
    return CostFrame(amount, source, value.valid_from)


def _number(municipality: Municipality, name: str, on: dt.date, default: float) -> float:
    path = f"municipal.{municipality.number}.settlement.{name}"
    tree = default_tree()
    if path not in tree:
        return default
    return tree.at(path, on).as_number()


def minimum_lease_months(municipality: Municipality, on: dt.date) -> int:
    return int(_number(municipality, "minimum_lease_months", on, 36))


def max_refugee_share(municipality: Municipality, on: dt.date) -> float:
    return _number(municipality, "max_refugee_share_building", on, 0.25)


def matching_policy(municipality: Municipality) -> MatchingPolicy:
    policy = current_policy(municipality)
    return MatchingPolicy.from_mapping(policy.matching if policy else DEFAULT_MATCHING)


def _household_facts(case: SettlementCase) -> criteria.Household:
    request = case.request
    return criteria.Household(persons=request.household_size, children=request.children)


def case_cost_frame(case: SettlementCase, on: dt.date) -> CostFrame:
    request = case.request
    adults = max(request.household_size - request.children, 1)
    return cost_frame(case.municipality, adults, request.children, on)


def _settled_households() -> QuerySet[SettlementCase]:
    """Arrived settlement cases whose household still holds the lease of the dwelling."""
    from husly.tenancy.models import LeaseStatus

    return SettlementCase.objects.filter(
        status=CaseStatus.ARRIVED, lease__status=LeaseStatus.ACTIVE
    )


@dataclass(frozen=True)
class Proposal:
    dwelling: Dwelling
    criteria: dict[str, Any]


def _area_counts(
    municipality: Municipality, districts: set[str]
) -> tuple[Counter[str], Counter[str]]:
    """Municipal tenancies and settled refugee households per district (the spread in the
    area, kristiansund 2.3)."""
    from husly.housing.models import Building
    from husly.tenancy.models import LeaseStatus

    active = Q(dwellings__leases__status=LeaseStatus.ACTIVE)
    settled = _settled_households().filter(dwelling__building__municipality=municipality)
    refugee_area = Counter(
        settled.filter(dwelling__building__district__in=districts).values_list(
            "dwelling__building__district", flat=True
        )
    )
    area_municipal = Counter(
        Building.objects.filter(municipality=municipality, district__in=districts)
        .filter(active)
        .values_list("district", flat=True)
    )
    return area_municipal, refugee_area


def _limits(case: SettlementCase, on: dt.date) -> criteria.Limits:
    municipality = case.municipality
    return criteria.Limits(
        matching=matching_policy(municipality),
        cost_frame=case_cost_frame(case, on).amount,
        max_refugee_share_building=max_refugee_share(municipality, on),
    )


def proposals(case: SettlementCase, on: dt.date, limit: int = 12) -> list[Proposal]:
    """Vacant dwellings of the municipal register, owned or head-leased (no live offer, no
    lease), with the criteria, those breaking no limit first. Private dwellings landlords offer
    are proposed by ``private_proposals``."""
    from husly.tenancy.models import LeaseStatus

    municipality = case.municipality
    taken = SettlementCase.objects.filter(
        status=CaseStatus.CHOSEN, dwelling__isnull=False
    ).values_list("dwelling_id", flat=True)
    vacant = [d for d in vacant_dwellings(municipality) if d.pk not in set(taken)]
    if not vacant:
        return []
    buildings = {d.building_id for d in vacant}
    active = Q(dwellings__leases__status=LeaseStatus.ACTIVE)
    from husly.housing.models import Building

    per_building = {
        b.pk: b
        for b in Building.objects.filter(pk__in=buildings)
        .annotate(
            municipal=Count("dwellings__leases", filter=active),
            heavy=Count(
                "dwellings__leases", filter=active & Q(dwellings__leases__heavy_needs=True)
            ),
        )
        .select_related("surroundings")
    }
    settled = _settled_households().filter(dwelling__building__municipality=municipality)
    refugee_building = Counter(settled.values_list("dwelling__building_id", flat=True))
    area_municipal, refugee_area = _area_counts(municipality, {d.building.district for d in vacant})
    rows = []
    for d in vacant:
        b = per_building[d.building_id]
        around = getattr(b, "surroundings", None)
        rows.append(
            {
                "dwelling_id": d.pk,
                "rooms": d.rooms + 1,
                "rent": d.monthly_rent,
                "building_homes": (around.homes_in_building or 0) if around else 0,
                "building_municipal": b.municipal,
                "building_refugee": refugee_building[d.building_id],
                "building_heavy_needs": b.heavy,
                "area_municipal": area_municipal[b.district],
                "area_refugee": refugee_area[b.district],
                "school_m": around.school_m if around else None,
                "kindergarten_m": around.kindergarten_m if around else None,
                "centre_m": around.centre_m if around else None,
            }
        )
    assessed = criteria.assess(
        _household_facts(case), criteria.Candidates.from_rows(rows), _limits(case, on)
    )
    by_id = {d.pk: d for d in vacant}
    return [Proposal(by_id[row["dwelling_id"]], row) for row in assessed[:limit]]


@dataclass(frozen=True)
class PrivateProposal:
    offered: OfferedDwelling
    criteria: dict[str, Any]


def private_proposals(case: SettlementCase, on: dt.date, limit: int = 12) -> list[PrivateProposal]:
    """Private dwellings landlords offer, assessed as suitable in the landlords register, not
    under an agreement and not chosen for another settlement case, from landlords in the
    register found honest, with the same criteria as municipal dwellings: rooms against the
    occupancy norm, rent against the cost frame, the spread in the area. The building's own
    figures and distances are not known for a private dwelling, and the page says so."""
    from husly.landlords.models import OfferState

    municipality = case.municipality
    taken = SettlementCase.objects.filter(
        status=CaseStatus.CHOSEN, private_dwelling__isnull=False
    ).exclude(pk=case.pk)
    offered = list(
        OfferedDwelling.objects.filter(
            landlord__municipality=municipality,
            landlord__active=True,
            landlord__dishonest=False,
            state=OfferState.APPROVED,
        )
        .exclude(pk__in=taken.values("private_dwelling_id"))
        .select_related("landlord")
        .order_by("pk")
    )
    if not offered:
        return []
    area_municipal, refugee_area = _area_counts(municipality, {o.district for o in offered})
    rows = [
        {
            "dwelling_id": o.pk,
            "rooms": o.rooms + 1,
            "rent": o.monthly_rent,
            "area_municipal": area_municipal[o.district] if o.district else 0,
            "area_refugee": refugee_area[o.district] if o.district else 0,
        }
        for o in offered
    ]
    assessed = criteria.assess(
        _household_facts(case), criteria.Candidates.from_rows(rows), _limits(case, on)
    )
    by_id = {o.pk: o for o in offered}
    return [PrivateProposal(by_id[row["dwelling_id"]], row) for row in assessed[:limit]]


def private_proposal_for(
    case: SettlementCase, offered_id: int, on: dt.date
) -> PrivateProposal | None:
    for proposal in private_proposals(case, on, limit=10_000):
        if proposal.offered.pk == offered_id:
            return proposal
    return None


def proposal_for(case: SettlementCase, dwelling_id: int, on: dt.date) -> Proposal | None:
    for proposal in proposals(case, on, limit=10_000):
        if proposal.dwelling.pk == dwelling_id:
            return proposal
    return None


# --- progress and figures --------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    municipality: Municipality
    year: int
    decision: SettlementDecision | None
    settled_persons: int
    settled_households: int
    expected_persons: int
    requests_open: int
    median_days: float | None
    by_source: dict[str, int]
    shares: list[tuple[str, str, int, float]]
    """(source code, label, households, share) per kind of dwelling."""

    @property
    def remaining(self) -> int | None:
        if self.decision is None:
            return None
        return max(self.decision.total - self.settled_persons, 0)


def progress(municipality: Municipality, year: int) -> Progress:
    """The year's settled persons against the council's decision (from the stored facts), the
    accepted households still to arrive, open requests, days from request to arrival and the
    share settled in municipal, private and self-found dwellings."""
    decision = SettlementDecision.objects.filter(municipality=municipality, year=year).first()
    facts = list(SettlementFact.objects.filter(municipality=municipality, year=year))
    expected = SettlementCase.objects.filter(
        municipality=municipality,
        status__in=[CaseStatus.FINDING, CaseStatus.CHOSEN],
        expected_arrival__year=year,
    ).values_list("request__household_size", flat=True)
    by_source = Counter(f.dwelling_source for f in facts)
    total = sum(by_source.values())
    shares = [
        (
            str(code),
            str(label),
            by_source.get(code, 0),
            (by_source.get(code, 0) / total) if total else 0.0,
        )
        for code, label in DwellingSource.choices
    ]
    return Progress(
        municipality=municipality,
        year=year,
        decision=decision,
        settled_persons=sum(f.persons for f in facts),
        settled_households=len(facts),
        expected_persons=sum(expected),
        requests_open=SettlementRequest.objects.filter(
            municipality=municipality, status=RequestStatus.RECEIVED
        ).count(),
        median_days=statistics.median([f.days_request_to_arrival for f in facts])
        if facts
        else None,
        by_source=dict(by_source),
        shares=shares,
    )


def years_of(municipality: Municipality) -> list[dict[str, Any]]:
    """Settled per year against the decision, every year with a decision or an arrival."""
    decisions = {d.year: d for d in SettlementDecision.objects.filter(municipality=municipality)}
    settled: dict[int, int] = {}
    for year, persons in SettlementFact.objects.filter(municipality=municipality).values_list(
        "year", "persons"
    ):
        settled[year] = settled.get(year, 0) + persons
    return [
        {"year": year, "decision": decisions.get(year), "settled": settled.get(year, 0)}
        for year in sorted(set(decisions) | set(settled), reverse=True)
    ]


def my_settlement_cases(user: User) -> QuerySet[SettlementCase]:
    """A resident's settlement cases: households where they are an adult member."""
    from husly.people.models import ADULT_RELATIONS

    return (
        SettlementCase.objects.filter(
            household__members__person__national_id=user.resident.national_id,
            household__members__relation__in=list(ADULT_RELATIONS),
        )
        .distinct()
        .select_related("municipality", "dwelling", "dwelling__building")
    )


def my_self_settlements(user: User) -> QuerySet[SelfSettlement]:
    """The self-settlement decisions of a resident's settlement cases (their letters)."""
    return SelfSettlement.objects.filter(case__in=my_settlement_cases(user)).exclude(letter="")


def my_self_settlement(user: User, pk: object) -> SelfSettlement:
    return cast(SelfSettlement, get_or_404(my_self_settlements(user), pk))


def settlement_menu(user: User) -> tuple[str, Any] | None:
    """The menu item: the settlement pages for the refugee service, the progress for leaders."""
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _

    if settlement_municipality_ids(user):
        return reverse("settlement:overview"), _("Settlement")
    if municipality_ids(user, PROGRESS_READ):
        return reverse("settlement:progress"), _("Settlement")
    return None
