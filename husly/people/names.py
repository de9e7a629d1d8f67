"""Names as people write them, without invisible characters that change how they are shown.

A right-to-left override (U+202E) before "neshaH" makes it read "Hansen" on screen while it
sorts, searches and matches as something else; zero-width characters make two names that look
the same differ. Names are kept in Unicode normal form C (an "é" typed as "e" plus an accent is
stored as one "é") and refused when they hold control or format characters (Unicode categories
Cc, Cf: bidi controls, zero-width spaces and joiners, soft hyphens), separators other than the
space, private-use or unassigned code points. The same check runs for forms, imports and Min
side, because it sits on the model fields and in ``clean()``.
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"})


def normalise_name(value: str) -> str:
    """NFC, surrounding space removed and inner runs of spaces made one."""
    return " ".join(unicodedata.normalize("NFC", value).split(" ")).strip()


def validate_name(value: str) -> None:
    hidden = sorted(
        {f"U+{ord(c):04X}" for c in value if unicodedata.category(c) in REFUSED_CATEGORIES}
    )
    if hidden:
        raise ValidationError(
            _(
                "The name holds invisible characters (%(characters)s), such as right-to-left "
                "or zero-width marks. Write the name again without them."
            ),
            code="invisible_characters",
            params={"characters": ", ".join(hidden)},
        )
