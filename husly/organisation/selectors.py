"""Reads of the organisation register, scoped to the user's access."""

from __future__ import annotations

from typing import cast

from django.db.models import Count, Q, QuerySet

from husly.organisation.access import (
    ORGANISATION_READ,
    get_or_404,
    municipalities_for_user,
    scoped,
)
from husly.organisation.models import Membership, Municipality, Unit, User


def municipality_list(user: User, *, search: str = "") -> QuerySet[Municipality]:
    base = (
        Municipality.objects.all()
        if user.is_superuser
        else municipalities_for_user(user, ORGANISATION_READ)
    )
    queryset = base.annotate(unit_count=Count("units", distinct=True)).order_by("name", "pk")
    if search:
        queryset = queryset.filter(Q(name__icontains=search) | Q(number__startswith=search))
    return queryset


def municipality_get_for_user(user: User, pk: object) -> Municipality:
    return cast(Municipality, get_or_404(municipality_list(user), pk))


def unit_list(user: User, *, search: str = "", kind: str = "") -> QuerySet[Unit]:
    queryset = scoped(Unit.objects.all(), user, ORGANISATION_READ, "municipality_id")
    queryset = (
        queryset.select_related("municipality")
        .annotate(staff_count=Count("memberships__user", distinct=True))
        .order_by("municipality__name", "name", "pk")
    )
    if search:
        queryset = queryset.filter(name__icontains=search)
    if kind:
        queryset = queryset.filter(kind=kind)
    return cast(QuerySet[Unit], queryset)


def unit_get_for_user(user: User, pk: object) -> Unit:
    queryset = scoped(
        Unit.objects.select_related("municipality"), user, ORGANISATION_READ, "municipality_id"
    )
    return cast(Unit, get_or_404(queryset, pk))


def staff_list(user: User, *, search: str = "", role: str = "") -> QuerySet[User]:
    """Staff with a membership in a unit the user can see; each user once."""
    memberships = scoped(Membership.objects.all(), user, ORGANISATION_READ, "unit__municipality_id")
    if role:
        memberships = memberships.filter(role=role)
    queryset = User.objects.filter(pk__in=memberships.values("user_id")).order_by(
        "last_name", "first_name", "pk"
    )
    if search:
        queryset = queryset.filter(
            Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
            | Q(username__icontains=search)
        )
    return queryset


def staff_get_for_user(user: User, pk: object) -> User:
    return cast(User, get_or_404(staff_list(user), pk))


def memberships_visible(user: User, staff: User) -> QuerySet[Membership]:
    queryset = scoped(staff.memberships.all(), user, ORGANISATION_READ, "unit__municipality_id")
    return cast(QuerySet[Membership], queryset.select_related("unit", "unit__municipality"))
