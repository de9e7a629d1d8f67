"""Who works with landlords, and the reads of the register, scoped to the user's municipalities.

The private-market work belongs to the housing office (caseworkers and approvers of a unit that
handles applications for municipal dwellings, as for the waiting list) and the property unit
(property managers, who hold the head leases). Everyone else gets 404 on every page: landlords
who are private persons are personal data. Leaders see the stored figures only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import cast

from django.db.models import Count, QuerySet, Sum

from husly.allocation.selectors import DWELLING_KINDS
from husly.cases.models import RoutingRule
from husly.housing.models import DwellingStatus, DwellingStatusChange
from husly.landlords.models import (
    Agreement,
    AgreementKind,
    Enquiry,
    FactKind,
    FaultReport,
    KeyEntry,
    Landlord,
    LandlordFact,
    NominationReferral,
    OfferedDwelling,
    SpareKey,
)
from husly.organisation.access import get_or_404, municipality_ids, require_permission
from husly.organisation.models import Membership, Role, User

LANDLORD_ANYWHERE = frozenset({Role.PROPERTY})
LANDLORD_UNIT_ROLES = frozenset({Role.CASEWORKER, Role.APPROVER})
FIGURES_READ = frozenset({Role.LEADER, Role.ADMINISTRATOR, Role.PROPERTY})


def housing_office_units(municipality_id: int) -> QuerySet[RoutingRule, int]:
    return RoutingRule.objects.filter(
        municipality_id=municipality_id, help_kind__in=DWELLING_KINDS
    ).values_list("unit_id", flat=True)


def landlord_municipality_ids(user: User) -> list[int]:
    """Municipalities whose landlords the user works with: property managers, and caseworkers
    or approvers of a unit that handles applications for municipal dwellings."""
    cached: list[int] | None = getattr(user, "_husly_landlord_municipalities", None)
    if cached is not None:
        return cached
    anywhere = set(municipality_ids(user, LANDLORD_ANYWHERE))
    units = Membership.objects.filter(user=user, role__in=LANDLORD_UNIT_ROLES).values_list(
        "unit_id", flat=True
    )
    office = RoutingRule.objects.filter(
        unit_id__in=list(units), help_kind__in=DWELLING_KINDS
    ).values_list("municipality_id", flat=True)
    result = sorted(anywhere | set(office))
    user._husly_landlord_municipalities = result  # type: ignore[attr-defined]
    return result


def require_landlord_role(actor: User | None, municipality_id: int) -> None:
    """The check every landlords action makes first (``PermissionDenied`` otherwise)."""
    require_permission(
        actor,
        municipality_id,
        LANDLORD_ANYWHERE,
        unit_roles=LANDLORD_UNIT_ROLES,
        unit_ids=housing_office_units(municipality_id),
        stacklevel=2,
    )


def works_with_landlords(user: User) -> bool:
    return bool(landlord_municipality_ids(user))


def landlords_for_user(user: User) -> QuerySet[Landlord]:
    return Landlord.objects.filter(
        municipality_id__in=landlord_municipality_ids(user)
    ).select_related("person")


def landlord_get_for_user(user: User, pk: object) -> Landlord:
    return cast(Landlord, get_or_404(landlords_for_user(user), pk))


def enquiries_for_user(user: User) -> QuerySet[Enquiry]:
    return Enquiry.objects.filter(
        municipality_id__in=landlord_municipality_ids(user)
    ).select_related("landlord", "assigned_to")


def enquiry_get_for_user(user: User, pk: object) -> Enquiry:
    return cast(Enquiry, get_or_404(enquiries_for_user(user), pk))


def offered_dwelling_get_for_user(user: User, pk: object) -> OfferedDwelling:
    queryset = OfferedDwelling.objects.filter(
        landlord__municipality_id__in=landlord_municipality_ids(user)
    ).select_related("landlord", "dwelling")
    return cast(OfferedDwelling, get_or_404(queryset, pk))


def agreements_for_user(user: User) -> QuerySet[Agreement]:
    return Agreement.objects.filter(
        municipality_id__in=landlord_municipality_ids(user)
    ).select_related("landlord", "landlord__person", "offered_dwelling", "household")


def agreement_get_for_user(user: User, pk: object) -> Agreement:
    return cast(Agreement, get_or_404(agreements_for_user(user), pk))


def key_get_for_user(user: User, pk: object) -> SpareKey:
    queryset = SpareKey.objects.filter(agreement__in=agreements_for_user(user))
    return cast(SpareKey, get_or_404(queryset.select_related("agreement"), pk))


def fault_get_for_user(user: User, pk: object) -> FaultReport:
    queryset = FaultReport.objects.filter(agreement__in=agreements_for_user(user))
    return cast(FaultReport, get_or_404(queryset.select_related("agreement"), pk))


def key_entries(agreement: Agreement) -> QuerySet[KeyEntry]:
    return KeyEntry.objects.filter(key__agreement=agreement).select_related("key", "recorded_by")


def vacant_days(dwelling_id: int, start: dt.date, end: dt.date) -> int:
    """Days within [start, end) the dwelling stood vacant, from its status history."""
    rows = list(
        DwellingStatusChange.objects.filter(dwelling_id=dwelling_id, valid_from__lt=end)
        .order_by("valid_from", "recorded_at", "pk")
        .values_list("status", "valid_from")
    )
    total = 0
    for index, (status, since) in enumerate(rows):
        if status != DwellingStatus.VACANT:
            continue
        until = rows[index + 1][1] if index + 1 < len(rows) else end
        lo, hi = max(since, start), min(until, end)
        if hi > lo:
            total += (hi - lo).days
    return total


def daily_cost(monthly_rent: int, start: dt.date) -> float:
    """The head-lease rent per day in the month of ``start`` (rent is paid per month)."""
    from husly.rules import deadlines

    days = (deadlines.add_months(start.replace(day=1), 1) - start.replace(day=1)).days
    return monthly_rent / days


@dataclass(frozen=True)
class YearFigures:
    year: int
    agreements: dict[str, int]
    brokered: dict[str, int]
    vacant_days: int
    vacancy_cost: int


def figures(municipality_id: int, years: list[int]) -> list[YearFigures]:
    """The stored facts summed per year: agreements by kind, households brokered by where they
    came from, head-lease rent paid for empty days."""
    out = []
    for year in years:
        facts = LandlordFact.objects.filter(municipality_id=municipality_id, on__year=year)
        agreements = dict(
            facts.filter(kind=FactKind.AGREEMENT)
            .values_list("agreement_kind")
            .annotate(n=Count("pk"))
            .values_list("agreement_kind", "n")
        )
        brokered = dict(
            facts.filter(kind=FactKind.BROKERED)
            .values_list("brokered_from")
            .annotate(n=Count("pk"))
            .values_list("brokered_from", "n")
        )
        vacancy = facts.filter(kind=FactKind.VACANCY_COST).aggregate(
            days=Sum("vacant_days"), cost=Sum("amount")
        )
        out.append(
            YearFigures(
                year=year,
                agreements={kind: agreements.get(kind, 0) for kind in AgreementKind.values},
                brokered=brokered,
                vacant_days=vacancy["days"] or 0,
                vacancy_cost=vacancy["cost"] or 0,
            )
        )
    return out


def my_agreements(user: User) -> QuerySet[Agreement]:
    """Min side: the agreements that concern the resident's households (a brokerage, a deposit
    guarantee), and those the resident has as a landlord."""
    from django.db.models import Q

    from husly.people.models import ADULT_RELATIONS

    number = user.resident.national_id  # type: ignore[attr-defined]
    return (
        Agreement.objects.filter(
            Q(
                household__members__person__national_id=number,
                household__members__relation__in=ADULT_RELATIONS,
            )
            | Q(landlord__person__national_id=number)
        )
        .distinct()
        .select_related("landlord", "offered_dwelling", "consent", "landlord__person")
        .order_by("-start_date", "-pk")
    )


def my_referrals(user: User) -> QuerySet[NominationReferral]:
    """Min side: the flats the resident's household was referred to under nomination
    agreements."""
    from husly.people.models import ADULT_RELATIONS

    number = user.resident.national_id  # type: ignore[attr-defined]
    return (
        NominationReferral.objects.filter(
            household__members__person__national_id=number,
            household__members__relation__in=ADULT_RELATIONS,
        )
        .distinct()
        .select_related("agreement", "agreement__landlord")
        .order_by("-referred_on", "-pk")
    )
