"""The languages explanations are written in: bokmål (nb), nynorsk (nn) and English (en).

Texts in the rules (step labels and formulas, parameter labels) are always written in bokmål;
nynorsk and English are given next to them. :func:`pick` chooses one for a language code and
falls back to bokmål when the code is unknown or the text is missing. :func:`shown`,
:func:`number_in` and :func:`date_in` write values for error messages as each language does.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from numbers import Real
from typing import NamedTuple

import numpy as np

#: Language codes the rules have texts in; anything else reads bokmål.
LANGUAGES = ("nb", "nn", "en")


class Texts(NamedTuple):
    """One text in bokmål, nynorsk and English (parts of an error message, say)."""

    nb: str
    nn: str
    en: str


def each(write: Callable[[str], str]) -> Texts:
    """``write(language)`` for each language: ``each(lambda lang: shown(value, lang))``."""
    return Texts(write("nb"), write("nn"), write("en"))


def language_of(code: str | None) -> str:
    """The rules' language for a code: ``"nn"``, ``"nn-NO"`` and ``"nn_NO"`` give ``"nn"``;
    ``"en-gb"`` gives ``"en"``; ``"no"``, ``None`` and unknown codes give ``"nb"``."""
    base = (code or "").replace("_", "-").split("-", 1)[0].lower()
    return base if base in LANGUAGES else "nb"


def pick(language: str | None, nb: str, nn: str | None, en: str | None) -> str:
    """The text for ``language``, or the bokmål text if there is none in that language."""
    chosen = language_of(language)
    text = nn if chosen == "nn" else en if chosen == "en" else nb
    return text or nb


#: Språkrådet: group the digits of numbers with five digits or more (12 000, not 1 000).
GROUP_DIGITS_FROM = 10_000

_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

#: Words for values that are not numbers, text or dates (bokmål, nynorsk, English).
_WORDS: dict[str, tuple[str, str, str]] = {
    "yes": ("ja", "ja", "yes"),
    "no": ("nei", "nei", "no"),
    "nothing": ("ingen verdi", "ingen verdi", "no value"),
    "nan": ("ikke et tall", "ikkje eit tal", "not a number"),
    "infinity": ("uendelig", "uendeleg", "infinity"),
}


def word(key: str, language: str | None) -> str:
    """One of the value words above in ``language``."""
    return pick(language, *_WORDS[key])


def quote(text: str, language: str | None) -> str:
    """``text`` in the quotation marks of the language: «…» in Norwegian, “…” in English."""
    return f"“{text}”" if language_of(language) == "en" else f"«{text}»"


def number_in(value: float, language: str | None) -> str:
    """A number as the language writes it: ``12 000`` and ``0,065`` in Norwegian, ``12,000``
    and ``0.065`` in English; whole numbers without decimals, digits grouped from 10 000."""
    if math.isnan(value):
        return word("nan", language)
    if math.isinf(value):
        return ("-" if value < 0 else "") + word("infinity", language)
    if float(value).is_integer():
        text = f"{int(value):,}" if abs(value) >= GROUP_DIGITS_FROM else str(int(value))
    else:
        text = f"{float(value):,.10g}" if abs(value) >= GROUP_DIGITS_FROM else f"{value:.10g}"
    if language_of(language) == "en":
        return text
    return text.replace(",", "\u00a0").replace(".", ",")


def date_in(value: dt.date, language: str | None) -> str:
    """A date as the language writes it: ``01.07.2026`` in Norwegian, ``1 July 2026`` in English
    (a datetime with its time of day)."""
    if language_of(language) == "en":
        text = f"{value.day} {_MONTHS_EN[value.month - 1]} {value.year}"
    else:
        text = f"{value:%d.%m.%Y}"
    if isinstance(value, dt.datetime):
        text += f" {value:%H:%M}"
    return text


def shown(value: object, language: str | None) -> str:
    """A value a user gave, for an error message in ``language``: numbers and dates as the
    language writes them, text in quotation marks, yes/no as words."""
    if value is None:
        return word("nothing", language)
    if isinstance(value, bool | np.bool_):
        return word("yes" if value else "no", language)
    if isinstance(value, Real):
        return number_in(float(value), language)
    if isinstance(value, str):
        return quote(value, language)
    if isinstance(value, dt.date):
        return date_in(value, language)
    return quote(repr(value), language)


def shown_each(value: object) -> Texts:
    """:func:`shown` in each language."""
    return each(lambda language: shown(value, language))
