"""Reads of persons and households, scoped to the user's need to know.

Who sees a household (and its members) inside a municipality:

- administrators, and caseworkers, approvers and allocation members of the housing office
  (a unit of kind ``housing_office``): every household of the municipality;
- staff of any other unit (NAV, the refugee service, health and care, follow-up) with a role
  that reads persons: the households their unit has a part in, as the apps above say through
  ``husly.people.hooks`` (a case routed to the unit, a consent or legal basis naming it, a
  decision or lease it follows up, a waiting list the user works with), and the persons and
  households the user registered;
- in an emergency, anyone with a role that reads persons in the municipality, for
  ``EMERGENCY_ACCESS`` after giving a reason (break the glass): the read is logged as an
  emergency and the household sees it in Min side.

Anything else answers 404. Reading a person's data writes an access event (who, which unit,
what, when): ``person_read`` and ``household_read`` are the only ways views fetch one to show
it, and lists log every person they show.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, cast

from django.db import connections, router
from django.db.models import (
    BigIntegerField,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Cast, Concat
from django.http import Http404
from django.utils import timezone

from husly.audit.events import record_accesses, rows_source
from husly.audit.models import AccessEvent, ChangeEvent
from husly.core.dbfunctions import among_keys
from husly.organisation.access import (
    PEOPLE_READ,
    access_via,
    get_or_404,
    membership_rows,
    municipality_ids,
    roles_by_municipality,
)
from husly.organisation.models import Role, UnitKind, User
from husly.people.hooks import household_reach_handlers
from husly.people.models import (
    Household,
    HouseholdMember,
    Person,
    Relation,
    StatedMember,
    StatedMemberStatus,
)

WHOLE_MUNICIPALITY = frozenset({Role.CASEWORKER, Role.APPROVER, Role.ALLOCATION_MEMBER})
"""Roles that see every household of the municipality when held in the housing office."""
EMERGENCY_ACCESS = dt.timedelta(hours=1)
"""How long a break-the-glass read of a household or person stays open to its reader."""
EMERGENCY = "break_the_glass"
"""The ``what`` of the access event that opens a household or person in an emergency."""


def people_scope(user: User) -> tuple[list[int], list[int]]:
    """``(municipality_ids, unit_ids)``: the municipalities where the user sees every
    household, and the units (elsewhere) through which the user sees the households the unit
    has a part in. Cached on the user object for the request."""
    cached: tuple[list[int], list[int]] | None = getattr(user, "_husly_people_scope", None)
    if cached is not None:
        return cached
    whole: set[int] = set()
    units: set[int] = set()
    for unit_id, municipality_id, kind, role in membership_rows(user):
        if role not in PEOPLE_READ:
            continue
        if role == Role.ADMINISTRATOR or (
            role in WHOLE_MUNICIPALITY and kind == UnitKind.HOUSING_OFFICE
        ):
            whole.add(municipality_id)
        else:
            units.add(unit_id)
    result = (sorted(whole), sorted(units))
    user._husly_people_scope = result  # type: ignore[attr-defined]
    return result


def _registered_by(user: User, action: str) -> QuerySet[ChangeEvent, dict[str, Any]]:
    """Ids of the objects the user created (from the change log), as a subquery."""
    return (
        ChangeEvent.objects.filter(actor=user, action=action)
        .annotate(object_pk=Cast("object_id", BigIntegerField()))
        .values("object_pk")
    )


def _need_to_know(user: User) -> Q:
    """``Q`` on ``Household``: the households the user sees without breaking the glass."""
    whole, units = people_scope(user)
    visible = Q(municipality_id__in=whole)
    if units:
        for handler in household_reach_handlers:
            visible |= handler(user, units)
        visible |= Q(pk__in=_registered_by(user, "household_create"))
    return visible & Q(municipality_id__in=municipality_ids(user, PEOPLE_READ))


def visible_households(user: User) -> QuerySet[Household]:
    return Household.objects.filter(_need_to_know(user))


def visible_persons(user: User) -> QuerySet[Person]:
    """The members of the visible households, and the persons the user registered.

    Where the user sees every household of the municipality, every person of it is visible;
    the members and the registrations are looked up only in the other municipalities (none for
    staff of the housing office), so a search or a read there is one indexed condition."""
    whole, units = people_scope(user)
    readable = municipality_ids(user, PEOPLE_READ)
    visible = Q(municipality_id__in=whole)
    elsewhere = [pk for pk in readable if pk not in whole]
    if elsewhere:
        households = visible_households(user).values("pk")
        through = Q(
            pk__in=HouseholdMember.objects.filter(household_id__in=households).values("person_id")
        )
        if units:
            through |= Q(pk__in=_registered_by(user, "person_create"))
        visible |= Q(municipality_id__in=elsewhere) & through
    return Person.objects.filter(visible, municipality_id__in=readable)


def person_list(
    user: User, *, search: str = "", residence_permit: str = "", municipality_id: int | None = None
) -> QuerySet[Person]:
    queryset = visible_persons(user).select_related("municipality")
    if municipality_id:
        queryset = queryset.filter(municipality_id=municipality_id)
    if search:
        terms = search.split()
        for term in terms:
            if term.isdigit():
                queryset = queryset.filter(national_id__startswith=term)
            else:
                queryset = queryset.filter(
                    Q(given_name__icontains=term) | Q(family_name__icontains=term)
                )
        # Sorted on an expression that the name index cannot give (the same order): the
        # planner then finds the matches through the trigram indexes and sorts them, instead
        # of walking the whole register in name order until a page of matches turns up.
        queryset = queryset.order_by(Concat("family_name", Value("")), "given_name", "pk")
    if residence_permit:
        queryset = queryset.filter(residence_permit=residence_permit)
    return queryset


def _scoped_persons(user: User) -> QuerySet[Person]:
    return visible_persons(user).select_related("municipality")


def _emergency_events(user: User) -> QuerySet[AccessEvent]:
    """The user's break-the-glass events that still hold the door open."""
    return AccessEvent.objects.filter(
        actor=user, emergency=True, what=EMERGENCY, at__gte=timezone.now() - EMERGENCY_ACCESS
    ).order_by("-at", "-pk")


