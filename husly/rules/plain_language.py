"""Plain language (klarspråk): the readability index LIX for letters to households.

LIX (läsbarhetsindex, C.-H. Björnsson, *Läsbarhet*, Stockholm 1968) is the number of words per
sentence plus the percentage of long words (more than six letters). Språkrådet uses it for
Norwegian texts: below 40 reads easily (fiction, newspapers for everyone), 40–50 is medium
(ordinary factual prose), above 50 is hard (official documents). Husly keeps the prose of every
letter to a household at 40 or below, in bokmål and nynorsk.

A sentence ends at ``.``, ``:``, ``!`` or ``?`` followed by a space or the end of the text; a
block of text (a heading, a paragraph, a list item) ends one too. Words are runs of letters and
digits; section signs and punctuation are not words. Dates and numbers count as short words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+|[.,]\d+)*")
SENTENCE_END = re.compile(r"[.:!?](?=\s|$)")
LONG_WORD_LETTERS = 6


def lix(blocks: Iterable[str]) -> float:
    """LIX of a text given as blocks (paragraphs, headings, list items); each block holds at
    least one sentence. An empty text has LIX 0."""
    words = 0
    long_words = 0
    sentences = 0
    for block in blocks:
        text = " ".join(block.split())
        found = WORD.findall(text)
        if not found:
            continue
        words += len(found)
        long_words += sum(1 for w in found if sum(ch.isalpha() for ch in w) > LONG_WORD_LETTERS)
        ends = len(SENTENCE_END.findall(text))
        if not SENTENCE_END.search(text[-1:] + " "):
            ends += 1  # a block without a final stop (a heading) is a sentence of its own
        sentences += max(ends, 1)
    if words == 0:
        return 0.0
    return words / sentences + 100 * long_words / words
