"""Every text of the user interface is translated into bokmål and nynorsk, and none is a guess.

gettext leaves an untranslated msgid in English on the page, and ``makemessages`` marks a text
it matched to an old translation as *fuzzy* (not used, and often wrong). Either one here means a
page would show English, or a stale sentence, to a Norwegian user.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parent.parent / "husly" / "locale"


def entries(path: Path) -> list[dict[str, object]]:
    """The entries of a .po file: msgid, the msgstr forms, and whether it is fuzzy."""
    found: list[dict[str, object]] = []
    current: dict[str, object] = {}
    key = ""
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if "msgid" in current:
                found.append(current)
            current, key = {}, ""
        elif line.startswith("#,"):
            current["fuzzy"] = "fuzzy" in line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[key] = str(current[key]) + ast.literal_eval(line)
        else:
            key, _, text = line.partition(" ")
            current[key] = ast.literal_eval(text)
    return found


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_every_text_is_translated_and_none_is_fuzzy(language: str) -> None:
    po = entries(LOCALE / language / "LC_MESSAGES" / "django.po")
    assert len(po) > 1000  # the parser read the file
    untranslated = [
        e["msgid"]
        for e in po
        if e["msgid"] and not all(v for k, v in e.items() if str(k).startswith("msgstr"))
    ]
    fuzzy = [e["msgid"] for e in po if e.get("fuzzy")]
    assert untranslated == []
    assert fuzzy == []