def _emergency_read(user: User, queryset: QuerySet[Person], pk: object) -> tuple[Person, str]:
    """A person opened in an emergency, and the reason given; 404 when the glass is whole."""
    scope = queryset.filter(
        municipality_id__in=municipality_ids(user, PEOPLE_READ),
        pk__in=_emergency_events(user).values("person_id"),
    )
    person = cast(Person, get_or_404(scope.select_related("municipality"), pk))
    event = _emergency_events(user).filter(person_id=person.pk).first()
    return person, event.reason if event else ""


def person_read(*, user: User, pk: object, what: str, path: str) -> Person:
    """Fetch one person the user may see, and log the read. 404 when not accessible. A person
    opened in an emergency is logged as an emergency read with the reason, and comes back
    with ``emergency_reason`` set (empty otherwise)."""
    reason, emergency = "", False
    try:
        person = cast(Person, get_or_404(_scoped_persons(user), pk))
    except Http404:
        person, reason = _emergency_read(user, Person.objects.all(), pk)
        emergency = True
    log_reads(user=user, persons=[person], what=what, path=path, emergency=emergency, reason=reason)
    person.emergency_reason = reason  # type: ignore[attr-defined]
    return person


def person_get_for_user(user: User, pk: object) -> Person:
    """Fetch one person for a change (the change itself is audited); 404 when not accessible.
    An emergency opens a person for reading only."""
    return cast(Person, get_or_404(_scoped_persons(user), pk))


def person_for_emergency(user: User, pk: object) -> Person:
    """A person the user may open in an emergency: any person of a municipality where the user
    holds a role that reads persons; 404 otherwise."""
    queryset = Person.objects.filter(municipality_id__in=municipality_ids(user, PEOPLE_READ))
    return cast(Person, get_or_404(queryset.select_related("municipality"), pk))


def household_for_emergency(user: User, pk: object) -> Household:
    queryset = Household.objects.filter(municipality_id__in=municipality_ids(user, PEOPLE_READ))
    return cast(Household, get_or_404(queryset.select_related("municipality"), pk))


def _access_vias(
    user: User, municipalities: Iterable[int], via: tuple[str, int | None] | None = None
) -> dict[int, tuple[str, int | None]]:
    """``{municipality_id: (role, unit_id)}`` for the access log: ``via`` when it names a unit,
    else the user's register role in the municipality, or else any role the user holds there
    (the unit the reader acted for); ``("", None)`` where the user holds none."""
    found: dict[int, tuple[str, int | None]] = {}
    for municipality_id in municipalities:
        if municipality_id in found:
            continue
        role, unit_id = via or access_via(user, municipality_id, PEOPLE_READ)
        if unit_id is None:
            role, unit_id = access_via(user, municipality_id)
        found[municipality_id] = (role, unit_id)
    return found


def log_reads(
    *,
    user: User,
    persons: Iterable[Person],
    what: str,
    path: str,
    via: tuple[str, int | None] | None = None,
    emergency: bool = False,
    reason: str = "",
) -> None:
    """One access event per person shown, in one insert. ``via`` is the ``(role, unit_id)``
    that gave access; by default the user's register role in the person's municipality, or
    else any role the user holds there (the unit the reader acted for). ``emergency`` marks a
    break-the-glass read, with the reason the reader gave."""
    rows = [(person.pk, person.municipality_id) for person in persons]
    if not rows:
        return
    source, params = rows_source(rows)
    record_accesses(
        actor_id=user.pk,
        source=source,
        params=params,
        via=_access_vias(user, (m_id for _pk, m_id in rows), via),
        what=what,
        path=path,
        reason=reason,
        emergency=emergency,
    )


