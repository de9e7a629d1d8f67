"""The eviction-prevention procedure as data: one YAML file per version of one municipality's
procedure, validated when it is loaded. Pure Python (no Django), like ``husly.rules.guidelines``.

Format ``husly.arrears-procedure/1`` (see docs/arrears.md for every key). The shipped set is
Rælingen's Appendix 4 point 13 with Appendix 5 "Håndtering av restanser" (NIBR-rapport 2016:23,
raelingen L6028–6076 and L6162–6205). Another municipality writes its own file (other steps,
other days, other copies) and drops it in a directory given to :func:`load_directory`.

Every error names where in the file it is (``$.steps[3].after.days``) and what is wrong, so the
person who edits the file can fix it without reading code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from husly.rules.guidelines.text import Text

__all__ = [
    "FORMAT",
    "PROCEDURES_DIR",
    "Anchor",
    "Copy",
    "Decision",
    "Procedure",
    "ProcedureDefinitionError",
    "Responsible",
    "Step",
    "StepKind",
    "default_procedures",
    "load_definition",
    "load_directory",
    "load_file",
    "procedure_for",
]

FORMAT = "husly.arrears-procedure/1"
LEGAL_NOTICE_DAYS = 14
"""Inkassoloven § 9 and tvangsfullbyrdelsesloven § 4-18: at least 14 days to pay."""
MUNICIPALITY_NUMBER_LENGTH = 4
PROCEDURES_DIR = Path(__file__).parent / "procedures"


class ProcedureDefinitionError(ValueError):
    """A procedure file is malformed; the message says where and what."""


class StepKind(StrEnum):
    """What a step is. The kind decides which letter (if any) the step produces and which
    facts the step records; the procedure decides order, days, conditions and copies."""

    REMINDER = "reminder"
    """Betalingspåminnelse/purring from collections (Appendix 5, handling arrears 1)."""
    COLLECTION_NOTICE = "collection_notice"
    """Inkassovarsel (inkassoloven § 9), at least 14 days to pay (Appendix 4, 13.1–13.2)."""
    MEASURES_MEETING = "measures_meeting"
    """Meeting before a petition: measures agreed, guardian considered (Appendix 4 point 4)."""
    EVICTION_NOTICE = "eviction_notice"
    """Varsel om begjæring om fravikelse, tvangsfullbyrdelsesloven § 4-18 (Appendix 4, 13.4)."""
    PETITION = "petition"
    """Begjæring om fravikelse to the enforcement officer (Appendix 4, 13.6)."""
    EVICTION_DATE = "eviction_date"
    """The date the enforcement officer set, with who attends (Appendix 4, 13.7 and 13.9)."""
    EVICTION = "eviction"
    """The eviction carried out, or called off (Appendix 4, 13.9)."""


LETTER_KINDS = frozenset(
    {StepKind.REMINDER, StepKind.COLLECTION_NOTICE, StepKind.EVICTION_NOTICE, StepKind.PETITION}
)
"""Kinds that produce a letter (PDF) which a person confirms before it is sent."""


class Decision(StrEnum):
    """Who decides that a step is taken. Nothing is ever sent before a person confirms it; a
    ``person`` step is in addition one Husly never even proposes as routine: it shows it as
    "may be taken" and a named person decides whether to take it at all."""

    ROUTINE = "routine"
    PERSON = "person"


class Responsible(StrEnum):
    """Who is responsible for a step (the roles table in raelingen.md § 1.2 and § 1.4)."""

    COLLECTIONS = "collections"
    PROPERTY_UNIT = "property_unit"
    HOUSING_CONSULTANT = "housing_consultant"
    """The social housing consultant (dwellings without services) or the housing coordinator
    (dwellings with services), Appendix 4 point 3."""
    NAV = "nav"
    ENFORCEMENT_OFFICER = "enforcement_officer"


class Copy(StrEnum):
    """Copy recipients of a letter (Appendix 4, 13.4)."""

    NAV_OR_REFUGEE_SERVICE = "nav_or_refugee_service"
    """The refugee service for refugee dwellings, otherwise NAV."""
    HOUSING_CONSULTANT_OR_COORDINATOR = "housing_consultant_or_coordinator"
    """The housing coordinator for dwellings with services, otherwise the social housing
    consultant."""
    CHILD_WELFARE_IF_CHILDREN = "child_welfare_if_children"
    NAV = "nav"
    SERVICE_UNIT = "service_unit"


class Anchor(StrEnum):
    """What a step's due date counts from."""

    FIRST_UNPAID_DUE = "first_unpaid_due"
    """The due date of the oldest unpaid rent."""
    PREVIOUS_DEADLINE = "previous_deadline"
    """The deadline the previous step gave the tenant (or the day it was taken, if none)."""
    PREVIOUS_TAKEN = "previous_taken"


