"""Bilingual user-facing text (bokmål and nynorsk) and Norwegian number and date formatting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

__all__ = ["Text", "fmt_date", "fmt_kroner", "fmt_multiplier"]


@dataclass(frozen=True)
class Text:
    """One piece of user-facing text in both written standards of Norwegian.

    ``nb`` is bokmål, ``nn`` is nynorsk. Letters use the recipient's chosen målform.
    """

    nb: str
    nn: str

    def get(self, language: str) -> str:
        """Return the text for ``language`` ("nb" or "nn"); anything else gives bokmål."""
        return self.nn if language == "nn" else self.nb


def fmt_date(day: date) -> str:
    """Format a date the Norwegian way: 05.03.2024."""
    return day.strftime("%d.%m.%Y")


def fmt_kroner(amount: int | Fraction) -> str:
    """Format an amount in kroner with spaces between thousands: 425 596 kr.

    Fractions (a ceiling of 4.5 G) are rounded to whole kroner for display only.
    """
    whole = round(amount)
    sign = "-" if whole < 0 else ""
    return f"{sign}{abs(whole):,}".replace(",", " ") + " kr"


def fmt_multiplier(value: Fraction) -> str:
    """Format a G multiplier with a decimal comma: 4, 4,5."""
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):g}".replace(".", ",")
