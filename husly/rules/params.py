"""Dated parameters: a YAML tree loaded and validated once.

Layout (see ``docs/rules-engine.md``): every ``.yaml`` file under ``husly/rules/parameters/`` is a
node; folders are nodes too. A mapping with a ``values`` key is a *leaf* (one parameter). Its
dotted path is built from folder names, the file name and the keys inside the file, for example
``national.housing_allowance.coverage_rate`` or
``municipal.3224.start_loan.establishment_fee_rate``.

Each leaf has a description, a label in bokmål (``label_nb``, required) and optionally in nynorsk
and English (``label_nn``, ``label_en``), a type, and ``values``. Choices and the keys of a map
may be named for people in ``value_labels`` (code -> ``{nb, nn, en}``), so an explanation never
shows a code such as ``deducted_from_loan``. Then ``values``: a map from the date a value
takes effect (valid from) to the value. A value holds until the next date, or until its own
``valid_to``. Every value carries a unit, at least one legal or documentary reference and the date
someone last checked it (inherited from the leaf when not given per value), plus ``confirmed``
(false for values the spec marks [U]) and an optional note. A value may be ``status: unknown``:
the period is known to have a different value that has not been verified, so computing for a date
in it is an error rather than a guess.

Load errors (:class:`~husly.rules.errors.ParameterFileError`): unknown unit or type, unknown keys,
duplicate keys or dates, gaps and overlaps between dated values, missing reference or check date,
values of the wrong shape.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import functools
import hashlib
import itertools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from husly.rules.errors import OutsideParameterCoverageError, ParameterFileError
from husly.rules.language import Texts, date_in, each, pick, quote

PARAMETERS_ROOT = Path(__file__).resolve().parent / "parameters"

#: Units a parameter value may have. Anything else is a load error.
UNITS: Mapping[str, str] = {
    "NOK": "kroner (one-off amount)",
    "NOK/year": "kroner per year",
    "NOK/month": "kroner per month",
    "ratio": "a share, 0.737 = 73.7 %",
    "annual_rate": "nominal interest rate per year, 0.05 = 5 %",
    "weight": "a household weight factor",
    "years": "years",
    "months": "months",
    "persons": "number of persons",
    "code": "a category code",
    "name": "a proper name",
    "index": "an index value (2015 = 100)",
}

PARAMETER_TYPES = frozenset(
    {"number", "number_list", "number_map", "text_map", "choice", "age_bands"}
)

Sex = Literal["any", "female", "male"]

_LEAF_KEYS = frozenset(
    {
        "description",
        "label_nb",
        "label_nn",
        "label_en",
        "type",
        "unit",
        "reference",
        "last_checked",
        "values",
        "index",
        "length",
        "choices",
        "key_pattern",
        "value_labels",
        "note",
    }
)
_NODE_META_KEYS = frozenset({"description", "label_nb", "label_nn", "label_en", "note"})
#: Labels besides ``label_nb`` that a leaf or node may have: optional, but never empty.
_OPTIONAL_LABELS = ("label_nn", "label_en")
_ENTRY_KEYS = frozenset(
    {"value", "unit", "reference", "last_checked", "confirmed", "note", "valid_to", "status"}
)
_BAND_KEYS = frozenset({"min_age", "max_age", "sex", "amount", "note"})
_MAX_AGE = 130


@dataclass(frozen=True)
class Reference:
    """A legal or documentary source: a title (for example "Forskrift om bustøtte § 3")."""

    title: str
    href: str | None = None


#: A text in bokmål, nynorsk and English (the last two may be missing: bokmål is shown then).
Labels = tuple[str, str | None, str | None]

_AGE_WORDS: Mapping[str, Labels] = {
    "years": ("år", "år", "years"),
    "and_over": ("år og eldre", "år og eldre", "and over"),
    "female": ("kvinner", "kvinner", "women"),
    "male": ("menn", "menn", "men"),
}


@dataclass(frozen=True)
class AgeBand:
    """An amount for persons aged ``min_age``..``max_age`` (inclusive; None = no upper limit)."""

    min_age: int
    max_age: int | None
    sex: Sex
    amount: float

    def describe(self, language: str | None) -> str:
        """Who the band is for, e.g. ``"6–19 år"``, ``"67 år og eldre, kvinner"``."""
        words = {key: pick(language, *texts) for key, texts in _AGE_WORDS.items()}
        if self.max_age is None:
            ages = f"{self.min_age} {words['and_over']}"
        else:
            ages = f"{self.min_age}–{self.max_age} {words['years']}"
        return ages if self.sex == "any" else f"{ages}, {words[self.sex]}"


ParameterValue = (
    float | tuple[float, ...] | Mapping[str, float] | Mapping[str, str] | str | tuple[AgeBand, ...]
)


@dataclass(frozen=True)
class ValueEntry:
    """One dated value of a parameter, as written in the YAML file."""

    valid_from: dt.date
    valid_to: dt.date | None
    value: ParameterValue | None
    unit: str
    references: tuple[Reference, ...]
    last_checked: dt.date
    confirmed: bool
    note: str | None
    known: bool


@dataclass(frozen=True)
class ResolvedValue:
    """The value of one parameter on one date, with everything a caseworker needs to check it."""

    path: str
    label_nb: str
    label_nn: str | None
    label_en: str | None
    description: str
    value: ParameterValue
    unit: str
    valid_from: dt.date
    valid_to: dt.date | None
    references: tuple[Reference, ...]
    last_checked: dt.date
    confirmed: bool
    note: str | None
    value_labels: Mapping[str, Labels] = field(default_factory=dict)

    def label_in(self, language: str | None) -> str:
        """The label in ``language`` (``nb``, ``nn`` or ``en``); bokmål if there is none."""
        return pick(language, self.label_nb, self.label_nn, self.label_en)

    def value_label_in(self, code: str, language: str | None) -> str:
        """What a choice or map key means, in ``language``; the code itself if unnamed."""
        labels = self.value_labels.get(code)
        return pick(language, *labels) if labels else code

    def _wrong(self, expected: str) -> ParameterFileError:
        return ParameterFileError(self.path, f"expected a {expected}, got {self.value!r}")

    def _check_unit(self, unit: str | None) -> None:
        if unit is not None and self.unit != unit:
            raise ParameterFileError(
                self.path, f"value from {self.valid_from} has unit {self.unit!r}, expected {unit!r}"
            )

    def as_number(self, unit: str | None = None) -> float:
        """The value as a float, checking the unit when given."""
        self._check_unit(unit)
        if isinstance(self.value, float):
            return self.value
        raise self._wrong("number")

    def as_number_list(self, unit: str | None = None) -> tuple[float, ...]:
        """The value as a tuple of floats."""
        self._check_unit(unit)
        if isinstance(self.value, tuple) and all(isinstance(v, float) for v in self.value):
            return tuple(float(v) for v in self.value if isinstance(v, float))
        raise self._wrong("number list")

    def as_number_map(self, unit: str | None = None) -> dict[str, float]:
        """The value as a mapping from a key to a float."""
        self._check_unit(unit)
        if isinstance(self.value, Mapping):
            out = {k: v for k, v in self.value.items() if isinstance(v, float)}
            if len(out) == len(self.value):
                return out
        raise self._wrong("number map")

    def as_text_map(self) -> dict[str, str]:
        """The value as a mapping from a key to a text."""
        if isinstance(self.value, Mapping):
            out = {k: v for k, v in self.value.items() if isinstance(v, str)}
            if len(out) == len(self.value):
                return out
        raise self._wrong("text map")

    def as_choice(self) -> str:
        """The value as one of the leaf's declared choices."""
        if isinstance(self.value, str):
            return self.value
        raise self._wrong("choice")

    def as_age_bands(self, unit: str | None = None) -> tuple[AgeBand, ...]:
        """The value as a tuple of age bands."""
        self._check_unit(unit)
        if isinstance(self.value, tuple) and all(isinstance(b, AgeBand) for b in self.value):
            return tuple(b for b in self.value if isinstance(b, AgeBand))
        raise self._wrong("age band table")

    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON-friendly data for storing with a decision or showing in the UI."""
        value: Any = self.value
        if isinstance(value, tuple) and value and isinstance(value[0], AgeBand):
            value = [
                {"min_age": b.min_age, "max_age": b.max_age, "sex": b.sex, "amount": b.amount}
                for b in value
                if isinstance(b, AgeBand)
            ]
        elif isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, Mapping):
            value = dict(value)
        return {
            "path": self.path,
            "label_nb": self.label_nb,
            "label_nn": self.label_nn,
            "label_en": self.label_en,
            "value": value,
            "unit": self.unit,
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "references": [{"title": r.title, "href": r.href} for r in self.references],
            "last_checked": self.last_checked.isoformat(),
            "confirmed": self.confirmed,
            "note": self.note,
        }


@dataclass(frozen=True)
class Parameter:
    """One leaf of the tree: a parameter with its dated values."""

    path: str
    description: str
    label_nb: str
    label_nn: str | None
    label_en: str | None
    kind: str
    entries: tuple[ValueEntry, ...]
    source: str
    value_labels: Mapping[str, Labels] = field(default_factory=dict)

    def label_in(self, language: str | None) -> str:
        """The label in ``language`` (``nb``, ``nn`` or ``en``); bokmål if there is none."""
        return pick(language, self.label_nb, self.label_nn, self.label_en)

    @property
    def first_date(self) -> dt.date:
        return self.entries[0].valid_from

    def _end_of(self, i: int) -> dt.date | None:
        entry = self.entries[i]
        if entry.valid_to is not None:
            return entry.valid_to
        if i + 1 < len(self.entries):
            return self.entries[i + 1].valid_from - dt.timedelta(days=1)
        return None

    def _words(self, on: dt.date, limit: dt.date) -> tuple[Texts, Texts, Texts]:
        """The label, the date asked for and the limit, in each language (for an error)."""
        return (
            each(lambda language: quote(self.label_in(language), language)),
            each(lambda language: date_in(on, language)),
            each(lambda language: date_in(limit, language)),
        )

    def at(self, on: dt.date, field: str = "date") -> ResolvedValue:
        """The value in force on ``on``. Raises OutsideParameterCoverageError (naming ``field``)."""
        starts = [e.valid_from for e in self.entries]
        i = bisect.bisect_right(starts, on) - 1
        if i < 0:
            label, when, first = self._words(on, self.first_date)
            raise OutsideParameterCoverageError(
                field,
                self.path,
                nb=f"Husly har ikke regler for {label.nb} før {first.nb}, så beregningen kan "
                f"ikke gjøres for datoen {when.nb}.",
                nn=f"Husly har ikkje reglar for {label.nn} før {first.nn}, så utrekninga kan "
                f"ikkje gjerast for datoen {when.nn}.",
                en=f"Husly has no rules for {label.en} before {first.en}, so the "
                f"calculation cannot be made for the date {when.en}.",
                detail=f"{on} is before the first date of parameter {self.path}",
            )
        entry = self.entries[i]
        end = self._end_of(i)
        if entry.valid_to is not None and on > entry.valid_to:
            label, when, last = self._words(on, entry.valid_to)
            raise OutsideParameterCoverageError(
                field,
                self.path,
                nb=f"Husly har regler for {label.nb} bare til og med {last.nb}, så beregningen kan "
                f"ikke gjøres for datoen {when.nb}.",
                nn=f"Husly har reglar for {label.nn} berre til og med {last.nn}, så utrekninga kan "
                f"ikkje gjerast for datoen {when.nn}.",
                en=f"Husly has rules for {label.en} only up to {last.en}, so the "
                f"calculation cannot be made for the date {when.en}.",
                detail=f"{on} is after the last date covered by parameter {self.path}",
            )
        if not entry.known or entry.value is None:
            label, when, since = self._words(on, entry.valid_from)
            raise OutsideParameterCoverageError(
                field,
                self.path,
                nb=f"Verdien av {label.nb} fra {since.nb} er ikke kjent i Husly ennå, så "
                f"beregningen kan ikke gjøres for datoen {when.nb}.",
                nn=f"Verdien av {label.nn} frå {since.nn} er ikkje kjend i Husly enno, så "
                f"utrekninga kan ikkje gjerast for datoen {when.nn}.",
                en=f"Husly does not know the value of {label.en} from {since.en} yet, so the "
                f"calculation cannot be made for the date {when.en}.",
                detail=f"parameter {self.path} has no verified value from {entry.valid_from}"
                + (f": {entry.note}" if entry.note else ""),
            )
        return ResolvedValue(
            path=self.path,
            label_nb=self.label_nb,
            label_nn=self.label_nn,
            label_en=self.label_en,
            description=self.description,
            value=entry.value,
            unit=entry.unit,
            valid_from=entry.valid_from,
            valid_to=end,
            references=entry.references,
            last_checked=entry.last_checked,
            confirmed=entry.confirmed,
            note=entry.note,
            value_labels=self.value_labels,
        )


class ParameterTree:
    """All parameters, by dotted path. Build it with :func:`load_parameter_tree`."""

    def __init__(self, parameters: Mapping[str, Parameter], root: Path, checksum: str = "") -> None:
        self._parameters = dict(parameters)
        self.root = root
        #: sha256 over every parameter file: store it with a decision to re-run it exactly later.
        self.checksum = checksum

    def __contains__(self, path: object) -> bool:
        return path in self._parameters

    def __iter__(self) -> Iterator[Parameter]:
        return iter(self._parameters.values())

    def __len__(self) -> int:
        return len(self._parameters)

    def get(self, path: str) -> Parameter:
        """The parameter at ``path``; KeyError if there is none (a programming error)."""
        try:
            return self._parameters[path]
        except KeyError:
            raise KeyError(f"no parameter {path!r} in {self.root}") from None

    def at(self, path: str, on: dt.date, field: str = "date") -> ResolvedValue:
        """The value of ``path`` in force on ``on``."""
        return self.get(path).at(on, field)

    def paths(self, prefix: str = "") -> list[str]:
        """Sorted paths under ``prefix``."""
        return sorted(p for p in self._parameters if p.startswith(prefix))


# --------------------------------------------------------------------------------------------
# Loading and validation
# --------------------------------------------------------------------------------------------


class _StrictLoader(yaml.SafeLoader):
    """A safe YAML loader that refuses duplicate keys (PyYAML would silently keep the last)."""


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _parse_date(value: object, source: str, what: str) -> dt.date:
    if isinstance(value, dt.datetime):
        raise ParameterFileError(source, f"{what} must be a date, not a timestamp: {value!r}")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ParameterFileError(source, f"{what} is not a date (YYYY-MM-DD): {value!r}")


def _parse_references(raw: object, source: str) -> tuple[Reference, ...]:
    items = raw if isinstance(raw, list) else [raw]
    refs: list[Reference] = []
    for item in items:
        if isinstance(item, str) and item.strip():
            refs.append(Reference(title=item.strip()))
        elif isinstance(item, dict) and isinstance(item.get("title"), str):
            unknown = set(item) - {"title", "href"}
            if unknown:
                raise ParameterFileError(source, f"unknown reference keys {sorted(unknown)}")
            href = item.get("href")
            if href is not None and not isinstance(href, str):
                raise ParameterFileError(source, f"reference href must be text: {href!r}")
            refs.append(Reference(title=item["title"], href=href))
        else:
            raise ParameterFileError(source, f"a reference needs a title: {item!r}")
    if not refs:
        raise ParameterFileError(source, "no reference given")
    return tuple(refs)


def _parse_bands(raw: object, source: str) -> tuple[AgeBand, ...]:  # noqa: PLR0912
    if not isinstance(raw, list) or not raw:
        raise ParameterFileError(source, "an age band table must be a non-empty list")
    bands: list[AgeBand] = []
    for item in raw:
        if not isinstance(item, dict):
            raise ParameterFileError(source, f"an age band must be a mapping: {item!r}")
        unknown = set(item) - _BAND_KEYS
        if unknown:
            raise ParameterFileError(source, f"unknown age band keys {sorted(unknown)}")
        lo, hi, sex, amount = (item.get(k) for k in ("min_age", "max_age", "sex", "amount"))
        if not isinstance(lo, int) or isinstance(lo, bool) or lo < 0:
            raise ParameterFileError(source, f"min_age must be a whole number >= 0: {item!r}")
        if hi is not None and (not isinstance(hi, int) or isinstance(hi, bool) or hi < lo):
            raise ParameterFileError(source, f"max_age must be a whole number >= min_age: {item!r}")
        who: Sex
        if sex is None or sex == "any":
            who = "any"
        elif sex == "female":
            who = "female"
        elif sex == "male":
            who = "male"
        else:
            raise ParameterFileError(source, f"sex must be any, female or male: {item!r}")
        if not isinstance(amount, int | float) or isinstance(amount, bool) or amount < 0:
            raise ParameterFileError(source, f"amount must be a number >= 0: {item!r}")
        bands.append(AgeBand(lo, hi, who, float(amount)))
    # Every age 0.._MAX_AGE must be covered exactly once for each sex.
    for person_sex in ("female", "male"):
        covered = [0] * (_MAX_AGE + 1)
        for b in bands:
            if b.sex in ("any", person_sex):
                for age in range(b.min_age, (b.max_age if b.max_age is not None else _MAX_AGE) + 1):
                    if age <= _MAX_AGE:
                        covered[age] += 1
        if any(c > 1 for c in covered):
            age = next(a for a, c in enumerate(covered) if c > 1)
            raise ParameterFileError(source, f"age bands overlap for {person_sex} at age {age}")
        if any(c == 0 for c in covered):
            age = covered.index(0)
            raise ParameterFileError(source, f"age bands leave a gap for {person_sex} at age {age}")
    return tuple(bands)


def _parse_value(  # noqa: PLR0912 - one branch per parameter type
    kind: str, raw: object, leaf: dict[str, Any], source: str
) -> ParameterValue:
    if kind == "number":
        if not _is_number(raw):
            raise ParameterFileError(source, f"value must be a number: {raw!r}")
        return float(raw)  # type: ignore[arg-type]  # checked by _is_number just above
    if kind == "number_list":
        if not isinstance(raw, list) or not raw or not all(_is_number(v) for v in raw):
            raise ParameterFileError(source, f"value must be a non-empty list of numbers: {raw!r}")
        length = leaf.get("length")
        if length is not None and len(raw) != length:
            raise ParameterFileError(source, f"value must have {length} numbers, has {len(raw)}")
        return tuple(float(v) for v in raw)
    if kind in ("number_map", "text_map"):
        if not isinstance(raw, dict) or not raw:
            raise ParameterFileError(source, f"value must be a non-empty mapping: {raw!r}")
        pattern = leaf.get("key_pattern")
        for key, item in raw.items():
            if not isinstance(key, str):
                raise ParameterFileError(
                    source, f"keys must be quoted text (YAML reads 0301 as a number): {key!r}"
                )
            if pattern is not None and not re.fullmatch(str(pattern), key):
                raise ParameterFileError(source, f"key {key!r} does not match {pattern!r}")
            if kind == "number_map" and not _is_number(item):
                raise ParameterFileError(source, f"value for {key!r} must be a number: {item!r}")
            if kind == "text_map" and not (isinstance(item, str) and item.strip()):
                raise ParameterFileError(source, f"value for {key!r} must be text: {item!r}")
        if kind == "number_map":
            return {k: float(v) for k, v in raw.items()}
        return {k: str(v) for k, v in raw.items()}
    if kind == "choice":
        choices = leaf.get("choices")
        if not isinstance(choices, list) or raw not in choices or not isinstance(raw, str):
            raise ParameterFileError(source, f"value {raw!r} is not one of the choices {choices!r}")
        return raw
    if kind == "age_bands":
        return _parse_bands(raw, source)
    raise ParameterFileError(source, f"unknown type {kind!r}")


def _parse_leaf(  # noqa: PLR0912, PLR0915 - a validator: one check per branch
    path: str, leaf: dict[str, Any], source: str
) -> Parameter:
    where = f"{source} [{path}]"
    unknown = set(leaf) - _LEAF_KEYS
    if unknown:
        raise ParameterFileError(where, f"unknown keys {sorted(unknown)}")
    for key in ("description", "label_nb"):
        if not isinstance(leaf.get(key), str) or not leaf[key].strip():
            raise ParameterFileError(where, f"{key} is required")
    _check_optional_labels(leaf, where)
    kind = leaf.get("type", "number")
    if kind not in PARAMETER_TYPES:
        raise ParameterFileError(where, f"unknown type {kind!r}")
    values = leaf["values"]
    if not isinstance(values, dict) or not values:
        raise ParameterFileError(where, "values must be a non-empty mapping from date to value")

    default_unit = leaf.get("unit")
    default_refs = leaf.get("reference")
    default_checked = leaf.get("last_checked")

    entries: list[ValueEntry] = []
    for raw_date, raw_entry in values.items():
        valid_from = _parse_date(raw_date, where, "a values key")
        entry_where = f"{where} @ {valid_from}"
        spec = raw_entry if isinstance(raw_entry, dict) else {"value": raw_entry}
        if isinstance(raw_entry, dict):
            if "value" not in spec and "status" not in spec:
                raise ParameterFileError(
                    entry_where, "a dated entry written as a mapping needs a 'value' key"
                )
            bad = set(spec) - _ENTRY_KEYS
            if bad:
                raise ParameterFileError(entry_where, f"unknown keys {sorted(bad)}")
        status = spec.get("status", "known")
        if status not in ("known", "unknown"):
            raise ParameterFileError(entry_where, f"status must be known or unknown: {status!r}")
        known = status == "known"
        unit = spec.get("unit", default_unit)
        if not isinstance(unit, str) or unit not in UNITS:
            raise ParameterFileError(entry_where, f"unknown unit {unit!r}; known: {sorted(UNITS)}")
        refs_raw = spec.get("reference", default_refs)
        if refs_raw is None:
            raise ParameterFileError(entry_where, "no reference (legal or documentary source)")
        references = _parse_references(refs_raw, entry_where)
        checked_raw = spec.get("last_checked", default_checked)
        if checked_raw is None:
            raise ParameterFileError(entry_where, "no last_checked date")
        last_checked = _parse_date(checked_raw, entry_where, "last_checked")
        confirmed = spec.get("confirmed", True)
        if not isinstance(confirmed, bool):
            raise ParameterFileError(entry_where, f"confirmed must be true or false: {confirmed!r}")
        note = spec.get("note")
        if note is not None and not isinstance(note, str):
            raise ParameterFileError(entry_where, f"note must be text: {note!r}")
        if not confirmed and not note:
            raise ParameterFileError(entry_where, "an unconfirmed value needs a note saying why")
        valid_to = None
        if spec.get("valid_to") is not None:
            valid_to = _parse_date(spec["valid_to"], entry_where, "valid_to")
            if valid_to < valid_from:
                raise ParameterFileError(entry_where, f"valid_to {valid_to} is before valid_from")
        if known:
            if "value" not in spec:
                raise ParameterFileError(entry_where, "no value (use status: unknown if not known)")
            value: ParameterValue | None = _parse_value(kind, spec["value"], leaf, entry_where)
        else:
            if "value" in spec:
                raise ParameterFileError(entry_where, "a value with status unknown has no value")
            if not note:
                raise ParameterFileError(entry_where, "an unknown value needs a note")
            value = None
        entries.append(
            ValueEntry(
                valid_from=valid_from,
                valid_to=valid_to,
                value=value,
                unit=unit,
                references=references,
                last_checked=last_checked,
                confirmed=confirmed,
                note=note,
                known=known,
            )
        )

    entries.sort(key=lambda e: e.valid_from)
    for before, after in itertools.pairwise(entries):
        if before.valid_to is None:
            continue
        if before.valid_to >= after.valid_from:
            raise ParameterFileError(
                where,
                f"overlap: value from {before.valid_from} runs to {before.valid_to}, "
                f"but the next value starts {after.valid_from}",
            )
        if before.valid_to + dt.timedelta(days=1) < after.valid_from:
            raise ParameterFileError(
                where,
                f"gap: no value between {before.valid_to} and {after.valid_from} "
                "(write an entry with status: unknown if the value is not known)",
            )
    if kind == "number_list" and leaf.get("length") is None:
        lengths = {len(e.value) for e in entries if isinstance(e.value, tuple)}
        if len(lengths) > 1:
            raise ParameterFileError(where, f"lists of different lengths across dates: {lengths}")

    label_nn, label_en = (leaf.get(key) for key in _OPTIONAL_LABELS)
    value_labels = _parse_value_labels(leaf, kind, where)
    return Parameter(
        path=path,
        description=leaf["description"].strip(),
        label_nb=leaf["label_nb"].strip(),
        label_nn=label_nn.strip() if isinstance(label_nn, str) else None,
        label_en=label_en.strip() if isinstance(label_en, str) else None,
        kind=kind,
        entries=tuple(entries),
        source=source,
        value_labels=value_labels,
    )


def _parse_value_labels(leaf: Mapping[str, Any], kind: str, where: str) -> dict[str, Labels]:
    """``value_labels``: code -> {nb (required), nn, en}; for a choice only declared choices."""
    raw = leaf.get("value_labels")
    if raw is None:
        return {}
    if kind not in ("choice", "number_map", "text_map") or not isinstance(raw, dict) or not raw:
        raise ParameterFileError(
            where, "value_labels is a non-empty mapping, for choices and maps only"
        )
    choices = leaf.get("choices") if kind == "choice" else None
    out: dict[str, Labels] = {}
    for code, texts in raw.items():
        if choices is not None and code not in choices:
            raise ParameterFileError(where, f"value_labels names {code!r}, not one of {choices!r}")
        if not isinstance(texts, dict) or set(texts) - {"nb", "nn", "en"}:
            raise ParameterFileError(where, f"value_labels[{code!r}] needs nb, and may have nn, en")
        for language in ("nb", "nn", "en"):
            text = texts.get(language)
            if (language == "nb" or text is not None) and not (
                isinstance(text, str) and text.strip()
            ):
                raise ParameterFileError(where, f"value_labels[{code!r}].{language} is empty")
        out[str(code)] = (texts["nb"].strip(), texts.get("nn"), texts.get("en"))
    return out


def _check_optional_labels(node: Mapping[str, Any], where: str) -> None:
    """``label_nn`` and ``label_en`` may be left out, but when given they are non-empty text."""
    for key in _OPTIONAL_LABELS:
        if key in node and not (isinstance(node[key], str) and node[key].strip()):
            raise ParameterFileError(where, f"{key} must be non-empty text: {node[key]!r}")


def _walk(node: object, path: str, source: str, out: dict[str, Parameter]) -> None:
    if not isinstance(node, dict):
        raise ParameterFileError(f"{source} [{path}]", "expected a mapping")
    if "values" in node:
        out[path] = _parse_leaf(path, node, source)
        return
    _check_optional_labels(node, f"{source} [{path}]")
    children = {k: v for k, v in node.items() if k not in _NODE_META_KEYS}
    if not children:
        raise ParameterFileError(f"{source} [{path}]", "a node without parameters")
    for key, child in children.items():
        if not isinstance(key, str) or not re.fullmatch(r"[a-z0-9_]+", key):
            raise ParameterFileError(
                f"{source} [{path}]", f"parameter names are lower_snake_case: {key!r}"
            )
        _walk(child, f"{path}.{key}", source, out)


def load_parameter_tree(root: Path = PARAMETERS_ROOT) -> ParameterTree:  # noqa: PLR0912
    """Load and validate every YAML file under ``root``. Raises ParameterFileError."""
    if not root.is_dir():
        raise ParameterFileError(str(root), "parameter folder not found")
    out: dict[str, Parameter] = {}
    digest = hashlib.sha256()
    for file in sorted(root.rglob("*")):
        if file.is_dir() or file.name.startswith("."):
            continue
        rel = file.relative_to(root)
        if file.suffix not in {".yaml", ".md"}:
            raise ParameterFileError(str(rel), "parameter files end in .yaml")
        if file.suffix == ".md":
            continue
        parts = [*rel.parts[:-1], file.stem]
        if file.stem == "index":
            parts = parts[:-1]
        for part in parts:
            if not re.fullmatch(r"[a-z0-9_]+", part):
                raise ParameterFileError(str(rel), f"path part {part!r} is not lower_snake_case")
        try:
            text = file.read_text(encoding="utf-8")
            digest.update(str(rel).encode() + b"\0" + text.encode() + b"\0")
            data = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
        except yaml.YAMLError as exc:
            raise ParameterFileError(str(rel), f"invalid YAML: {exc}") from exc
        if file.stem == "index":
            # index.yaml only documents its folder.
            if not isinstance(data, dict) or set(data) - _NODE_META_KEYS:
                raise ParameterFileError(
                    str(rel), "index.yaml holds only description, labels and a note"
                )
            _check_optional_labels(data, str(rel))
            continue
        before = len(out)
        _walk(data, ".".join(parts), str(rel), out)
        if len(out) == before:
            raise ParameterFileError(str(rel), "file defines no parameters")
    if not out:
        raise ParameterFileError(str(root), "no parameters found")
    return ParameterTree(out, root, digest.hexdigest())


def basic_amount_g(on: dt.date, tree: ParameterTree | None = None) -> ResolvedValue:
    """The grunnbeløp (G) in force on ``on`` (folketrygdloven § 1-4), with its source."""
    return (tree or default_tree()).at("national.basic_amount_g", on)


@functools.cache
def shipped_tree() -> ParameterTree:
    """The parameter tree shipped with Husly, loaded once per process."""
    return load_parameter_tree(PARAMETERS_ROOT)


_trees_in_use: list[ParameterTree] = []


def default_tree() -> ParameterTree:
    """The tree in force: the shipped one, or the one :func:`tree_in_use` puts in its place."""
    return _trees_in_use[-1] if _trees_in_use else shipped_tree()


@contextlib.contextmanager
def tree_in_use(tree: ParameterTree) -> Iterator[ParameterTree]:
    """Count by ``tree`` instead of the shipped one inside the block: a municipality's own
    parameter files (loaded and checked by :func:`load_parameter_tree`) tried before they are
    shipped, and in tests a municipality whose parameters differ from Rælingen's."""
    _trees_in_use.append(tree)
    try:
        yield tree
    finally:
        _trees_in_use.remove(tree)
