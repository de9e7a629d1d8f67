"""Data types of the guideline engine: the parsed guideline set, the caseworker's inputs, and
the evaluation result with its trace. All are frozen dataclasses; see ``serialise`` for storage."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from husly.rules.guidelines.facts import CaseFacts
from husly.rules.guidelines.serialise import JsonValue, from_json, to_json
from husly.rules.guidelines.text import Text

__all__ = [
    "EVALUATION_FORMAT",
    "CaseworkerAssessment",
    "CriterionResult",
    "CriterionRole",
    "CriterionSpec",
    "EvaluationInput",
    "EvaluationResult",
    "ExceptionResult",
    "ExceptionSpec",
    "FactUsed",
    "GuidelineSet",
    "InvokedException",
    "NoteKind",
    "NoteResult",
    "NoteSpec",
    "Outcome",
    "OverallOutcome",
    "Predicate",
    "ProcedureRule",
    "SetReference",
    "Source",
    "Waiver",
]

EVALUATION_FORMAT = "husly.guideline-evaluation/1"


class Outcome(StrEnum):
    """The result of one criterion."""

    MET = "met"
    NOT_MET = "not_met"
    NEEDS_JUDGEMENT = "needs_judgement"


class OverallOutcome(StrEnum):
    """The result of a whole guideline set for one case."""

    MEETS = "meets"
    MEETS_WITH_EXCEPTION = "meets_with_exception"
    DOES_NOT_MEET = "does_not_meet"
    NEEDS_JUDGEMENT = "needs_judgement"


class CriterionRole(StrEnum):
    """How a top-level criterion counts in the overall result.

    Both roles must be met (or excepted) for the overall result to be *meets*. ``basic`` marks the
    basic conditions (*grunnvilkår*, Rælingen 5.1: points 5.2–5.6); ``precondition`` marks other
    requirements for *tilsagn* (Rælingen 5.7). The distinction is shown to the caseworker and
    decides nothing by itself: which exceptions apply is listed per exception.
    """

    BASIC = "basic"
    PRECONDITION = "precondition"


class NoteKind(StrEnum):
    """A non-criterion entry in a set: a condition to attach to the decision (*vilkår i vedtak*)
    or a consideration the caseworker must weigh (*skal vektlegges*)."""

    CONDITION = "condition"
    CONSIDERATION = "consideration"


@dataclass(frozen=True)
class Source:
    """Where a rule comes from: the guideline point, the line reference and its text."""

    point: str
    reference: str
    text: Text


@dataclass(frozen=True)
class Predicate:
    """A small test on the facts: ``always``, ``fact_is_true`` (argument: fact path),
    ``household_has_children`` or ``applicant_younger_than`` (argument: years)."""

    name: str
    argument: str | int | None = None


@dataclass(frozen=True)
class CriterionSpec:
    """One criterion of a guideline set, as parsed from YAML."""

    id: str
    kind: str
    title: Text
    source: Source
    params: dict[str, Any] = field(default_factory=dict)
    children: tuple[CriterionSpec, ...] = ()
    role: CriterionRole | None = None
    main_rule: bool = False
    """The guideline says "som hovedregel": deviation is possible with stated reasons."""

    def walk(self) -> Iterator[CriterionSpec]:
        """This criterion and all its sub-criteria, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class ExceptionSpec:
    """A ground on which the caseworker may set aside one or more criteria."""

    id: str
    title: Text
    source: Source
    applies_to: tuple[str, ...]
    indicated_when: Predicate | None = None


@dataclass(frozen=True)
class NoteSpec:
    """A condition for the decision or a consideration to weigh, shown with the result."""

    id: str
    kind: NoteKind
    title: Text
    source: Source
    when: Predicate
    satisfied_by: str | None = None
    facts_shown: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProcedureRule:
    """A procedural rule of the guideline (deadlines, letter contents, lease term), as data."""

    id: str
    title: Text
    source: Source
    value: JsonValue


