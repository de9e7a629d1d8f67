"""Everything Husly holds about one person, for the right of access (GDPR art. 15).

The export is a list of sections, each built by an *exporter* registered here. The audit app
registers the person's own data, households, change events and access events; later record
types add themselves from their app's ``AppConfig.ready()``::

    from husly.audit.export import Section, register

    @register("cases", order=40)
    def export_cases(person, user):
        rows = [{"number": c.number, "kind": c.get_kind_display(), ...} for c in ...]
        return Section(key="cases", title=_("Cases"),
                       fields=[("number", _("Case number")), ("kind", _("Kind"))], rows=rows)

An exporter receives the person and the requesting user, returns a ``Section`` (or None to
add nothing), and must return *all* the person's data of its kind, not only what the user may
see on screen: the export answers the person, not the caseworker. Values must be JSON-safe
(strings, numbers, booleans, None, lists, dicts); dates as ISO strings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils import timezone

if TYPE_CHECKING:
    from husly.organisation.models import User
    from husly.people.models import Person


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    fields: list[tuple[str, str]]
    rows: list[dict[str, Any]]
    single: bool = False
    """One record (shown as a list of facts) rather than a table."""
    note: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": str(self.title),
            "fields": {key: str(label) for key, label in self.fields},
            "rows": self.rows,
        }

    def facts(self) -> list[tuple[str, Any]]:
        """(label, value) pairs of the first row, for a single record."""
        row = self.rows[0] if self.rows else {}
        return [(label, row.get(key)) for key, label in self.fields]

    def table(self) -> list[list[Any]]:
        """Rows as lists in field order, for the PDF."""
        return [[row.get(key) for key, _label in self.fields] for row in self.rows]


Exporter = Callable[["Person", "User"], Section | None]


@dataclass(order=True)
class _Registered:
    order: int
    key: str
    function: Exporter = field(compare=False)


_REGISTRY: dict[str, _Registered] = {}


def register(key: str, *, order: int = 100) -> Callable[[Exporter], Exporter]:
    """Register an exporter under ``key`` (unique); sections come out sorted by ``order``."""

    def decorator(function: Exporter) -> Exporter:
        existing = _REGISTRY.get(key)
        if existing is not None and existing.function is not function:
            msg = f"An exporter is already registered as {key!r}."
            raise ValueError(msg)
        _REGISTRY[key] = _Registered(order=order, key=key, function=function)
        return function

    return decorator


def registered_keys() -> list[str]:
    return [item.key for item in sorted(_REGISTRY.values())]


def build_export(person: Person, user: User) -> dict[str, Any]:
    """The whole export as plain data: the sections in order and when it was made."""
    sections = []
    for item in sorted(_REGISTRY.values()):
        section = item.function(person, user)
        if section is not None:
            sections.append(section)
    return {
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "generated_by": user.get_full_name() or user.get_username(),
        "municipality": str(person.municipality),
        "person_number": f"P-{person.pk}",
        "sections": sections,
    }


def export_json(export: dict[str, Any]) -> dict[str, Any]:
    return {**export, "sections": [section.as_json() for section in export["sections"]]}


def plain(value: Any) -> Any:
    """A JSON-safe value for a row."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
