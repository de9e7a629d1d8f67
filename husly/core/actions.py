"""The two steps every create and update action shares: validate, save, record the change.

Named actions (``person_create``, ``dwelling_update``, ...) wrap these in their own transaction;
these helpers never open one themselves so that an action can do several things atomically.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from husly.audit.events import diff, record_change, snapshot

if TYPE_CHECKING:
    from husly.organisation.models import Municipality, User

M = TypeVar("M", bound=models.Model)


def create_audited(
    *,
    actor: User | None,
    action: str,
    instance: M,
    municipality: Municipality | None,
    person_id: int | None = None,
) -> M:
    instance.full_clean()
    instance.save()
    record_change(
        actor=actor,
        action=action,
        instance=instance,
        municipality=municipality,
        changes=diff(None, snapshot(instance)),
        person_id=person_id if person_id is not None else _person_id(instance),
    )
    return instance


def update_audited(
    *,
    actor: User | None,
    action: str,
    instance: M,
    data: Mapping[str, Any],
    municipality: Municipality | None,
) -> M:
    """Apply ``data`` to ``instance`` and record what changed, compared with the stored row
    (read under a row lock, so two simultaneous edits are recorded in order)."""
    stored = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    before = snapshot(stored)
    for field, value in data.items():
        setattr(instance, field, value)
    instance.full_clean()
    instance.save()
    changes = diff(before, snapshot(instance))
    if changes:
        record_change(
            actor=actor,
            action=action,
            instance=instance,
            municipality=municipality,
            changes=changes,
            person_id=_person_id(instance),
        )
    return instance


def _person_id(instance: models.Model) -> int | None:
    if instance._meta.label_lower == "people.person":
        return int(instance.pk)
    person_id = getattr(instance, "person_id", None)
    return int(person_id) if person_id is not None else None


def once_per_submission(*, earlier: Callable[[], M | None], create: Callable[[], M]) -> M:
    """Create something once per form submission (a one-time token in the form, stored with
    what it created under a unique constraint): when ``earlier()`` finds what this submission
    already created, that is returned and nothing is created again.

    Two sends of the same form at the same moment (a double click) both pass the first look;
    the second then waits on the first's unique row and fails when it commits. That failure is
    rolled back to a savepoint, and the first's result, now visible, is returned instead. The
    same holds when the second is refused by a check (a ``ValidationError``, e.g. a unique field
    the first has just written): if the first has created what this submission asked for, that
    is the answer; otherwise the refusal stands."""
    found = earlier()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return create()
    except (IntegrityError, ValidationError):
        found = earlier()
        if found is None:
            raise
        return found
