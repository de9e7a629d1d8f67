"""Validation of Norwegian identity numbers: fødselsnummer, D-nummer and H-nummer.

Source: Skatteetaten, folkeregisteret-api-dokumentasjon ``nyttfnr2032.md`` and forskrift om
folkeregistrering § 2-2 (spec/law-and-parameters.md §10). python-stdnum knows only the rule for
numbers issued before 2032 (it rejects Skatteetaten's own 2032 examples), so Husly checks the
digits itself: from 1 January 2032 the first check digit may leave a remainder of 0, 1, 2 or 3,
which is a superset of the old rule, so one check accepts every number, old or new.

Synthetic test numbers (Skatteetaten's Tenor test data: month + 80) are accepted only when the
caller allows them (setting ``HUSLY_ALLOW_SYNTHETIC_IDS``), never in production by default.
Messages go through gettext, so staff and residents read them in their own language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum

from django.utils.translation import gettext as _

_W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


class IdentityKind(Enum):
    BIRTH_NUMBER = "fødselsnummer"
    D_NUMBER = "D-nummer"
    H_NUMBER = "H-nummer"


class InvalidIdentityNumber(ValueError):  # noqa: N818 - reads as what it is
    """Raised with a Norwegian message a caseworker can act on."""


@dataclass(frozen=True)
class IdentityNumber:
    number: str
    kind: IdentityKind
    synthetic: bool
    date_of_birth: dt.date | None
    """None for numbers issued from 2032, whose digits no longer give the century."""


def _checksums_ok(digits: list[int]) -> bool:
    r1 = (sum(w * d for w, d in zip(_W1, digits[:9], strict=True)) + digits[9]) % 11
    r2 = (sum(w * d for w, d in zip(_W2, digits[:10], strict=True)) + digits[10]) % 11
    return r1 in {0, 1, 2, 3} and r2 == 0


def _old_rule_ok(digits: list[int]) -> bool:
    r1 = (sum(w * d for w, d in zip(_W1, digits[:9], strict=True)) + digits[9]) % 11
    return r1 == 0


def _century(year2: int, individual: int) -> int | None:
    """Century from the individnummer, forskrift om folkeregistrering § 2-2."""
    if individual <= 499:  # noqa: PLR2004 - ranges of the regulation
        return 1900
    if individual <= 749 and year2 >= 54:  # noqa: PLR2004
        return 1800
    if individual >= 900 and year2 >= 40:  # noqa: PLR2004
        return 1900
    if year2 <= 39:  # noqa: PLR2004
        return 2000
    return None


def parse_identity_number(raw: str, *, allow_synthetic: bool) -> IdentityNumber:
    """Validate an 11-digit identity number and return what its digits tell.

    Raises InvalidIdentityNumber with a specific Norwegian message.
    """
    number = "".join(raw.split()).replace(".", "")
    if len(number) != 11 or not number.isdigit():  # noqa: PLR2004
        msg = _("A fødselsnummer or D-nummer has 11 digits.")
        raise InvalidIdentityNumber(msg)
    digits = [int(c) for c in number]
    if not _checksums_ok(digits):
        msg = _("The check digits do not match. Check that the number is written correctly.")
        raise InvalidIdentityNumber(msg)
    day = digits[0] * 10 + digits[1]
    month = digits[2] * 10 + digits[3]
    year2 = digits[4] * 10 + digits[5]
    individual = digits[6] * 100 + digits[7] * 10 + digits[8]
    kind = IdentityKind.BIRTH_NUMBER
    synthetic = False
    if day > 40:  # noqa: PLR2004 - D-nummer: first digit + 4
        kind = IdentityKind.D_NUMBER
        day -= 40
    if month > 80:  # noqa: PLR2004 - synthetic (Tenor): month + 80
        synthetic = True
        month -= 80
    elif month > 40:  # noqa: PLR2004 - H-nummer: month + 40
        kind = IdentityKind.H_NUMBER
        month -= 40
    if synthetic and not allow_synthetic:
        msg = _("Synthetic test numbers cannot be used in this installation.")
        raise InvalidIdentityNumber(msg)
    born: dt.date | None = None
    if _old_rule_ok(digits):
        century = _century(year2, individual)
        if century is not None:
            try:
                born = dt.date(century + year2, month, day)
            except ValueError:
                born = None
    if born is None:
        # Numbers from 2032 do not carry the century; the day and month must still exist.
        try:
            dt.date(2000, month, day)  # 2000 is a leap year, so 29 February passes
        except ValueError:
            msg = _("The number does not contain a valid date.")
            raise InvalidIdentityNumber(msg) from None
    return IdentityNumber(number=number, kind=kind, synthetic=synthetic, date_of_birth=born)


def _check_digit(weights: tuple[int, ...], digits: list[int]) -> int | None:
    value = 11 - sum(w * d for w, d in zip(weights, digits, strict=False)) % 11
    if value == 11:  # noqa: PLR2004
        return 0
    if value == 10:  # noqa: PLR2004
        return None
    return value


def individual_numbers_for(year: int) -> range:
    """The individnummer range that gives this birth year's century (§ 2-2)."""
    if year >= 2000:  # noqa: PLR2004
        return range(500, 1000)
    if year >= 1900:  # noqa: PLR2004
        return range(500)
    return range(500, 750)


def make_synthetic_number(born: dt.date, individual: int, *, d_number: bool = False) -> str | None:
    """Build a synthetic number (month + 80) for demo and test persons; None if the
    individual number gives no valid check digit (the caller tries the next one)."""
    day = born.day + (40 if d_number else 0)
    head = f"{day:02d}{born.month + 80:02d}{born.year % 100:02d}{individual:03d}"
    digits = [int(c) for c in head]
    k1 = _check_digit(_W1, digits)
    if k1 is None:
        return None
    k2 = _check_digit(_W2, [*digits, k1])
    if k2 is None:
        return None
    return f"{head}{k1}{k2}"
