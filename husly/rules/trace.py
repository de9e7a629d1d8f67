"""Explanation traces: every intermediate value of a calculation, with labels and sources.

A formula records its steps on a :class:`Tracer` when one is given (the single-household path);
the batch path passes no tracer and pays nothing. Step metadata (label and formula in bokmål,
nynorsk and English, unit and legal source) lives in one :class:`StepInfo` table per rule, so the
UI can use the same table to label fields. :meth:`StepInfo.label_in` and
:meth:`StepInfo.formula_in` pick the text for the user's language (bokmål when there is none).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from husly.rules.language import language_of, pick
from husly.rules.params import Labels, ResolvedValue

TraceValue = float | int | bool | str

#: Bump when a formula changes meaning; stored with every result next to the parameter checksum.
ENGINE_VERSION = "1.0"


#: How a unit reads in each language: the units of steps (written in bokmål in
#: :class:`StepInfo`) and of parameter values (the YAML units, ``params.UNITS``; rates are shown as
#: per cent instead). A language not listed for a unit reads the unit as it is written.
UNIT_NAMES: Mapping[str, Mapping[str, str]] = {
    "kr": {"nn": "kr", "en": "NOK"},
    "kr/år": {"nn": "kr/år", "en": "NOK/year"},
    "kr/mnd": {"nn": "kr/md.", "en": "NOK/month"},
    "personer": {"nn": "personar", "en": "persons"},
    "år": {"nn": "år", "en": "years"},
    "vekt": {"nn": "vekt", "en": "weight"},
    "ja/nei": {"nn": "ja/nei", "en": "yes/no"},
    "rente/år": {"nn": "rente/år", "en": "rate/year"},
    "NOK": {"nb": "kr", "nn": "kr", "en": "NOK"},
    "NOK/year": {"nb": "kr/år", "nn": "kr/år", "en": "NOK/year"},
    "NOK/month": {"nb": "kr/mnd", "nn": "kr/md.", "en": "NOK/month"},
    "weight": {"nb": "vekt", "nn": "vekt", "en": "weight"},
    "years": {"nb": "år", "nn": "år", "en": "years"},
    "months": {"nb": "måneder", "nn": "månader", "en": "months"},
    "persons": {"nb": "personer", "nn": "personar", "en": "persons"},
    "index": {"nb": "indekspoeng", "nn": "indekspoeng", "en": "index points"},
    "code": {"nb": "", "nn": "", "en": ""},  # a code or a name is its own unit
    "name": {"nb": "", "nn": "", "en": ""},
}


def unit_in(unit: str, language: str | None) -> str:
    """A step's or parameter's unit in ``language``."""
    return UNIT_NAMES.get(unit, {}).get(language_of(language), unit)


@dataclass(frozen=True, kw_only=True)
class StepInfo:
    """What a step means: label, the formula in words (each in bokmål, nynorsk and English), the
    unit (in bokmål; :func:`unit_in` gives it in another language) and the legal source (as the
    source is cited, not translated)."""

    label_nb: str
    label_nn: str
    label_en: str
    unit: str
    formula_nb: str
    formula_nn: str
    formula_en: str
    source: str
    #: Names of the codes a step's value can be, e.g. ``"serial"``: («serielån», …, "serial loan").
    value_labels: Mapping[str, Labels] = field(default_factory=dict)

    def value_label_in(self, code: str, language: str | None) -> str | None:
        """What the code ``code`` means in ``language``; None if the step does not name it."""
        labels = self.value_labels.get(code)
        return pick(language, *labels) if labels else None

    def label_in(self, language: str | None) -> str:
        """The label in ``language`` (``nb``, ``nn`` or ``en``); bokmål if there is none."""
        return pick(language, self.label_nb, self.label_nn, self.label_en)

    def formula_in(self, language: str | None) -> str:
        """The formula in words in ``language``; bokmål if there is none."""
        return pick(language, self.formula_nb, self.formula_nn, self.formula_en)


@dataclass(frozen=True)
class TraceStep:
    """One intermediate value of one household's calculation."""

    name: str
    value: TraceValue
    info: StepInfo
    inputs: tuple[str, ...] = ()
    parameters: tuple[ResolvedValue, ...] = ()

    @property
    def label_nb(self) -> str:
        return self.info.label_nb

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": self.value,
            "label_nb": self.info.label_nb,
            "label_nn": self.info.label_nn,
            "label_en": self.info.label_en,
            "unit": self.info.unit,
            "formula_nb": self.info.formula_nb,
            "formula_nn": self.info.formula_nn,
            "formula_en": self.info.formula_en,
            "source": self.info.source,
            "inputs": list(self.inputs),
            "parameters": [p.path for p in self.parameters],
        }


