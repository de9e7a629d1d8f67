"""Reads of temporary accommodation, scoped to the user's access.

NAV's caseworkers and approvers decide and read stays (persons shown are logged); the leader
sees the flags and the figures without names; everyone else gets 404. Providers and places
hold no personal data: caseworkers, approvers and leaders read them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import cast

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from husly.organisation.access import get_or_404, municipality_ids, require_permission
from husly.organisation.models import Role, User
from husly.people.models import Household, HouseholdMember
from husly.people.selectors import log_reads
from husly.rules.params import default_tree
from husly.temporary.flags import StayFlags, stay_flags
from husly.temporary.models import (
    HOMELESS,
    LEAVING,
    HousingSituation,
    Place,
    Provider,
    QualityAgreement,
    Segment,
    Stay,
)

STAY_ROLES = frozenset({Role.CASEWORKER, Role.APPROVER})
"""Who decides and reads stays (in practice NAV's caseworkers)."""
PROVIDER_READ = frozenset({Role.CASEWORKER, Role.APPROVER, Role.LEADER})
PROVIDER_WRITE = STAY_ROLES
FLAG_READ = frozenset({Role.CASEWORKER, Role.APPROVER, Role.LEADER})
"""The flags without names: the leader's view."""


def require_stay_role(
    actor: User | None, municipality_id: int, roles: frozenset[str] = STAY_ROLES
) -> None:
    require_permission(actor, municipality_id, roles, stacklevel=2)


def providers_for_user(user: User) -> QuerySet[Provider]:
    return Provider.objects.filter(municipality_id__in=municipality_ids(user, PROVIDER_READ))


def provider_get_for_user(user: User, pk: object) -> Provider:
    return cast(Provider, get_or_404(providers_for_user(user), pk))


def places_for_user(user: User) -> QuerySet[Place]:
    return Place.objects.filter(
        provider__municipality_id__in=municipality_ids(user, STAY_ROLES)
    ).select_related("provider")


def stays_for_user(user: User) -> QuerySet[Stay]:
    return Stay.objects.filter(municipality_id__in=municipality_ids(user, STAY_ROLES))


def stay_get_for_user(user: User, pk: object) -> Stay:
    return cast(Stay, get_or_404(stays_for_user(user), pk))


def stay_read(*, user: User, pk: object, path: str) -> Stay:
    """One stay to show: every member of the household is logged as read."""
    stay = stay_get_for_user(user, pk)
    members = HouseholdMember.objects.filter(household_id=stay.household_id).select_related(
        "person"
    )
    log_reads(user=user, persons=[m.person for m in members], what="temporary_stay", path=path)
    return stay


def agreement_state(provider: Provider, on: dt.date) -> str:
    """ "valid", "lapsed", "none" or "failed": an agreement lapsed, missing (for a private
    provider) or a failed last inspection stands out, and placing a family needs a reason."""
    last = provider.inspections.first()
    if last is not None and not last.passed:
        return "failed"
    agreements: list[QualityAgreement] = list(provider.agreements.all())
    if any(a.valid_from <= on <= a.valid_to for a in agreements):
        return "valid"
    if provider.kind == "municipal":
        return "valid"
    return "lapsed" if agreements else "none"


@dataclass(frozen=True)
class Params:
    young_age: int
    longest_months: int


def params_on(on: dt.date) -> Params:
    tree = default_tree()
    return Params(
        young_age=int(tree.at("national.temporary_accommodation.young_age", on).as_number("years")),
        longest_months=int(
            tree.at("national.temporary_accommodation.longest_stay", on).as_number("months")
        ),
    )


def with_flags(stays: list[Stay], today: dt.date | None = None) -> list[tuple[Stay, StayFlags]]:
    """Each stay with its flags, from prefetched members and the count of earlier stays (two
    queries for the whole list)."""
    today = today or timezone.localdate()
    params = params_on(today)
    ids = [s.household_id for s in stays]
    born: dict[int, list[dt.date | None]] = {}
    for household_id, date in HouseholdMember.objects.filter(household_id__in=ids).values_list(
        "household_id", "person__date_of_birth"
    ):
        born.setdefault(household_id, []).append(date)
    starts: dict[int, list[dt.date]] = {}
    for household_id, start in Stay.objects.filter(household_id__in=ids).values_list(
        "household_id", "starts_on"
    ):
        starts.setdefault(household_id, []).append(start)
    result = []
    for stay in stays:
        until = stay.ended_on or today
        flags = stay_flags(
            starts_on=stay.starts_on,
            until=until,
            born=born.get(stay.household_id, []),
            discharge=stay.discharge,
            earlier_stays=sum(1 for s in starts.get(stay.household_id, []) if s < stay.starts_on),
            young_age=params.young_age,
            longest_months=params.longest_months,
        )
        result.append((stay, flags))
    return result


def open_stays(user: User, municipality_ids_: list[int]) -> QuerySet[Stay]:
    return (
        Stay.objects.filter(municipality_id__in=municipality_ids_, ended_on__isnull=True)
        .select_related("household", "responsible_unit", "case")
        .prefetch_related(
            Prefetch("segments", queryset=Segment.objects.select_related("place__provider"))
        )
        .order_by("starts_on", "pk")
    )


def stay_cost(stay: Stay, today: dt.date | None = None) -> tuple[int, int]:
    """``(nights, cost)`` of the stay so far, from its segments."""
    nights = cost = 0
    for segment in stay.segments.all():
        n = segment.nights(today)
        nights += n
        cost += n * segment.price_per_night
    return nights, cost


def homeless_on(municipality_id: int, on: dt.date) -> list[tuple[Household, str]]:
    """Households that count as homeless on ``on`` by the national definition: a recorded
    situation in force that counts (institution and prison only with discharge within two
    months), or an open stay in temporary accommodation. One row per household."""
    from husly.rules.deadlines import add_months

    within = add_months(on, 2)
    situations = (
        HousingSituation.objects.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on),
            household__municipality_id=municipality_id,
            valid_from__lte=on,
        )
        .select_related("household")
        .order_by("household_id", "-valid_from", "-pk")
    )
    found: dict[int, tuple[Household, str]] = {}
    latest: set[int] = set()
    for s in situations:
        if s.household_id in latest:
            continue  # the latest situation in force decides
        latest.add(s.household_id)
        if s.situation in HOMELESS and (
            s.situation not in LEAVING or (s.leaves_on is not None and s.leaves_on <= within)
        ):
            found[s.household_id] = (s.household, s.situation)
    stays = Stay.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=on),
        municipality_id=municipality_id,
        starts_on__lte=on,
    ).select_related("household")
    for stay in stays:
        if stay.household_id not in latest:
            found.setdefault(stay.household_id, (stay.household, "temporary_offer"))
    return sorted(found.values(), key=lambda row: row[0].name)


def flag_counts(rows: list[tuple[Stay, StayFlags]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for _stay, flags in rows:
        for flag in flags.flags:
            counts[flag] = counts.get(flag, 0) + 1
    return counts


def waiting_by_path(municipality_ids_: list[int]) -> list[dict[str, object]]:
    """How many households in an open stay wait for what (the path to a lasting home)."""
    return list(
        Stay.objects.filter(municipality_id__in=municipality_ids_, ended_on__isnull=True)
        .values("lasting_path")
        .annotate(n=Count("pk"))
        .order_by("lasting_path")
    )


def my_stays(user: User) -> QuerySet[Stay]:
    """Min side: the stays of households where the resident is an adult member."""
    from husly.people.models import ADULT_RELATIONS

    return (
        Stay.objects.filter(
            household__members__person__national_id=user.resident.national_id,  # type: ignore[attr-defined]
            household__members__relation__in=ADULT_RELATIONS,
        )
        .distinct()
        .select_related("responsible_unit", "decision", "case")
        .order_by("-starts_on", "-pk")
    )
