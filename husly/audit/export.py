"""Everything Husly holds about one person, for the right of access (GDPR art. 15).

The export is a list of sections, each built by an *exporter* registered here. Every app keeps
its exporters in its own ``exporters`` module, which the audit app imports when it is ready
(``autodiscover``), and names the models a section covers::

    from husly.audit.export import Scope, Section, register

    @register("leases", order=70, models=[Lease])
    def export_leases(person, scope):
        rows = [{"dwelling": str(lease.dwelling), ...}
                for lease in Lease.objects.filter(household_id__in=scope.household_ids)]
        return Section(key="leases", title=_("Leases"),
                       fields=[("dwelling", _("Dwelling")), ...], rows=rows)

An exporter receives the person and the ``Scope`` of the request, returns a ``Section`` (or
None to add nothing), and must return *all* the person's data of its kind, not only what the
requesting user may see on screen: the export answers the person, not the caseworker. Values
must be JSON-safe (strings, numbers, booleans, None, lists, dicts); dates as ISO strings.

Two kinds of export use the same exporters (``Scope.self_service``):

- the full export, made by a role that handles access requests (``EXPORT_ROLES``) on the
  person's request, holds everything, including the internal working records (journal notes,
  drafts of decisions, allocation-meeting reasons, every change event); the municipality
  reviews it before handing it out (art. 15(4));
- the household's own download from Min side holds what Min side shows the person and their
  own registered data, of households where they are an adult; internal working records are
  left out (an exporter checks ``scope.self_service``) and the full export is on request.

Completeness is checked: every model with a foreign key to a person or household, directly or
through another such model, must be named by some exporter (tests/audit/test_export_registry).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Model
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from husly.organisation.models import Role

if TYPE_CHECKING:
    from husly.organisation.models import User
    from husly.people.models import Person

EXPORT_ROLES = frozenset({Role.ADMINISTRATOR})
"""The roles that handle access requests and may make the full export of any person in their
municipality (docs/privacy-and-security.md, role table). Caseworkers read through the case
access rules instead."""


@dataclass(frozen=True)
class Scope:
    """Who asked for the export and how far it reaches."""

    user: User
    household_ids: frozenset[int]
    """The households whose records (cases, waiting list, leases) belong in the export."""
    self_service: bool = False
    """The person's own download from Min side: internal working records are left out."""


WIDEST_TABLE = 6


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

    @property
    def wide(self) -> bool:
        """Too many fields for a table across an A4 page: the PDF shows each row as a list."""
        return len(self.fields) > WIDEST_TABLE

    def records(self) -> list[list[tuple[str, Any]]]:
        """Each row as (label, value) pairs, for a wide section in the PDF."""
        return [[(label, row.get(key)) for key, label in self.fields] for row in self.rows]


Exporter = Callable[["Person", Scope], Section | None]


@dataclass(order=True)
class _Registered:
    order: int
    key: str
    function: Exporter = field(compare=False)
    models: tuple[type[Model], ...] = field(compare=False, default=())


_REGISTRY: dict[str, _Registered] = {}


def register(
    key: str, *, order: int = 100, models: Iterable[type[Model]] = ()
) -> Callable[[Exporter], Exporter]:
    """Register an exporter under ``key`` (unique); sections come out sorted by ``order``.
    ``models`` are the models whose records about the person the section holds."""

    def decorator(function: Exporter) -> Exporter:
        existing = _REGISTRY.get(key)
        if existing is not None and existing.function is not function:
            msg = f"An exporter is already registered as {key!r}."
            raise ValueError(msg)
        _REGISTRY[key] = _Registered(order=order, key=key, function=function, models=tuple(models))
        return function

    return decorator


def registered_keys() -> list[str]:
    return [item.key for item in sorted(_REGISTRY.values())]


def covered_models() -> set[type[Model]]:
    """Every model some registered exporter holds."""
    return {model for item in _REGISTRY.values() for model in item.models}


def autodiscover() -> None:
    """Import every installed app's ``exporters`` module, which registers its sections."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("exporters")


def build_export(person: Person, scope: Scope) -> dict[str, Any]:
    """The whole export as plain data: the sections in order and when it was made."""
    sections = []
    for item in sorted(_REGISTRY.values()):
        section = item.function(person, scope)
        if section is not None:
            sections.append(section)
    user = scope.user
    return {
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "generated_by": (
            _("the person themself (My page)")
            if scope.self_service
            else user.get_full_name() or user.get_username()
        ),
        "self_service": scope.self_service,
        "municipality": str(person.municipality),
        "person_number": f"P-{person.pk}",
        "sections": sections,
    }


def export_json(export: dict[str, Any]) -> dict[str, Any]:
    return {**export, "sections": [section.as_json() for section in export["sections"]]}


def render_json(export: dict[str, Any]) -> bytes:
    return json.dumps(export_json(export), ensure_ascii=False, indent=2).encode()


def render_pdf(export: dict[str, Any]) -> bytes:
    """The export as a tagged PDF/UA-1 (husly.core.pdf), in the active language."""
    from husly.core.pdf import render_pdf as tagged_pdf

    html = render_to_string("audit/export_pdf.html", {"export": export})
    css = Path(settings.BASE_DIR) / "husly" / "static" / "husly" / "export.css"
    return tagged_pdf(html, stylesheets=[css])


def download(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def plain(value: Any) -> Any:
    """A JSON-safe value for a row."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def full_scope(person: Person, user: User) -> Scope:
    """The full export: every household the person belongs to or has belonged to."""
    return Scope(
        user=user,
        household_ids=frozenset(person.memberships.values_list("household_id", flat=True)),
    )
