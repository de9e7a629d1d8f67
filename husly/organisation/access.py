"""Who may see and change what: roles per municipality, read from memberships.

Every selector and view asks these functions; nothing else reads memberships for access.
Staff rights come from Membership rows only (a superuser is the deployment's operator and may
create municipalities, nothing more is implied).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from contextvars import ContextVar
from types import FrameType

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

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
ACCESS_LOG_READ = frozenset({Role.CASEWORKER, Role.APPROVER, Role.ADMINISTRATOR})
"""Who opens one person's access log (docs/privacy-and-security.md, roles)."""


def roles_by_municipality(user: User) -> dict[int, frozenset[str]]:
    """``{municipality_id: roles}`` for the user, cached on the user object for the request."""
    cached: dict[int, frozenset[str]] | None = getattr(user, "_husly_roles", None)
    if cached is not None:
        return cached
    roles: dict[int, set[str]] = {}
    # From the one read of the memberships the request makes (access checks, the access log).
    for _unit_id, municipality_id, role in memberships_of(user):
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
    Role.COLLECTIONS,
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


def first_municipality(ids: Iterable[int]) -> Municipality:
    """The municipality a page without an object works in: the first of ``ids`` (the
    municipalities where the user may use the page); none means the page does not exist (404)."""
    first = min(ids, default=None)
    if first is None:
        raise Http404
    return Municipality.objects.get(pk=first)


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


_permitted: ContextVar[tuple[tuple[int, FrameType], ...]] = ContextVar(
    "husly_permitted", default=()
)
"""The running actions whose check passed: (actor id, the action's frame) (see below)."""


def _running_permitted(frame: FrameType | None) -> tuple[tuple[int, FrameType], ...]:
    """The permitted actions still running in the call stack from ``frame`` outwards."""
    stack = []
    while frame is not None:
        stack.append(frame)
        frame = frame.f_back
    return tuple(p for p in _permitted.get() if any(p[1] is f for f in stack))


def _adult_member(actor: User, household_id: int) -> bool:
    from husly.people.models import ADULT_RELATIONS, HouseholdMember

    resident = getattr(actor, "resident", None)  # husly.portal's ResidentAccount
    if resident is None:
        return False
    return HouseholdMember.objects.filter(
        household_id=household_id,
        person__national_id=resident.national_id,
        relation__in=ADULT_RELATIONS,
    ).exists()


def require_permission(
    actor: User | None,
    municipality_id: int | None,
    roles: Iterable[str] = (),
    *,
    unit_roles: Iterable[str] = (),
    unit_ids: Iterable[int] = (),
    household_id: int | None = None,
    any_resident: bool = False,
    granted: bool = False,
    stacklevel: int = 1,
) -> None:
    """The check every action makes first, whatever view or command calls it.

    The actor may act when they hold one of ``roles`` in any unit of the municipality, one of
    ``unit_roles`` in one of the units ``unit_ids`` (the units that hold the case), is a
    resident who is an adult member of household ``household_id`` (Min side), is any resident
    (``any_resident``), or when the caller has already established the right (``granted``, e.g.
    the caseworker who registered a draft). ``None`` is the system (a job or a command run by
    the operator). Otherwise the action is refused with ``PermissionDenied`` and a message
    saying who may do it, before anything is written.

    An action that another action calls as part of its own work (``case_create`` submitting
    the case, an offer reserving the dwelling, the hooks of an issued decision) is covered by
    the outer action's check: what the user asked for is the outer action. A module's own
    wrapper around this check passes ``stacklevel=2`` so that the action is the one marked.
    """
    if actor is None:
        return
    caller = sys._getframe(stacklevel)
    running = _running_permitted(caller.f_back)
    if any(actor_id == actor.pk for actor_id, _frame in running):
        return
    held = roles_by_municipality(actor).get(municipality_id or 0, frozenset())
    units = set(unit_ids)
    allowed = (
        granted
        or bool(held & set(roles))
        or any(
            unit_id in units and role in set(unit_roles)
            for unit_id, _m, role in memberships_of(actor)
        )
        or (any_resident and hasattr(actor, "resident"))
        or (household_id is not None and _adult_member(actor, household_id))
    )
    if not allowed:
        raise PermissionDenied(_refusal(roles, unit_roles, household_id, any_resident=any_resident))
    _permitted.set((*running, (actor.pk, caller)))


def require_operator(actor: User | None) -> None:
    """For what only the deployment's operator (a superuser, or a command) may do."""
    if actor is not None and not actor.is_superuser:
        raise PermissionDenied(_("Only the operator of this Husly installation can do this."))


def _refusal(
    roles: Iterable[str], unit_roles: Iterable[str], household_id: int | None, *, any_resident: bool
) -> str:
    labels = [str(Role(role).label).lower() for role in Role if role in set(roles)]
    labels += [
        _("%(role)s in the unit responsible") % {"role": str(Role(role).label).lower()}
        for role in Role
        if role in set(unit_roles) and role not in set(roles)
    ]
    if household_id is not None or any_resident:
        labels.append(_("the household itself"))
    if not labels:
        return _("You do not have access to do this.")
    return _("You do not have access to do this. It can be done by: %(who)s.") % {
        "who": ", ".join(labels)
    }
