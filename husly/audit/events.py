"""Writing audit events. Called by actions (changes) and by views through selectors (reads)."""

from __future__ import annotations

import datetime as dt
import decimal
import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.db import connections, models, router
from django.db.models.fields.files import FieldFile
from django.utils import timezone

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


ACCESS_COLUMNS = (
    "at",
    "actor_id",
    "municipality_id",
    "person_id",
    "what",
    "path",
    "reason",
    "role",
    "unit_id",
    "emergency",
)
"""The columns an access event is written with (the model's concrete fields but ``id``)."""


def record_accesses(
    *,
    actor_id: int,
    source: str,
    params: Sequence[Any],
    via: Mapping[int, tuple[str, int | None]],
    what: str,
    path: str,
    reason: str = "",
    emergency: bool = False,
) -> None:
    """One access event per row of ``source``, in one ``INSERT … SELECT`` statement.

    ``source`` is a SELECT (with ``params``) giving ``person_id`` and ``municipality_id``
    columns, one row per person read, in the order the events are to be written. ``via`` is the
    ``(role, unit_id)`` that gave access in each municipality (a municipality not in it: no role,
    no unit). The page's events share one ``at``. No model instances are built and no ids come
    back: a list page pays for one statement, not for a ``bulk_create`` of a model per row.
    The table refuses updates and deletes whatever writes to it (``AppendOnlyModel`` and, on
    PostgreSQL, migration 0003's trigger); on PostgreSQL the row lands in its month's partition
    (migration 0007) as any insert does."""
    connection = connections[router.db_for_write(AccessEvent)]
    quote = connection.ops.quote_name
    role_sql, unit_sql = "%s", "%s"
    via_params: list[Any] = []
    if via:
        whens = " ".join("WHEN %s THEN %s" for _ in via)
        role_sql = f"CASE s.municipality_id {whens} ELSE %s END"
        unit_sql = f"CASE s.municipality_id {whens} ELSE %s END"
        for municipality_id, (role, _unit_id) in via.items():
            via_params += [municipality_id, role]
        via_params.append("")
        for municipality_id, (_role, unit_id) in via.items():
            via_params += [municipality_id, unit_id]
        via_params.append(None)
    else:
        via_params = ["", None]
    at = connection.ops.adapt_datetimefield_value(timezone.now())
    # Names from the model, every value a parameter.
    sql = (
        f"INSERT INTO {quote(AccessEvent._meta.db_table)} "  # noqa: S608
        f"({', '.join(quote(column) for column in ACCESS_COLUMNS)}) "
        f"SELECT %s, %s, s.municipality_id, s.person_id, %s, %s, %s, {role_sql}, "
        f"CAST({unit_sql} AS bigint), %s "
        f"FROM ({source}) s"
    )
    texts = [what[:200], path[:300], reason[:300]]
    with connection.cursor() as cursor:
        cursor.execute(sql, [at, actor_id, *texts, *via_params, emergency, *params])


def rows_source(
    rows: Sequence[tuple[int, int]], *, using: str | None = None
) -> tuple[str, list[Any]]:
    """A SELECT for ``record_accesses`` over ``(person_id, municipality_id)`` pairs given in
    Python, in their order: two arrays unnested on PostgreSQL, a JSON array on SQLite."""
    connection = connections[using or router.db_for_write(AccessEvent)]
    if connection.vendor == "postgresql":
        return (
            "SELECT * FROM unnest(%s::bigint[], %s::bigint[]) AS r(person_id, municipality_id)",
            [[row[0] for row in rows], [row[1] for row in rows]],
        )
    return (
        "SELECT json_extract(value, '$[0]') AS person_id, "
        "json_extract(value, '$[1]') AS municipality_id FROM json_each(%s) ORDER BY key",
        [json.dumps(rows)],
    )
