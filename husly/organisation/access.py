"""Who may see and change what: roles per municipality, read from memberships.

Every selector and view asks these functions; nothing else reads memberships for access.
Staff rights come from Membership rows only (a superuser is the deployment's operator and may
create municipalities, nothing more is implied).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.http import Http404

from husly.organisation.models import Municipality, Role, User

ALL_ROLES = frozenset(Role)
PEOPLE_READ = frozenset(
    {Role.CASEWORKER, Role.APPROVER, Role.ALLOCATION_MEMBER, Role.FOLLOW_UP, Role.ADMINISTRATOR}
)
PEOPLE_WRITE = frozenset({Role.CASEWORKER, Role.APPROVER, Role.ADMINISTRATOR})
HOUSING_READ = ALL_ROLES
HOUSING_WRITE = frozenset({Role.PROPERTY, Role.ADMINISTRATOR})
ORGANISATION_READ = ALL_ROLES
ORGANISATION_WRITE = frozenset({Role.ADMINISTRATOR})


def roles_by_municipality(user: User) -> dict[int, frozenset[str]]:
    """``{municipality_id: roles}`` for the user, cached on the user object for the request."""
    cached: dict[int, frozenset[str]] | None = getattr(user, "_husly_roles", None)
    if cached is not None:
        return cached
    roles: dict[int, set[str]] = {}
    if user.is_authenticated and user.is_active:
        rows = user.memberships.values_list("unit__municipality_id", "role")
        for municipality_id, role in rows:
            roles.setdefault(municipality_id, set()).add(role)
    result = {key: frozenset(value) for key, value in roles.items()}
    user._husly_roles = result  # type: ignore[attr-defined]
    return result


ROLE_PREFERENCE: list[str] = [
    Role.CASEWORKER,
    Role.APPROVER,
    Role.FOLLOW_UP,
    Role.ALLOCATION_MEMBER,
    Role.ADMINISTRATOR,
    Role.PROPERTY,
    Role.LEADER,
]


def memberships_of(user: User) -> list[tuple[int, int, str]]:
    """``(unit_id, municipality_id, role)`` for each membership, cached for the request."""
    cached: list[tuple[int, int, str]] | None = getattr(user, "_husly_memberships", None)
    if cached is None:
        cached = []
        if user.is_authenticated and user.is_active:
            cached = list(
                user.memberships.order_by("pk").values_list(
                    "unit_id", "unit__municipality_id", "role"
                )
            )
        user._husly_memberships = cached  # type: ignore[attr-defined]
    return cached


def access_via(
    user: User,
    municipality_id: int,
    roles: Iterable[str] = ALL_ROLES,
    unit_ids: Iterable[int] | None = None,
) -> tuple[str, int | None]:
    """The membership that gives the user access in a municipality, for the access log:
    ``(role, unit_id)``, preferring casework roles; ``("", None)`` when there is none."""
    wanted = set(roles)
    units = set(unit_ids) if unit_ids is not None else None
    found = [
        (ROLE_PREFERENCE.index(role) if role in ROLE_PREFERENCE else 99, role, unit_id)
        for unit_id, m_id, role in memberships_of(user)
        if m_id == municipality_id and role in wanted and (units is None or unit_id in units)
    ]
    if not found:
        return "", None
    _rank, role, unit_id = min(found)
    return role, unit_id


def municipality_ids(user: User, roles: Iterable[str]) -> list[int]:
    """Ids of the municipalities where the user holds at least one of ``roles``."""
    wanted = set(roles)
    return sorted(m for m, held in roles_by_municipality(user).items() if held & wanted)


def has_role(user: User, municipality_id: int, roles: Iterable[str]) -> bool:
    return bool(roles_by_municipality(user).get(municipality_id, frozenset()) & set(roles))


def is_staff_member(user: User) -> bool:
    return bool(roles_by_municipality(user))


def scoped(
    queryset: QuerySet[Model], user: User, roles: Iterable[str], path: str
) -> QuerySet[Model]:
    """Filter ``queryset`` to the municipalities where the user holds one of ``roles``.

    ``path`` is the lookup from the model to its municipality id,
    e.g. ``building__municipality_id``.
    """
    return queryset.filter(**{f"{path}__in": municipality_ids(user, roles)})


def get_or_404(queryset: QuerySet[Model], pk: object) -> Model:
    """Fetch one object from an already scoped queryset; anything else is a 404, never a 403,
    so an id outside the user's access looks exactly like one that does not exist."""
    try:
        return queryset.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None


def municipalities_for_user(user: User, roles: Iterable[str] = ALL_ROLES) -> QuerySet[Municipality]:
    return Municipality.objects.filter(pk__in=municipality_ids(user, roles))
