"""Reads of persons and households, scoped to the user's access.

Reading a person's data writes an access event (who, what, when): ``person_read`` and
``household_read`` are the only ways views fetch one, and lists log every person they show.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from django.db.models import Count, Prefetch, Q, QuerySet

from husly.audit.models import AccessEvent
from husly.organisation.access import PEOPLE_READ, access_via, get_or_404, scoped
from husly.organisation.models import User
from husly.people.models import Household, HouseholdMember, Person, StatedMember


def person_list(
    user: User, *, search: str = "", residence_permit: str = "", municipality_id: int | None = None
) -> QuerySet[Person]:
    queryset = cast(
        QuerySet[Person],
        scoped(Person.objects.all(), user, PEOPLE_READ, "municipality_id"),
    ).select_related("municipality")
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
    if residence_permit:
        queryset = queryset.filter(residence_permit=residence_permit)
    return queryset


def _scoped_persons(user: User) -> QuerySet[Person]:
    return cast(
        QuerySet[Person],
        scoped(Person.objects.select_related("municipality"), user, PEOPLE_READ, "municipality_id"),
    )


def person_read(*, user: User, pk: object, what: str, path: str) -> Person:
    """Fetch one person the user may see, and log the read. 404 when not accessible."""
    person = cast(Person, get_or_404(_scoped_persons(user), pk))
    log_reads(user=user, persons=[person], what=what, path=path)
    return person


def person_get_for_user(user: User, pk: object) -> Person:
    """Fetch one person for a change (the change itself is audited); 404 when not accessible."""
    return cast(Person, get_or_404(_scoped_persons(user), pk))


def log_reads(
    *,
    user: User,
    persons: Iterable[Person],
    what: str,
    path: str,
    via: tuple[str, int | None] | None = None,
) -> None:
    """One access event per person shown, in one insert. ``via`` is the ``(role, unit_id)``
    that gave access; by default the user's register role in the person's municipality."""
    events = []
    for person in persons:
        role, unit_id = via or access_via(user, person.municipality_id, PEOPLE_READ)
        events.append(
            AccessEvent(
                actor=user,
                municipality_id=person.municipality_id,
                person_id=person.pk,
                what=what[:200],
                path=path[:300],
                role=role,
                unit_id=unit_id,
            )
        )
    AccessEvent.objects.bulk_create(events)


def household_list(user: User, *, search: str = "") -> QuerySet[Household]:
    queryset = cast(
        QuerySet[Household],
        scoped(Household.objects.all(), user, PEOPLE_READ, "municipality_id"),
    )
    queryset = (
        queryset.select_related("municipality")
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
    return cast(
        QuerySet[Household],
        scoped(
            Household.objects.select_related("municipality"), user, PEOPLE_READ, "municipality_id"
        ),
    )


def household_get_for_user(user: User, pk: object) -> Household:
    return cast(Household, get_or_404(_scoped_households(user), pk))


def household_read(*, user: User, pk: object, what: str, path: str) -> Household:
    household = household_get_for_user(user, pk)
    log_reads(
        user=user, persons=[m.person for m in household_members(household)], what=what, path=path
    )
    return household


def household_members(household: Household) -> list[HouseholdMember]:
    return list(household.members.select_related("person", "person__municipality"))


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
