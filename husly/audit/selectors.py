"""Reads of the audit log."""

from __future__ import annotations

import datetime as dt
from typing import cast

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from husly.audit.export import EXPORT_ROLES
from husly.audit.models import AccessEvent, ChangeEvent
from husly.organisation.access import get_or_404, municipality_ids, scoped
from husly.organisation.models import Role, User
from husly.people.models import Person

AUDIT_READ = frozenset({Role.ADMINISTRATOR})


def person_for_export(user: User, pk: object) -> Person:
    """A person whose full art. 15 export the user may make: only a role that handles access
    requests (``EXPORT_ROLES``), in its own municipalities. Anyone else gets 404, whatever
    else they may read: a caseworker reads through the case access rules, never around them."""
    persons = Person.objects.select_related("municipality").filter(
        municipality_id__in=municipality_ids(user, EXPORT_ROLES)
    )
    return cast(Person, get_or_404(persons, pk))


def access_events_for_person(person: Person) -> QuerySet[AccessEvent]:
    return AccessEvent.objects.filter(person_id=person.pk).select_related("actor", "unit")


def change_events_for_person(person: Person) -> QuerySet[ChangeEvent]:
    return ChangeEvent.objects.filter(person_id=person.pk).select_related("actor")


def audit_municipality_ids(user: User) -> list[int]:
    """Municipalities whose audit log the user may search (administrators); none gives 404."""
    ids = municipality_ids(user, AUDIT_READ)
    if not ids:
        raise Http404
    return ids


def audit_staff_choices(user: User) -> QuerySet[User]:
    """Staff who hold a role in a municipality whose log the user may search."""
    ids = audit_municipality_ids(user)
    return (
        User.objects.filter(memberships__unit__municipality_id__in=ids)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def audit_person_lookup(user: User, reference: str) -> Person | None:
    """A person in the administrator's municipalities by P-number or identity number."""
    ids = audit_municipality_ids(user)
    reference = reference.strip().upper().removeprefix("P-").removeprefix("P")
    if not reference.isdigit():
        return None
    persons = Person.objects.filter(municipality_id__in=ids)
    if len(reference) == 11:  # noqa: PLR2004 - an identity number has eleven digits
        return persons.filter(national_id=reference).order_by("pk").first()
    try:
        return cast(Person, get_or_404(persons, int(reference)))
    except Http404:
        return None


def _period(
    queryset: QuerySet[AccessEvent] | QuerySet[ChangeEvent],
    date_from: dt.date | None,
    date_to: dt.date | None,
) -> QuerySet[AccessEvent] | QuerySet[ChangeEvent]:
    zone = timezone.get_current_timezone()
    if date_from:
        queryset = queryset.filter(at__gte=dt.datetime.combine(date_from, dt.time.min, zone))
    if date_to:
        end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, zone)
        queryset = queryset.filter(at__lt=end)
    return queryset


def access_event_search(
    user: User,
    *,
    actor: User | None = None,
    person: Person | None = None,
    what: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    emergency: bool = False,
) -> QuerySet[AccessEvent]:
    """Reads of persons' data in the administrator's municipalities, newest first;
    ``emergency`` keeps only break-the-glass reads."""
    queryset = cast(
        QuerySet[AccessEvent],
        scoped(AccessEvent.objects.all(), user, AUDIT_READ, "municipality_id"),
    )
    audit_municipality_ids(user)
    if actor is not None:
        queryset = queryset.filter(actor=actor)
    if person is not None:
        queryset = queryset.filter(person_id=person.pk)
    if what:
        queryset = queryset.filter(what__icontains=what)
    if emergency:
        queryset = queryset.filter(emergency=True)
    queryset = cast(QuerySet[AccessEvent], _period(queryset, date_from, date_to))
    return queryset.select_related("actor", "unit").order_by("-at", "-pk")


def change_event_search(
    user: User,
    *,
    actor: User | None = None,
    person: Person | None = None,
    action: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[ChangeEvent]:
    """Changes in the administrator's municipalities, and changes without a municipality (such
    as a staff member's own two-factor set-up) made by their staff, newest first."""
    ids = audit_municipality_ids(user)
    staff = User.objects.filter(memberships__unit__municipality_id__in=ids).values("pk")
    queryset = ChangeEvent.objects.filter(
        Q(municipality_id__in=ids) | Q(municipality__isnull=True, actor__in=staff)
    )
    if actor is not None:
        queryset = queryset.filter(actor=actor)
    if person is not None:
        queryset = queryset.filter(person_id=person.pk)
    if action:
        queryset = queryset.filter(action__icontains=action)
    queryset = cast(QuerySet[ChangeEvent], _period(queryset, date_from, date_to))
    return queryset.select_related("actor").order_by("-at", "-pk")


def persons_by_id(user: User, person_ids: set[int]) -> dict[int, Person]:
    """The persons behind a page of events, for names and links (within the user's scope)."""
    ids = audit_municipality_ids(user)
    persons = Person.objects.filter(pk__in=person_ids, municipality_id__in=ids)
    return {person.pk: person for person in persons}