@dataclass(frozen=True)
class GuidelineSet:
    """One version of one municipality's guideline, valid from ``valid_from`` to ``valid_to``
    (inclusive; ``None`` means still in force)."""

    id: str
    version: str
    title: Text
    municipality_name: str
    municipality_numbers: tuple[str, ...]
    application_kind: str
    valid_from: date
    valid_to: date | None
    is_example: bool
    source_document: str
    editorial_notes: tuple[str, ...]
    criteria: tuple[CriterionSpec, ...]
    exceptions: tuple[ExceptionSpec, ...]
    notes: tuple[NoteSpec, ...]
    procedure: tuple[ProcedureRule, ...]
    definition: dict[str, Any]
    """The JSON-safe definition this set was parsed from (stored with every evaluation)."""
    checksum: str
    """SHA-256 of the canonical JSON of ``definition``."""

    def is_valid_on(self, day: date) -> bool:
        """True if the set is in force on ``day``."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def all_criteria(self) -> Iterator[CriterionSpec]:
        """Every criterion and sub-criterion, depth first."""
        for criterion in self.criteria:
            yield from criterion.walk()

    def criterion(self, criterion_id: str) -> CriterionSpec:
        """The criterion or sub-criterion with this id."""
        for spec in self.all_criteria():
            if spec.id == criterion_id:
                return spec
        raise KeyError(criterion_id)

    def procedure_value(self, rule_id: str) -> JsonValue:
        """The value of a procedural rule, e.g. ``procedure_value("7.4")``."""
        for rule in self.procedure:
            if rule.id == rule_id:
                return rule.value
        raise KeyError(rule_id)


# --- inputs from the caseworker --------------------------------------------------------------


@dataclass(frozen=True)
class CaseworkerAssessment:
    """The caseworker's discretionary assessment of a ``judgement`` criterion.

    Forvaltningsloven § 25 third paragraph requires the main considerations of a discretionary
    assessment to be stated, so ``reason`` is mandatory.
    """

    criterion_id: str
    outcome: Outcome
    reason: str
    assessed_by: str = ""
    assessed_on: date | None = None


@dataclass(frozen=True)
class InvokedException:
    """The caseworker invokes an exception of the set for some criteria, with reasons."""

    exception_id: str
    criterion_ids: tuple[str, ...]
    reason: str
    invoked_by: str = ""
    invoked_on: date | None = None


@dataclass(frozen=True)
class EvaluationInput:
    """Everything an evaluation depends on besides the guideline set itself."""

    facts: CaseFacts
    grunnbelop: int | None = None
    """The grunnbeløp G in kroner for the assessment date, if the set uses G."""
    assessments: tuple[CaseworkerAssessment, ...] = ()
    invoked_exceptions: tuple[InvokedException, ...] = ()


# --- results -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FactUsed:
    """One fact a result looked at, with its Norwegian label and its value (dates as ISO text)."""

    path: str
    label: Text
    value: str | int | bool | None


@dataclass(frozen=True)
class CriterionResult:
    """The trace of one criterion: what it says, what it looked at, what came out and why."""

    criterion_id: str
    kind: str
    point: str
    source_reference: str
    title: Text
    outcome: Outcome
    explanation: Text
    facts_used: tuple[FactUsed, ...] = ()
    children: tuple[CriterionResult, ...] = ()
    role: CriterionRole | None = None
    main_rule: bool = False
    assessment: CaseworkerAssessment | None = None
    judgeable: bool = False
    """The set hands this criterion to the caseworker's judgement (a ``judgement`` criterion, or
    e.g. an EEA right of residence that the set sends to discretion): it takes a
    :class:`CaseworkerAssessment`."""

    def walk(self) -> Iterator[CriterionResult]:
        """This result and all sub-results, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class ExceptionResult:
    """Whether an exception could apply, whether the facts point to it, and whether it was used."""

    exception_id: str
    point: str
    source_reference: str
    title: Text
    available_for: tuple[str, ...]
    """Criteria it covers that are not met or need judgement: where it *could* apply."""
    indicated: bool | None
    """The facts point to the ground (e.g. daily care of children); ``None``: no indicator or
    unknown."""
    indicator_facts: tuple[FactUsed, ...] = ()
    invoked_for: tuple[str, ...] = ()
    reason: str = ""