@dataclass(frozen=True)
class Trace:
    """The ordered steps of one calculation plus every parameter value used."""

    steps: tuple[TraceStep, ...]
    parameters: tuple[ResolvedValue, ...]

    def __getitem__(self, name: str) -> TraceStep:
        for step in self.steps:
            if step.name == name:
                return step
        raise KeyError(name)

    def __contains__(self, name: object) -> bool:
        return any(step.name == name for step in self.steps)

    def values(self) -> dict[str, TraceValue]:
        """Step name -> value."""
        return {step.name: step.value for step in self.steps}

    @property
    def uses_unconfirmed_parameters(self) -> bool:
        """True if any parameter value used is marked ``confirmed: false`` ([U] in the spec)."""
        return any(not p.confirmed for p in self.parameters)

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly data, for storing with a decision (enkeltvedtak) or showing in the UI."""
        return {
            "steps": [step.to_dict() for step in self.steps],
            "parameters": [p.to_dict() for p in self.parameters],
            "uses_unconfirmed_parameters": self.uses_unconfirmed_parameters,
        }

    def as_text_nb(self) -> str:
        """A plain Norwegian listing, one line per step (for logs and the caseworker's printout)."""
        lines = []
        for step in self.steps:
            value = step.value
            unit = step.info.unit
            if isinstance(value, float) and unit == "rente/år":
                shown, unit = f"{value * 100:.3f}".replace(".", ","), "% per år"
            elif isinstance(value, float):
                shown = f"{value:,.2f}".replace(",", " ").replace(".", ",")
            else:
                shown = ("ja" if value else "nei") if isinstance(value, bool) else str(value)
            lines.append(f"{step.info.label_nb}: {shown} {unit} ({step.info.source})".rstrip())
        return "\n".join(lines)


@dataclass
class Tracer:
    """Records the value of element ``index`` of each intermediate array."""

    catalogue: Mapping[str, StepInfo]
    index: int = 0
    _steps: list[TraceStep] = field(default_factory=list)
    _parameters: dict[str, ResolvedValue] = field(default_factory=dict)

    def record(
        self,
        name: str,
        values: npt.NDArray[Any] | TraceValue,
        inputs: Iterable[str] = (),
        parameters: Iterable[ResolvedValue] = (),
    ) -> None:
        """Record a step. ``name`` must be in the catalogue (so every step has labels)."""
        info = self.catalogue[name]
        value: TraceValue
        if isinstance(values, np.ndarray):
            item = values.reshape(-1)[self.index] if values.ndim else values.reshape(-1)[0]
            value = _plain(item)
        else:
            value = values
        params = tuple(parameters)
        for p in params:
            self._parameters.setdefault(p.path, p)
        self._steps.append(TraceStep(name, value, info, tuple(inputs), params))

    def use(self, *parameters: ResolvedValue) -> None:
        """Note parameters used outside a recorded step."""
        for p in parameters:
            self._parameters.setdefault(p.path, p)

    def names(self) -> list[str]:
        """Names of the steps recorded so far."""
        return [step.name for step in self._steps]

    def trace(self) -> Trace:
        return Trace(tuple(self._steps), tuple(self._parameters.values()))


def _plain(item: Any) -> TraceValue:
    if isinstance(item, np.bool_ | bool):
        return bool(item)
    if isinstance(item, np.integer):
        return int(item)
    if isinstance(item, np.floating | float):
        return float(item)
    if isinstance(item, int | str):
        return item
    return str(item)
