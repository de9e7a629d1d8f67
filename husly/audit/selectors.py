"""Reads of the audit log."""

from __future__ import annotations

from django.db.models import QuerySet

from husly.audit.models import AccessEvent, ChangeEvent
from husly.people.models import Person


def access_events_for_person(person: Person) -> QuerySet[AccessEvent]:
    return AccessEvent.objects.filter(person_id=person.pk).select_related("actor")


def change_events_for_person(person: Person) -> QuerySet[ChangeEvent]:
    return ChangeEvent.objects.filter(person_id=person.pk).select_related("actor")
