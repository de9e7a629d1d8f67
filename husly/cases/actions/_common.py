"""Helpers shared by the case actions."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from husly.audit.events import record_change
from husly.cases.models import (
    Case,
    JournalNote,
    NoteKind,
)
from husly.core.actions import create_audited
from husly.organisation.models import User


def _applicant_id(case: Case) -> int | None:
    member = case.household.members.filter(relation="applicant").first()
    return member.person_id if member else None


def _routings_set(
    actor: User, case: Case, *, old: str, new: str, help_kind: str | None = None
) -> None:
    """Move the case's routings (its units' parts) from ``old`` to ``new`` status, only those
    for ``help_kind`` if given, and audit which ones moved."""
    routings = case.routings.filter(status=old)
    if help_kind is not None:
        routings = routings.filter(help_kind=help_kind)
    kinds = sorted(routings.values_list("help_kind", flat=True))
    if kinds:
        routings.update(status=new)
        _record(actor, "case_routing_status", case, {f"routing:{k}": [old, new] for k in kinds})


def _record(
    actor: User | None, action: str, case: Case, changes: dict[str, Any], instance: Any = None
) -> None:
    record_change(
        actor=actor,
        action=action,
        instance=instance or case,
        municipality=case.municipality,
        changes=changes,
        person_id=_applicant_id(case),
    )


def _journal(actor: User, case: Case, text: str) -> JournalNote:
    """The journal note an action writes by itself."""
    note = JournalNote(
        case=case, author=actor, kind=NoteKind.NOTE, held_on=timezone.localdate(), text=text
    )
    return create_audited(
        actor=actor,
        action="journal_note_add",
        instance=note,
        municipality=case.municipality,
        person_id=_applicant_id(case),
    )
