"""The languages explanations are written in: bokmål (nb), nynorsk (nn) and English (en).

Texts in the rules (step labels and formulas, parameter labels) are always written in bokmål;
nynorsk and English are given next to them. :func:`pick` chooses one for a language code and
falls back to bokmål when the code is unknown or the text is missing.
"""

from __future__ import annotations

#: Language codes the rules have texts in; anything else reads bokmål.
LANGUAGES = ("nb", "nn", "en")


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