@dataclass(frozen=True)
class Step:
    id: str
    kind: StepKind
    title: Text
    responsible: Responsible
    decision: Decision
    anchor: Anchor
    after_days: int
    """Calendar days after the anchor; a due date on a weekend or holiday moves to the next
    working day."""
    deadline_days: int | None
    """Days the letter gives the tenant; the deadline is rolled forward past weekends and
    holidays (domstolloven § 149 by analogy)."""
    min_months_unpaid: int
    min_collection_notice_months: int
    """The step waits until collection notices have gone out for this many months' rent."""
    blocked_by_repayment_plan: bool
    repeat_per_month: bool
    """The step is due again for each further month of unpaid rent (collection notices)."""
    copies: tuple[Copy, ...]
    legal_basis: str
    source: str
    source_text: Text


@dataclass(frozen=True)
class Procedure:
    id: str
    version: str
    title: Text
    municipality: str
    municipality_numbers: tuple[str, ...]
    valid_from: date
    valid_to: date | None
    source_document: str
    meeting_interval_days: int
    agreement_grace_days: int
    """Days after an instalment's due date before an unpaid instalment breaks the agreement."""
    nav_hold_days: int
    """Days the procedure waits after NAV has said it covers the arrears."""
    steps: tuple[Step, ...]
    checksum: str

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)

    def index(self, step_id: str) -> int:
        return [s.id for s in self.steps].index(step_id)

    def in_force(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class _Reader:
    def __init__(self, data: Any, where: str) -> None:
        if not isinstance(data, dict):
            raise ProcedureDefinitionError(f"{where}: expected a mapping (key: value)")
        self.data: dict[str, Any] = data
        self.where = where

    def allow(self, *keys: str) -> None:
        unknown = set(self.data) - set(keys)
        if unknown:
            raise ProcedureDefinitionError(
                f"{self.where}: unknown keys {sorted(unknown)}; allowed: {sorted(keys)}"
            )

    def string(self, key: str) -> str:
        value = self.data.get(key)
        if not isinstance(value, str | int) or isinstance(value, bool) or not str(value).strip():
            raise ProcedureDefinitionError(f"{self.where}.{key}: a non-empty text is required")
        return str(value).strip()

    def integer(self, key: str, default: int | None = None, *, minimum: int = 0) -> int:
        value = self.data.get(key, default)
        if value is None:
            raise ProcedureDefinitionError(f"{self.where}.{key}: a whole number is required")
        if isinstance(value, bool) or not isinstance(value, int):
            raise ProcedureDefinitionError(
                f"{self.where}.{key}: must be a whole number, not {value!r}"
            )
        if value < minimum:
            raise ProcedureDefinitionError(
                f"{self.where}.{key}: must be at least {minimum}, not {value}"
            )
        return int(value)

    def boolean(self, key: str, default: bool) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise ProcedureDefinitionError(f"{self.where}.{key}: must be true or false")
        return value

    def day(self, key: str, *, required: bool) -> date | None:
        value = self.data.get(key)
        if value is None:
            if required:
                raise ProcedureDefinitionError(f"{self.where}.{key}: a date is required")
            return None
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError as exc:
            raise ProcedureDefinitionError(
                f"{self.where}.{key}: not a date (YYYY-MM-DD): {value!r}"
            ) from exc

    def choice(self, key: str, enum: type[StrEnum], default: str | None = None) -> Any:
        value = self.data.get(key, default)
        try:
            return enum(str(value))
        except ValueError:
            raise ProcedureDefinitionError(
                f"{self.where}.{key}: {value!r} is not one of {[e.value for e in enum]}"
            ) from None

    def text(self, key: str) -> Text:
        sub = _Reader(self.data.get(key), f"{self.where}.{key}")
        sub.allow("nb", "nn")
        return Text(nb=sub.string("nb"), nn=sub.string("nn"))


def _step(raw: Any, where: str, seen: set[str]) -> Step:
    r = _Reader(raw, where)
    r.allow(
        "id",
        "kind",
        "title",
        "responsible",
        "decision",
        "after",
        "deadline_days",
        "when",
        "copies",
        "legal_basis",
        "source",
    )
    step_id = r.string("id")
    if step_id in seen:
        raise ProcedureDefinitionError(f"{where}.id: {step_id!r} is used twice")
    seen.add(step_id)
    kind = r.choice("kind", StepKind)
    after = _Reader(r.data.get("after", {}), f"{where}.after")
    after.allow("from", "days")
    first = len(seen) == 1
    anchor = after.choice("from", Anchor, "first_unpaid_due" if first else "previous_deadline")
    if first and anchor != Anchor.FIRST_UNPAID_DUE:
        raise ProcedureDefinitionError(
            f"{where}.after.from: the first step counts from first_unpaid_due (there is no "
            "previous step)"
        )
    when = _Reader(r.data.get("when", {}), f"{where}.when")
    when.allow(
        "months_unpaid_at_least",
        "collection_notice_months_at_least",
        "no_repayment_plan",
        "repeat_per_month",
    )
    deadline: int | None = None
    if r.data.get("deadline_days") is not None:
        deadline = r.integer("deadline_days", minimum=1)
    if kind in {StepKind.COLLECTION_NOTICE, StepKind.EVICTION_NOTICE} and deadline is None:
        raise ProcedureDefinitionError(
            f"{where}.deadline_days: a {kind.value} must give the tenant a deadline "
            "(inkassoloven § 9 and tvangsfullbyrdelsesloven § 4-18 say 14 days)"
        )
    if (
        kind in {StepKind.COLLECTION_NOTICE, StepKind.EVICTION_NOTICE}
        and deadline is not None
        and deadline < LEGAL_NOTICE_DAYS
    ):
        raise ProcedureDefinitionError(
            f"{where}.deadline_days: {deadline} days is shorter than the 14 days the law "
            "requires for this notice"
        )
    raw_copies = r.data.get("copies", [])
    if not isinstance(raw_copies, list):
        raise ProcedureDefinitionError(f"{where}.copies: must be a list")
    copies = []
    for i, value in enumerate(raw_copies):
        try:
            copies.append(Copy(value))
        except ValueError:
            raise ProcedureDefinitionError(
                f"{where}.copies[{i}]: {value!r} is not one of {[c.value for c in Copy]}"
            ) from None
    source = _Reader(r.data.get("source"), f"{where}.source")
    source.allow("reference", "text")
    decision = r.choice("decision", Decision)
    if kind in {StepKind.EVICTION_NOTICE, StepKind.PETITION, StepKind.EVICTION} and (
        decision != Decision.PERSON
    ):
        raise ProcedureDefinitionError(
            f"{where}.decision: a {kind.value} is always decided by a person (decision: person)"
        )
    return Step(
        id=step_id,
        kind=kind,
        title=r.text("title"),
        responsible=r.choice("responsible", Responsible),
        decision=decision,
        anchor=anchor,
        after_days=after.integer("days", 0),
        deadline_days=deadline,
        min_months_unpaid=when.integer("months_unpaid_at_least", 1),
        min_collection_notice_months=when.integer("collection_notice_months_at_least", 0),
        blocked_by_repayment_plan=when.boolean("no_repayment_plan", True),
        repeat_per_month=when.boolean("repeat_per_month", False),
        copies=tuple(copies),
        legal_basis=str(r.data.get("legal_basis", "") or ""),
        source=source.string("reference"),
        source_text=source.text("text"),
    )


def _checksum(definition: Mapping[str, Any]) -> str:
    import hashlib
    import json

    canonical = json.dumps(definition, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def load_definition(data: Any, *, origin: str = "$") -> Procedure:
    """Validate one procedure definition (the parsed YAML) and return it."""
    r = _Reader(data, origin)
    r.allow(
        "format",
        "id",
        "version",
        "title",
        "municipality",
        "valid_from",
        "valid_to",
        "source_document",
        "editorial_notes",
        "meeting",
        "agreements",
        "nav",
        "steps",
    )
    if r.data.get("format") != FORMAT:
        raise ProcedureDefinitionError(
            f"{origin}.format: must be {FORMAT!r}, not {r.data.get('format')!r}"
        )
    municipality = _Reader(r.data.get("municipality"), f"{origin}.municipality")
    municipality.allow("name", "numbers")
    numbers = municipality.data.get("numbers", [])
    if not isinstance(numbers, list) or not all(
        isinstance(n, str) and len(n) == MUNICIPALITY_NUMBER_LENGTH and n.isdigit() for n in numbers
    ):
        raise ProcedureDefinitionError(
            f"{origin}.municipality.numbers: a list of four-digit municipality numbers in quotes"
        )
    valid_from = r.day("valid_from", required=True)
    valid_to = r.day("valid_to", required=False)
    if valid_from is None:  # pragma: no cover - required=True raises first
        raise ProcedureDefinitionError(f"{origin}.valid_from: a date is required")
    if valid_to is not None and valid_to < valid_from:
        raise ProcedureDefinitionError(f"{origin}.valid_to: before valid_from")
    meeting = _Reader(r.data.get("meeting", {}), f"{origin}.meeting")
    meeting.allow("interval_days")
    agreements = _Reader(r.data.get("agreements", {}), f"{origin}.agreements")
    agreements.allow("grace_days")
    nav = _Reader(r.data.get("nav", {}), f"{origin}.nav")
    nav.allow("hold_days")
    raw_steps = r.data.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise ProcedureDefinitionError(f"{origin}.steps: a list of at least one step is required")
    seen: set[str] = set()
    steps = tuple(_step(raw, f"{origin}.steps[{i}]", seen) for i, raw in enumerate(raw_steps))
    kinds = [s.kind for s in steps]
    order = list(StepKind)
    for i in range(1, len(kinds)):
        if order.index(kinds[i]) < order.index(kinds[i - 1]):
            raise ProcedureDefinitionError(
                f"{origin}.steps[{i}]: a {kinds[i].value} cannot come after a {kinds[i - 1].value}"
            )
    if StepKind.PETITION in kinds and StepKind.EVICTION_NOTICE not in kinds:
        raise ProcedureDefinitionError(
            f"{origin}.steps: a petition needs a notice under tvangsfullbyrdelsesloven § 4-18 "
            "before it (a step of kind eviction_notice)"
        )
    interval = meeting.integer("interval_days", 21, minimum=1)
    return Procedure(
        id=r.string("id"),
        version=r.string("version"),
        title=r.text("title"),
        municipality=municipality.string("name"),
        municipality_numbers=tuple(numbers),
        valid_from=valid_from,
        valid_to=valid_to,
        source_document=r.string("source_document"),
        meeting_interval_days=interval,
        agreement_grace_days=agreements.integer("grace_days", 7),
        nav_hold_days=nav.integer("hold_days", 14),
        steps=steps,
        checksum=_checksum(data),
    )


def load_file(path: Path) -> Procedure:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ProcedureDefinitionError(f"{path.name}: not valid YAML: {exc}") from exc
    return load_definition(data, origin=f"{path.name}: $")


def load_directory(directory: Path) -> tuple[Procedure, ...]:
    procedures = tuple(load_file(p) for p in sorted(directory.glob("*.yaml")))
    seen: dict[tuple[str, str], str] = {}
    for p in procedures:
        if (p.id, p.version) in seen:
            raise ProcedureDefinitionError(f"{p.id} version {p.version} is defined twice")
        seen[(p.id, p.version)] = p.id
    return procedures


@lru_cache(maxsize=1)
def default_procedures() -> tuple[Procedure, ...]:
    """The procedures shipped with Husly, loaded (and validated) once."""
    return load_directory(PROCEDURES_DIR)


def procedure_for(
    municipality_number: str,
    day: date,
    procedures: Iterable[Procedure] | None = None,
    *,
    fallback: bool = True,
) -> Procedure | None:
    """The procedure in force for a municipality on a day; without one of its own (and with
    ``fallback``) the newest shipped procedure, so every municipality has one to start from."""
    pool = tuple(procedures if procedures is not None else default_procedures())
    own = [p for p in pool if municipality_number in p.municipality_numbers and p.in_force(day)]
    if own:
        return max(own, key=lambda p: p.valid_from)
    if not fallback:
        return None
    in_force = [p for p in pool if p.in_force(day)]
    return max(in_force, key=lambda p: p.valid_from) if in_force else None


def by_key(key: str, procedures: Iterable[Procedure] | None = None) -> Procedure:
    """The procedure stored on a case as ``"id@version"``."""
    pool = tuple(procedures if procedures is not None else default_procedures())
    for p in pool:
        if f"{p.id}@{p.version}" == key:
            return p
    raise ProcedureDefinitionError(f"no procedure {key!r}")
