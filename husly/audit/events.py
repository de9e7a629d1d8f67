"""Writing audit events. Called by actions (changes) and by views through selectors (reads)."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models.fields.files import FieldFile

from husly.audit.models import AccessEvent, ChangeEvent

if TYPE_CHECKING:
    from husly.organisation.models import Municipality, User
    from husly.people.models import Person


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The concrete field values of ``instance``, JSON-safe, for change diffs."""
    return {
        field.attname: _plain(getattr(instance, field.attname))
        for field in instance._meta.concrete_fields
    }


def diff(before: dict[str, Any] | None, after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for every field whose value changed."""
    before = before or {}
    return {
        key: [before.get(key), value] for key, value in after.items() if before.get(key) != value
    }


def record_change(
    *,
    actor: User | None,
    action: str,
    instance: models.Model,
    municipality: Municipality | None,
    changes: dict[str, Any],
    person_id: int | None = None,
) -> ChangeEvent:
    return ChangeEvent.objects.create(
        actor=actor,
        action=action,
        municipality=municipality,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        changes=changes,
        person_id=person_id,
    )


def record_access(
    *,
    actor: User,
    person: Person,
    what: str,
    path: str,
    reason: str = "",
    role: str = "",
    unit_id: int | None = None,
) -> None:
    AccessEvent.objects.create(
        actor=actor,
        municipality_id=person.municipality_id,
        person_id=person.pk,
        what=what[:200],
        path=path[:300],
        reason=reason[:300],
        role=role,
        unit_id=unit_id,
    )
