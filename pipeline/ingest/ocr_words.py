"""Repair words that OCR ran together or split, with pyspellchecker's English word list.

Frequencies are on the Zipf scale (log10 of occurrences per billion words; 0
for a word the list lacks). A run-together token ("REPORTOFTHESECRETARY") is
split only when it is itself rare or unknown and splits wholly into common
words; two neighbours on a line ("nego tiation") are joined only when one is
unknown and together they make a known word. Names the list lacks stay as read.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from functools import lru_cache

from pipeline.models import OcrPage, OcrWord

RARE = 2.0  # a token below this frequency may be a run-together of words
UNKNOWN = 1.5  # a piece below this is not a word on its own
JOINED = 3.0  # two pieces are joined only into a word at least this common
MIN_RUN = 6  # shorter tokens are never split
PIECE_FLOOR = {2: 5.0, 3: 5.0}  # short pieces must be very common words ("of", "the")
LONG_PIECE = 3.0  # pieces of four letters or more
ARTICLE = "a"  # the one single-letter piece ("I" is never run into lower case)
MIN_WORDY = 0.5  # a page where fewer of its longer words are known is a picture, not text
CORE = re.compile(r"^([^\w]*)([^\W\d_]+)([^\w]*)$")  # a word of letters, punctuation around


@lru_cache(maxsize=1)
def _checker():
    """pyspellchecker's English frequency list (loaded once)."""
    from spellchecker import SpellChecker

    return SpellChecker(language="en", distance=1)


def zipf(word: str) -> float:
    """Frequency of `word` (any case) on the Zipf scale; 0.0 when the list lacks it."""
    probability = _checker().word_usage_frequency(word.lower())
    return math.log10(probability * 1e9) if probability else 0.0


def split_run(token: str) -> str:
    """Return `token` with spaces where it runs common words together; else unchanged.

    Hyphenated parts are split one by one ("REPORTOFTHESECRETARY-GENERAL").
    """
    return "-".join(_split_part(part) for part in token.split("-"))


def _split_part(part: str) -> str:
    """Split one hyphen-free part into words when it is a run of common words."""
    match = CORE.match(part)
    if not match or len(match.group(2)) < MIN_RUN or zipf(match.group(2)) >= RARE:
        return part
    core = match.group(2)
    if not (core.islower() or core.isupper()):
        return part  # a capitalised unknown word is a name ("Islamabad"), not a run
    pieces = _best_split(core.lower())
    if not pieces or len(pieces) < 2:
        return part
    out, at = [], 0
    for piece in pieces:
        out.append(core[at : at + len(piece)])
        at += len(piece)
    return match.group(1) + " ".join(out) + match.group(3)


def _best_split(word: str) -> list[str] | None:
    """Fewest common words that spell `word` (ties: the more frequent); None if none do."""
    best: list[tuple[int, float, list[str]] | None] = [None] * (len(word) + 1)
    best[0] = (0, 0.0, [])
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - 20), end):
            if best[start] is None:
                continue
            piece = word[start:end]
            if len(piece) == 1 and piece != ARTICLE:
                continue
            score = zipf(piece)
            if score < PIECE_FLOOR.get(len(piece), LONG_PIECE):
                continue
            count, total, pieces = best[start]
            candidate = (count + 1, total - score, [*pieces, piece])
            if best[end] is None or candidate[:2] < best[end][:2]:
                best[end] = candidate
    return best[-1][2] if best[-1] else None


def join_split(left: str, right: str) -> str | None:
    """The word `left`+`right` make when OCR split one word in two; None otherwise."""
    first, second = CORE.match(left), CORE.match(right)
    if not first or not second or first.group(3) or second.group(1):
        return None
    a, b = first.group(2), second.group(2)
    if min(zipf(a), zipf(b)) >= UNKNOWN or zipf(a + b) < JOINED:
        return None
    return left + right


def wordy(page: OcrPage) -> float:
    """The share of the page's words of three letters or more that the word list knows."""
    cores = [m.group(2) for w in page.words if (m := CORE.match(w.text)) and len(m.group(2)) > 2]
    return sum(zipf(c) > 0 for c in cores) / len(cores) if cores else 0.0


def repair_page(page: OcrPage) -> OcrPage:
    """Return `page` with run-together words split and split words joined, line by line.

    A page whose words are mostly not words (a map, a photograph) loses them,
    with a warning naming the page.
    """
    words: list[OcrWord] = []
    for word in page.words:
        previous = words[-1] if words and words[-1].line == word.line else None
        joined = join_split(previous.text, word.text) if previous else None
        if previous and joined:
            conf = min(previous.confidence, word.confidence)
            words[-1] = replace(previous, text=joined, x1=word.x1, confidence=conf)
        else:
            words.append(word)
    fixed = replace(page, words=tuple(replace(w, text=split_run(w.text)) for w in words))
    if fixed.words and wordy(fixed) < MIN_WORDY:
        reason = f"OCR read mostly non-words ({wordy(fixed):.0%} known; a picture?); text dropped"
        return replace(fixed, words=(), warning=f"page {page.page}: {reason}")
    return fixed
