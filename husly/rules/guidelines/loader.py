"""Reading guideline sets from YAML, validating them, and finding the set in force.

One YAML file holds one version of one municipality's guideline (see docs/guidelines.md for the
format). Files in ``husly/rules/guidelines/sets/`` are the built-in sets; a municipality's own
sets can live in any directory (``GuidelineRegistry.from_directory``) or come from the database
as a mapping (``load_set_definition``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from husly.rules.guidelines.facts import FACT_LABELS
from husly.rules.guidelines.kinds import KINDS, GuidelineDefinitionError, check_predicate
from husly.rules.guidelines.model import (
    CriterionRole,
    CriterionSpec,
    ExceptionSpec,
    GuidelineSet,
    NoteKind,
    NoteSpec,
    Predicate,
    ProcedureRule,
    Source,
)
from husly.rules.guidelines.text import Text

__all__ = [
    "SETS_DIR",
    "SET_FORMAT",
    "GuidelineRegistry",
    "checksum_of",
    "default_registry",
    "load_set_definition",
    "load_set_file",
    "sets_for",
]

SET_FORMAT = "husly.guideline-set/1"
SETS_DIR = Path(__file__).parent / "sets"


def checksum_of(definition: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON form of a set definition."""
    canonical = json.dumps(definition, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _normalise(value: Any, where: str) -> Any:
    """Turn YAML data into JSON-safe data: dates to ISO strings, keys to strings."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _normalise(v, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, list):
        return [_normalise(v, f"{where}[{i}]") for i, v in enumerate(value)]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise GuidelineDefinitionError(f"{where}: unsupported YAML value {value!r}")


class _Reader:
    """Typed access to one mapping of the definition, with the path for error messages."""

    def __init__(self, data: Any, where: str) -> None:
        if not isinstance(data, dict):
            raise GuidelineDefinitionError(f"{where}: expected a mapping")
        self.data: dict[str, Any] = data
        self.where = where

    def allow(self, *keys: str) -> None:
        unknown = set(self.data) - set(keys)
        if unknown:
            raise GuidelineDefinitionError(f"{self.where}: unknown keys {sorted(unknown)}")

    def string(self, key: str, default: str | None = None) -> str:
        value = self.data.get(key, default)
        if not isinstance(value, str) or not value.strip():
            raise GuidelineDefinitionError(f"{self.where}.{key}: a non-empty text is required")
        return value.strip()

    def boolean(self, key: str, default: bool) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise GuidelineDefinitionError(f"{self.where}.{key}: must be true or false")
        return value

    def day(self, key: str, *, required: bool) -> date | None:
        value = self.data.get(key)
        if value is None:
            if required:
                raise GuidelineDefinitionError(f"{self.where}.{key}: a date is required")
            return None
        try:
            return date.fromisoformat(str(value))
        except ValueError as exc:
            raise GuidelineDefinitionError(f"{self.where}.{key}: not a date: {value!r}") from exc

    def items(self, key: str) -> list[Any]:
        value = self.data.get(key, [])
        if not isinstance(value, list):
            raise GuidelineDefinitionError(f"{self.where}.{key}: must be a list")
        return value

    def text(self, key: str) -> Text:
        """A bilingual text: ``{nb: ..., nn: ...}``; nynorsk falls back to bokmål if absent."""
        sub = _Reader(self.data.get(key), f"{self.where}.{key}")
        sub.allow("nb", "nn")
        nb = sub.string("nb")
        nn = sub.data.get("nn")
        return Text(nb=nb, nn=sub.string("nn") if nn is not None else nb)

    def source(self) -> Source:
        sub = _Reader(self.data.get("source"), f"{self.where}.source")
        sub.allow("reference", "text")
        return Source(
            point=self.string("point"), reference=sub.string("reference"), text=sub.text("text")
        )

    def predicate(self, key: str) -> Predicate | None:
        raw = self.data.get(key)
        if raw is None:
            return None
        where = f"{self.where}.{key}"
        if isinstance(raw, str):
            predicate = Predicate(name=raw)
        elif isinstance(raw, dict) and len(raw) == 1:
            ((name, argument),) = raw.items()
            predicate = Predicate(name=str(name), argument=argument)
        else:
            raise GuidelineDefinitionError(f"{where}: a predicate is a name or {{name: argument}}")
        check_predicate(predicate, where)
        return predicate


def _version(raw: Any) -> str:
    if isinstance(raw, bool) or not isinstance(raw, str | int) or not str(raw).strip():
        raise GuidelineDefinitionError('$.version: required (text such as "2016")')
    return str(raw).strip()


def _criterion(raw: Any, where: str, *, top_level: bool) -> CriterionSpec:
    r = _Reader(raw, where)
    r.allow("id", "point", "kind", "title", "source", "params", "criteria", "role", "main_rule")
    criterion_id = r.string("id")
    kind = r.string("kind")
    if kind not in KINDS:
        raise GuidelineDefinitionError(f"{where}: unknown kind {kind!r}")
    params = r.data.get("params", {})
    if not isinstance(params, dict):
        raise GuidelineDefinitionError(f"{where}.params: must be a mapping")
    children = tuple(
        _criterion(child, f"{where}.criteria[{i}]", top_level=False)
        for i, child in enumerate(r.items("criteria"))
    )
    if children and not KINDS[kind].composite:
        raise GuidelineDefinitionError(f"{where}: kind {kind!r} takes no sub-criteria")
    role: CriterionRole | None = None
    if top_level:
        try:
            role = CriterionRole(r.string("role", CriterionRole.BASIC.value))
        except ValueError as exc:
            raise GuidelineDefinitionError(f"{where}.role: {exc}") from exc
    elif "role" in r.data:
        raise GuidelineDefinitionError(f"{where}: only top-level criteria have a role")
    spec = CriterionSpec(
        id=criterion_id,
        kind=kind,
        title=r.text("title"),
        source=r.source(),
        params=params,
        children=children,
        role=role,
        main_rule=r.boolean("main_rule", False),
    )
    KINDS[kind].check(spec)
    return spec


def _exception(raw: Any, where: str, top_ids: set[str]) -> ExceptionSpec:
    r = _Reader(raw, where)
    r.allow("id", "point", "title", "source", "applies_to", "indicated_when")
    applies_to = tuple(str(x) for x in r.items("applies_to"))
    if not applies_to:
        raise GuidelineDefinitionError(f"{where}.applies_to: name at least one criterion")
    unknown = set(applies_to) - top_ids
    if unknown:
        raise GuidelineDefinitionError(
            f"{where}.applies_to: not top-level criteria of this set: {sorted(unknown)}"
        )
    return ExceptionSpec(
        id=r.string("id"),
        title=r.text("title"),
        source=r.source(),
        applies_to=applies_to,
        indicated_when=r.predicate("indicated_when"),
    )


def _note(raw: Any, where: str, kind: NoteKind) -> NoteSpec:
    r = _Reader(raw, where)
    r.allow("id", "point", "title", "source", "when", "satisfied_by", "facts_shown")
    when = r.predicate("when")
    if when is None:
        raise GuidelineDefinitionError(f"{where}.when: required (use 'always' if unconditional)")
    satisfied_by = r.data.get("satisfied_by")
    facts_shown = tuple(str(x) for x in r.items("facts_shown"))
    for path in ([satisfied_by] if satisfied_by is not None else []) + list(facts_shown):
        if path not in FACT_LABELS:
            raise GuidelineDefinitionError(f"{where}: unknown fact path {path!r}")
    return NoteSpec(
        id=r.string("id"),
        kind=kind,
        title=r.text("title"),
        source=r.source(),
        when=when,
        satisfied_by=satisfied_by,
        facts_shown=facts_shown,
    )


def _procedure(raw: Any, where: str) -> ProcedureRule:
    r = _Reader(raw, where)
    r.allow("id", "point", "title", "source", "value")
    if "value" not in r.data:
        raise GuidelineDefinitionError(f"{where}.value: required")
    return ProcedureRule(
        id=r.string("id"), title=r.text("title"), source=r.source(), value=r.data["value"]
    )


def load_set_definition(definition: Mapping[str, Any]) -> GuidelineSet:
    """Parse and validate one guideline set from its (YAML or stored JSON) mapping."""
    normalised = _normalise(dict(definition), "$")
    r = _Reader(normalised, "$")
    r.allow(
        "format",
        "id",
        "version",
        "title",
        "municipality",
        "application_kind",
        "valid_from",
        "valid_to",
        "example",
        "source_document",
        "editorial_notes",
        "criteria",
        "exceptions",
        "conditions",
        "considerations",
        "procedure",
    )
    if r.data.get("format") != SET_FORMAT:
        raise GuidelineDefinitionError(f"$.format: must be {SET_FORMAT!r}")
    muni = _Reader(r.data.get("municipality"), "$.municipality")
    muni.allow("name", "numbers")
    numbers = tuple(str(n) for n in muni.items("numbers"))
    if not numbers or not all(len(n) == 4 and n.isdigit() for n in numbers):  # noqa: PLR2004
        raise GuidelineDefinitionError("$.municipality.numbers: four-digit kommunenummer required")
    valid_from = r.day("valid_from", required=True)
    assert valid_from is not None  # noqa: S101 - internal invariant
    valid_to = r.day("valid_to", required=False)
    if valid_to is not None and valid_to < valid_from:
        raise GuidelineDefinitionError("$.valid_to: before valid_from")

    criteria = tuple(
        _criterion(raw, f"$.criteria[{i}]", top_level=True)
        for i, raw in enumerate(r.items("criteria"))
    )
    if not criteria:
        raise GuidelineDefinitionError("$.criteria: a set needs at least one criterion")
    all_ids = [spec.id for top in criteria for spec in top.walk()]
    duplicates = {i for i in all_ids if all_ids.count(i) > 1}
    if duplicates:
        raise GuidelineDefinitionError(f"$.criteria: duplicate ids {sorted(duplicates)}")
    top_ids = {c.id for c in criteria}
    exceptions = tuple(
        _exception(raw, f"$.exceptions[{i}]", top_ids)
        for i, raw in enumerate(r.items("exceptions"))
    )
    notes = tuple(
        _note(raw, f"$.conditions[{i}]", NoteKind.CONDITION)
        for i, raw in enumerate(r.items("conditions"))
    ) + tuple(
        _note(raw, f"$.considerations[{i}]", NoteKind.CONSIDERATION)
        for i, raw in enumerate(r.items("considerations"))
    )
    procedure = tuple(
        _procedure(raw, f"$.procedure[{i}]") for i, raw in enumerate(r.items("procedure"))
    )
    other_ids = [e.id for e in exceptions] + [n.id for n in notes] + [p.id for p in procedure]
    clashes = {i for i in other_ids if other_ids.count(i) > 1 or i in all_ids}
    if clashes:
        raise GuidelineDefinitionError(f"$: ids used twice: {sorted(clashes)}")

    _check_start_loan_limits(r.data.get("application_kind"), criteria)
    return GuidelineSet(
        id=r.string("id"),
        version=_version(r.data.get("version")),
        title=r.text("title"),
        municipality_name=muni.string("name"),
        municipality_numbers=numbers,
        application_kind=r.string("application_kind"),
        valid_from=valid_from,
        valid_to=valid_to,
        is_example=r.boolean("example", False),
        source_document=r.string("source_document"),
        editorial_notes=tuple(str(n) for n in r.items("editorial_notes")),
        criteria=criteria,
        exceptions=exceptions,
        notes=notes,
        procedure=procedure,
        definition=normalised,
        checksum=checksum_of(normalised),
    )


START_LOAN_FORBIDDEN_KINDS = {
    "income_ceiling_g": "absolute income limits",
    "wealth_ceiling": "absolute wealth limits",
    "min_age": "age limits",
}
"""Criterion kinds a start-loan guideline may not use: municipal start-loan guidelines may not
be absolute (e.g. "never above 4.5 G") and may not set age limits (Husbanken, Veileder for
startlån, Kommunale retningslinjer: ikke absolutte; ikke i strid med forskriften)."""


def _check_start_loan_limits(kind: object, criteria: tuple[CriterionSpec, ...]) -> None:
    if kind != "start_loan":
        return
    for top in criteria:
        for spec in top.walk():
            if spec.kind in START_LOAN_FORBIDDEN_KINDS:
                raise GuidelineDefinitionError(
                    f"criterion {spec.id!r}: a start-loan guideline may not set "
                    f"{START_LOAN_FORBIDDEN_KINDS[spec.kind]} (Husbanken, Veileder for startlån, "
                    "Kommunale retningslinjer)"
                )


def load_set_file(path: Path) -> GuidelineSet:
    """Load one guideline set from a YAML file."""
    with path.open(encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    if not isinstance(raw, dict):
        raise GuidelineDefinitionError(f"{path}: expected a mapping at the top level")
    try:
        return load_set_definition(raw)
    except GuidelineDefinitionError as exc:
        raise GuidelineDefinitionError(f"{path.name}: {exc}") from exc


class GuidelineRegistry:
    """A collection of guideline sets, with look-up by municipality, date and id/version."""

    def __init__(self, sets: Iterable[GuidelineSet]) -> None:
        self.sets: tuple[GuidelineSet, ...] = tuple(sets)
        seen: dict[tuple[str, str], GuidelineSet] = {}
        for s in self.sets:
            if (s.id, s.version) in seen:
                raise GuidelineDefinitionError(f"set {s.id} version {s.version} appears twice")
            seen[(s.id, s.version)] = s
        for a in self.sets:
            for b in self.sets:
                if a is not b and a.id == b.id and _overlap(a, b):
                    raise GuidelineDefinitionError(
                        f"set {a.id}: versions {a.version} and {b.version} overlap in time"
                    )

    @classmethod
    def from_directory(cls, directory: Path) -> GuidelineRegistry:
        """Load every ``*.yaml`` file in ``directory``."""
        return cls(load_set_file(p) for p in sorted(directory.glob("*.yaml")))

    def get(self, set_id: str, version: str) -> GuidelineSet:
        """The set with this id and version."""
        for s in self.sets:
            if s.id == set_id and s.version == version:
                return s
        raise KeyError(f"{set_id} version {version}")

    def for_municipality(
        self,
        municipality_number: str,
        on: date,
        *,
        application_kind: str | None = None,
        include_examples: bool = False,
    ) -> list[GuidelineSet]:
        """Sets of this municipality (any of its kommunenummer) in force on ``on``.

        Example sets (``example: true``, e.g. the Oslo-like illustration) are left out unless
        ``include_examples``. Newest ``valid_from`` first.
        """
        found = [
            s
            for s in self.sets
            if municipality_number in s.municipality_numbers
            and s.is_valid_on(on)
            and (application_kind is None or s.application_kind == application_kind)
            and (include_examples or not s.is_example)
        ]
        return sorted(found, key=lambda s: s.valid_from, reverse=True)


def _overlap(a: GuidelineSet, b: GuidelineSet) -> bool:
    a_end = a.valid_to or date.max
    b_end = b.valid_to or date.max
    return a.valid_from <= b_end and b.valid_from <= a_end


@lru_cache(maxsize=1)
def default_registry() -> GuidelineRegistry:
    """The built-in sets shipped in ``husly/rules/guidelines/sets/`` (loaded once)."""
    return GuidelineRegistry.from_directory(SETS_DIR)


def sets_for(
    municipality_number: str,
    on: date,
    *,
    application_kind: str | None = None,
    include_examples: bool = False,
) -> list[GuidelineSet]:
    """Built-in sets for a municipality in force on a date (see
    :meth:`GuidelineRegistry.for_municipality`)."""
    return default_registry().for_municipality(
        municipality_number,
        on,
        application_kind=application_kind,
        include_examples=include_examples,
    )
