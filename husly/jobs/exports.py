"""Large exports on the job queue (ADR 0034): an app registers a kind of export, the user asks
for it (``export_queue``), the job ``exports_make`` builds the file as that user and stores it,
and the user downloads it from its state page. The registry lives here; the apps above register
their kinds in ``AppConfig.ready`` (the lower app never imports them).

An export kind says who may ask for it (``roles`` in the municipality, for the action's own
check), how to check a user's access to exactly what it exports (``check``: the app's access
function, raising ``Http404``; run when asked, when built and on every download) and how to
build it (``build``: bytes, file name and content type, in the language it was asked in).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from husly.organisation.models import Municipality, User

Built = tuple[bytes, str, str]
"""The file's bytes, its name and its content type."""


@dataclass(frozen=True)
class ExportKind:
    label: Any
    roles: frozenset[str]
    check: Callable[[User, Mapping[str, Any]], Municipality]
    """The municipality of what is exported, or ``Http404`` when the user may not see it."""
    build: Callable[[User, Mapping[str, Any]], Built]


EXPORTS: dict[str, ExportKind] = {}


def register_export(name: str, kind: ExportKind) -> None:
    EXPORTS[name] = kind


def export_kind(name: str) -> ExportKind:
    return EXPORTS[name]
