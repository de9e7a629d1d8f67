"""Municipality register and bostøtte municipality groups (kommunegrupper).

Kommunenummer are encoded once, at input time, into integer codes and looked up with
``np.searchsorted`` on pre-built sorted arrays (no per-household Python), as the OpenFisca lesson
in engineering-anchors B5.4 asks.

Sources: SSB's kommuneinndeling (register); forskrift om bustøtte § 3 and Husbanken's
"Inntektsgrenser" page (groups 1-3; every other municipality is group 4).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from husly.rules.errors import RulesInputError, UnknownMunicipalityError
from husly.rules.language import date_in, each, shown_each
from husly.rules.params import ParameterTree, ResolvedValue, default_tree
from husly.rules.validation import kind_of

REGISTER = "national.municipalities.register"
GROUPS = "national.housing_allowance.municipality_group"
DEFAULT_GROUP = 4
KOMMUNENUMMER_DIGITS = 4


@dataclass(frozen=True)
class MunicipalityRegister:
    """The register in force on one date, as sorted arrays."""

    on: dt.date
    numbers: npt.NDArray[np.int64]  # sorted kommunenummer as integers
    groups: npt.NDArray[np.int8]  # bostøtte kommunegruppe, aligned with numbers
    names: tuple[str, ...]  # aligned with numbers
    register: ResolvedValue
    group_map: ResolvedValue

    def name(self, number: str) -> str:
        i = int(np.searchsorted(self.numbers, int(number)))
        return self.names[i]

    def lookup(
        self, numbers: Sequence[str] | npt.NDArray[Any], field: str = "municipality_number"
    ) -> npt.NDArray[np.intp]:
        """Positions of ``numbers`` in the register; UnknownMunicipalityError for the first miss."""
        raw = np.asarray(numbers)
        if raw.dtype.kind not in "US":
            kind = each(lambda language: kind_of(raw, language))
            raise RulesInputError(
                field,
                nb=f"Kommunenummer må være tekst med fire sifre, for eksempel «0301» "
                f"(oppgitt: {kind.nb}).",
                nn=f"Kommunenummer må vere tekst med fire siffer, til dømes «0301» "
                f"(oppgitt: {kind.nn}).",
                en=f"A municipality number must be text with four digits, for example “0301” "
                f"(entered: {kind.en}).",
                detail=f"dtype {raw.dtype}",
            )
        text = raw.astype(str)
        well_formed = (np.char.str_len(text) == KOMMUNENUMMER_DIGITS) & np.char.isdigit(text)
        if not well_formed.all():
            bad = int(np.flatnonzero(~well_formed.reshape(-1))[0])
            given = shown_each(str(text.reshape(-1)[bad]))
            raise RulesInputError(
                f"{field}[{bad}]" if raw.ndim else field,
                nb=f"Kommunenummer må ha fire sifre, for eksempel «0301» (oppgitt: {given.nb}).",
                nn=f"Kommunenummer må ha fire siffer, til dømes «0301» (oppgitt: {given.nn}).",
                en=f"A municipality number must have four digits, for example “0301” "
                f"(entered: {given.en}).",
            )
        codes = text.astype(np.int64)
        pos = np.searchsorted(self.numbers, codes)
        pos_clipped = np.minimum(pos, len(self.numbers) - 1)
        found = self.numbers[pos_clipped] == codes
        if not found.all():
            bad = int(np.flatnonzero(~found.reshape(-1))[0])
            number = str(raw.reshape(-1)[bad])
            when = each(lambda language: date_in(self.on, language))
            raise UnknownMunicipalityError(
                f"{field}[{bad}]" if raw.ndim else field,
                nb=f"Kommunenummer {number} finnes ikke i kommuneregisteret per {when.nb}.",
                nn=f"Kommunenummer {number} finst ikkje i kommuneregisteret per {when.nn}.",
                en=f"Municipality number {number} is not in the municipality register as of "
                f"{when.en}.",
                detail="" if self.register.confirmed else f"register: {self.register.note}",
            )
        return np.asarray(pos_clipped, dtype=np.intp)

    def group_codes(
        self, numbers: Sequence[str] | npt.NDArray[Any], field: str = "municipality_number"
    ) -> npt.NDArray[np.int8]:
        """Bostøtte kommunegruppe (1-4) for each kommunenummer."""
        return self.groups.take(self.lookup(numbers, field))


def check_municipality_number(number: object, field: str = "municipality_number") -> str:
    """A kommunenummer must be text with four digits (YAML and Excel like to drop the 0)."""
    if not isinstance(number, str) or not re.fullmatch(r"\d{4}", number):
        given = shown_each(number)
        raise RulesInputError(
            field,
            nb=f"Kommunenummer må være fire sifre skrevet som tekst, for eksempel «0301» "
            f"(oppgitt: {given.nb}).",
            nn=f"Kommunenummer må vere fire siffer skrivne som tekst, til dømes «0301» "
            f"(oppgitt: {given.nn}).",
            en=f"A municipality number must be four digits written as text, for example “0301” "
            f"(entered: {given.en}).",
        )
    return number


def register_for(on: dt.date, tree: ParameterTree | None = None) -> MunicipalityRegister:
    """The municipality register with bostøtte groups, for the date (cached per tree and date)."""
    return _register_for(tree or default_tree(), on)


@functools.lru_cache(maxsize=256)
def _register_for(tree: ParameterTree, on: dt.date) -> MunicipalityRegister:
    register = tree.at(REGISTER, on, field="date")
    group_map = tree.at(GROUPS, on, field="date")
    names_by_number = register.as_text_map()
    groups_by_number = group_map.as_number_map(unit="code")
    missing = set(groups_by_number) - set(names_by_number)
    if missing:
        from husly.rules.errors import ParameterFileError

        raise ParameterFileError(GROUPS, f"numbers not in the register on {on}: {sorted(missing)}")
    ordered = sorted(names_by_number, key=int)
    numbers = np.array([int(k) for k in ordered], dtype=np.int64)
    groups = np.array([int(groups_by_number.get(k, DEFAULT_GROUP)) for k in ordered], dtype=np.int8)
    return MunicipalityRegister(
        on=on,
        numbers=numbers,
        groups=groups,
        names=tuple(names_by_number[k] for k in ordered),
        register=register,
        group_map=group_map,
    )
