"""Reads of buildings and dwellings, scoped to the user's access."""

from __future__ import annotations

from typing import cast

from django.db.models import Count, Q, QuerySet

from husly.audit.freshness import until_changed
from husly.housing.models import Building, Dwelling
from husly.organisation.access import HOUSING_READ, get_or_404, municipality_ids, scoped
from husly.organisation.models import User


def building_list(user: User, *, search: str = "", district: str = "") -> QuerySet[Building]:
    queryset = (
        cast(
            QuerySet[Building],
            scoped(Building.objects.all(), user, HOUSING_READ, "municipality_id"),
        )
        .select_related("municipality")
        .annotate(dwelling_count=Count("dwellings"))
        .order_by("name", "pk")
    )
    if search:
        queryset = queryset.filter(Q(name__icontains=search) | Q(address__icontains=search))
    if district:
        queryset = queryset.filter(district=district)
    return queryset


def building_get_for_user(user: User, pk: object) -> Building:
    queryset = scoped(
        Building.objects.select_related("municipality"), user, HOUSING_READ, "municipality_id"
    )
    return cast(Building, get_or_404(queryset, pk))


def districts_for_user(user: User) -> list[str]:
    queryset = scoped(Building.objects.exclude(district=""), user, HOUSING_READ, "municipality_id")
    return sorted(set(queryset.values_list("district", flat=True)))


DWELLING_ROW = (
    "pk",
    "building__address",
    "number",
    "rooms",
    "area_m2",
    "floor",
    "category",
    "wheelchair_accessible",
    "monthly_rent",
    "status",
)
"""What the list of dwellings shows of each."""


def dwelling_list(
    user: User,
    *,
    search: str = "",
    status: str = "",
    category: str = "",
    min_rooms: int | None = None,
    wheelchair: bool = False,
    district: str = "",
) -> QuerySet[Dwelling]:
    queryset = cast(
        QuerySet[Dwelling],
        scoped(Dwelling.objects.all(), user, HOUSING_READ, "building__municipality_id"),
    ).select_related("building")
    if search:
        queryset = queryset.filter(
            Q(building__address__icontains=search)
            | Q(building__name__icontains=search)
            | Q(number__iexact=search)
        )
    if status:
        queryset = queryset.filter(status=status)
    if category:
        queryset = queryset.filter(category=category)
    if min_rooms is not None:
        queryset = queryset.filter(rooms__gte=min_rooms)
    if wheelchair:
        queryset = queryset.filter(wheelchair_accessible=True)
    if district:
        queryset = queryset.filter(building__district=district)
    return queryset


def dwelling_count(user: User) -> int:
    """The dwellings the user may read (the unfiltered list's count), kept until the records
    change for every reader with the same municipalities."""
    ids = municipality_ids(user, HOUSING_READ)
    return until_changed(
        f"housing:dwelling-count:{ids}",
        lambda: Dwelling.objects.filter(building__municipality_id__in=ids).count(),
    )


def dwelling_get_for_user(user: User, pk: object) -> Dwelling:
    queryset = scoped(
        Dwelling.objects.select_related("building", "building__municipality"),
        user,
        HOUSING_READ,
        "building__municipality_id",
    )
    return cast(Dwelling, get_or_404(queryset, pk))