@dataclass(frozen=True)
class Waiver:
    """One criterion set aside by an exception, with the caseworker's own reason for it.

    Rælingen 5.1 (raelingen L5361–5368): "Det kan gjøres unntak fra en eller flere av kravene";
    each requirement set aside is named with its ground and reason (forvaltningsloven § 25), so
    the decision letter can list them one by one. Only a criterion that is *not met* can be set
    aside: one that still needs judgement or facts is assessed first.
    """

    criterion_id: str
    point: str
    title: Text
    exception_id: str
    exception_point: str
    exception_title: Text
    reason: str
    invoked_by: str = ""


@dataclass(frozen=True)
class NoteResult:
    """A condition or consideration and whether it applies to this case."""

    note_id: str
    kind: NoteKind
    point: str
    source_reference: str
    title: Text
    text: Text
    applies: bool | None
    satisfied: bool | None = None
    facts_used: tuple[FactUsed, ...] = ()


@dataclass(frozen=True)
class SetReference:
    """Which guideline set was used, with its full definition for exact re-evaluation."""

    id: str
    version: str
    title: Text
    municipality_name: str
    checksum: str
    definition: dict[str, Any]


@dataclass(frozen=True)
class EvaluationResult:
    """The full, storable result of evaluating one case against one guideline set."""

    engine_version: str
    guideline_set: SetReference
    input: EvaluationInput
    outcome: OverallOutcome
    summary: Text
    criteria: tuple[CriterionResult, ...]
    exceptions: tuple[ExceptionResult, ...]
    notes: tuple[NoteResult, ...]
    waivers: tuple[Waiver, ...] = ()
    """Every criterion an invoked exception set aside, one entry per criterion, in set order."""
    format: str = EVALUATION_FORMAT

    def criterion(self, criterion_id: str) -> CriterionResult:
        """The result of the criterion or sub-criterion with this id."""
        for top in self.criteria:
            for result in top.walk():
                if result.criterion_id == criterion_id:
                    return result
        raise KeyError(criterion_id)

    def exception(self, exception_id: str) -> ExceptionResult:
        """The result for the exception with this id."""
        for result in self.exceptions:
            if result.exception_id == exception_id:
                return result
        raise KeyError(exception_id)

    def note(self, note_id: str) -> NoteResult:
        """The result for the condition or consideration with this id."""
        for result in self.notes:
            if result.note_id == note_id:
                return result
        raise KeyError(note_id)

    def to_dict(self, *, include_definition: bool = True) -> dict[str, JsonValue]:
        """JSON-safe form: inputs, set id, version, checksum and definition, every result.

        With ``include_definition=False`` the set's full definition is left out (about two thirds
        of the size); re-evaluation then needs the set, unchanged, in a registry.
        """
        data = to_json(self)
        assert isinstance(data, dict)  # noqa: S101 - internal invariant
        if not include_definition:
            reference = data["guideline_set"]
            assert isinstance(reference, dict)  # noqa: S101 - internal invariant
            reference["definition"] = {}
        return data

    @classmethod
    def from_dict(cls, data: dict[str, JsonValue]) -> EvaluationResult:
        """Read a stored result back exactly (strict: unknown keys or bad values raise)."""
        if data.get("format") != EVALUATION_FORMAT:
            raise ValueError(
                f"unknown record format {data.get('format')!r}; expected {EVALUATION_FORMAT!r}"
            )
        return from_json(cls, data)