def log_household_reads(
    *,
    user: User,
    household_ids: Iterable[int | None],
    what: str,
    path: str,
    everyone: bool = False,
) -> None:
    """Log a page that names households (a list, a form): one access event for each main
    applicant (the person a household's name stands for), or for every member when the page
    lists them (``everyone``); a person in several of the households once. One statement
    whatever the number of households: the members are read and the events written by one
    ``INSERT … SELECT`` (the role and unit per municipality come from the user's memberships)."""
    ids = sorted({pk for pk in household_ids if pk is not None})
    if not ids:
        return
    connection = connections[router.db_for_write(AccessEvent)]
    quote = connection.ops.quote_name
    member, person = HouseholdMember._meta.db_table, Person._meta.db_table
    among, params = among_keys(ids, connection)
    applicants = ""
    if not everyone:
        applicants = " AND m.relation = %s"
        params.append(Relation.APPLICANT.value)
    # Names from the models, every value a parameter.
    source = (
        f"SELECT p.id AS person_id, p.municipality_id AS municipality_id "  # noqa: S608
        f"FROM {quote(member)} m JOIN {quote(person)} p ON p.id = m.person_id "
        f"WHERE m.household_id {among}{applicants} "
        "GROUP BY p.id, p.municipality_id ORDER BY MIN(m.id)"
    )
    record_accesses(
        actor_id=user.pk,
        source=source,
        params=params,
        via=_access_vias(user, roles_by_municipality(user)),
        what=what,
        path=path,
    )


def household_list(user: User, *, search: str = "") -> QuerySet[Household]:
    queryset = (
        visible_households(user)
        .select_related("municipality")
        .annotate(member_count=Count("members", distinct=True))
        .order_by("name", "pk")
        .prefetch_related(
            Prefetch(
                "members",
                queryset=HouseholdMember.objects.filter(relation="applicant").select_related(
                    "person"
                ),
                to_attr="applicants",
            )
        )
    )
    if search:
        queryset = queryset.filter(
            Q(name__icontains=search) | Q(persons__family_name__icontains=search)
        ).distinct()
    return queryset


def _scoped_households(user: User) -> QuerySet[Household]:
    return visible_households(user).select_related("municipality")


def household_get_for_user(user: User, pk: object) -> Household:
    """Fetch one household for a change; 404 when not accessible (an emergency opens a
    household for reading only)."""
    return cast(Household, get_or_404(_scoped_households(user), pk))


def household_read(*, user: User, pk: object, what: str, path: str) -> Household:
    """Fetch one household to show it, and log a read of every member. A household opened in
    an emergency (the glass broken for one of its members) is logged as an emergency read
    and comes back with ``emergency_reason`` set. It comes back with the members read
    (``members_read``) and whether members stated in Min side wait to be checked
    (``has_unchecked``)."""
    reason, emergency = "", False
    pending = StatedMember.objects.filter(
        household=OuterRef("pk"), status=StatedMemberStatus.PENDING
    )
    try:
        household = cast(
            Household,
            get_or_404(_scoped_households(user).annotate(has_unchecked=Exists(pending)), pk),
        )
    except Http404:
        emergency = True
        opened = HouseholdMember.objects.filter(
            person_id__in=_emergency_events(user).values("person_id")
        ).values("household_id")
        queryset = Household.objects.filter(
            pk__in=opened, municipality_id__in=municipality_ids(user, PEOPLE_READ)
        )
        household = cast(
            Household,
            get_or_404(
                queryset.select_related("municipality").annotate(has_unchecked=Exists(pending)),
                pk,
            ),
        )
        member_ids = household.members.values_list("person_id", flat=True)
        event = _emergency_events(user).filter(person_id__in=member_ids).first()
        reason = event.reason if event else ""
    members = household_members(household)
    log_reads(
        user=user,
        persons=[m.person for m in members],
        what=what,
        path=path,
        emergency=emergency,
        reason=reason,
    )
    household.emergency_reason = reason  # type: ignore[attr-defined]
    household.members_read = members  # type: ignore[attr-defined]
    return household


def household_members(household: Household) -> list[HouseholdMember]:
    return list(household.members.select_related("person").order_by("pk"))


def member_get_for_user(user: User, household: Household, pk: object) -> HouseholdMember:
    queryset = household.members.select_related("person", "household__municipality")
    return cast(HouseholdMember, get_or_404(queryset, pk))


def persons_for_choice(user: User, municipality_id: int) -> QuerySet[Person]:
    return person_list(user, municipality_id=municipality_id)


def stated_members_to_check(
    *, user: User, household: Household, path: str
) -> list[tuple[StatedMember, Person | None]]:
    """Members stated in Min side and not checked yet, each with the registered person its
    identity number points to (shown for comparison, so that read is logged)."""
    from husly.people.actions import stated_member_match

    rows = [(s, stated_member_match(s)) for s in household.unchecked_members()]
    log_reads(
        user=user,
        persons=[match for _, match in rows if match is not None],
        what="household_stated_member_check",
        path=path,
    )
    return rows


def stated_member_get_for_user(user: User, household: Household, pk: object) -> StatedMember:
    queryset = household.stated_members.select_related("household__municipality")
    return cast(StatedMember, get_or_404(queryset, pk))
