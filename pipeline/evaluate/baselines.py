"""Naive baselines that users would otherwise reach for, scored beside the pipeline.

- Time: dateparser's `search_dates` over each sentence, values at day precision.
- Events: one event per sentence with a meeting or agreement keyword
  (resources/baseline_keywords.jsonl), dated by the sentence's first time
  expression and placed at its first GPE/LOC entity.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import cache
from types import MappingProxyType

from dateparser.search import search_dates
from spacy.tokens import Doc, Span

from pipeline.models import Entity, Event, Timex
from pipeline.nlp.entities import resolve_place
from pipeline.rules import load_jsonl

FALLBACK_BASE = datetime(2000, 1, 1)
YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
PLACE_LABELS = frozenset({"GPE", "LOC"})
STATUS = MappingProxyType({"meeting": "held", "agreement": "agreed"})
TITLE_LENGTH = 80


def relative_base(text: str) -> datetime:
    """Read a document's text; return 1 January of its first year written in digits.

    dateparser fills what a date leaves out from this base instead of today,
    so the baseline's output never depends on when it runs.
    """
    found = YEAR.search(text)
    return datetime(int(found.group(1)), 1, 1) if found else FALLBACK_BASE


def baseline_timexes(doc: Doc, doc_id: str, base: datetime | None = None) -> tuple[Timex, ...]:
    """Run dateparser's search_dates over each sentence of `doc` (a parsed cleaned text).

    Returns one DATE Timex per string it finds, in document order, ids T0001...,
    valued at day precision (YYYY-MM-DD as dateparser gives) and without mod.
    base: what a date leaves out is filled from (default: relative_base of doc.text;
    a piece of a long document gets the whole text's).
    """
    base = base or relative_base(doc.text)
    found = [span for sent in doc.sents for span in _sentence_dates(sent, base)]
    return tuple(
        Timex(doc_id, f"T{n:04d}", start, end, text, "DATE", value, value, "", "")
        for n, (start, end, text, value) in enumerate(found, start=1)
    )


def _sentence_dates(sent: Span, base: datetime) -> list[tuple[int, int, str, str]]:
    """Return (char_start, char_end, text, ISO day) for each date dateparser finds in `sent`."""
    settings = {"RELATIVE_BASE": base}
    results = search_dates(sent.text, languages=["en"], settings=settings) or []
    spans, cursor = [], 0
    for surface, value in results:
        at = sent.text.find(surface, cursor)
        if at < 0:  # dateparser may rewrite what it returns; keep only strings in the text
            continue
        cursor = at + len(surface)
        start = sent.start_char + at
        spans.append((start, start + len(surface), surface, value.date().isoformat()))
    return spans


@cache
def keyword_pattern() -> re.Pattern:
    """Return one regex over every keyword of baseline_keywords.jsonl (longest first)."""
    words = sorted((r["keyword"] for r in load_jsonl("baseline_keywords.jsonl")), key=len)
    alternatives = "|".join(re.escape(w) for w in reversed(words))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


@cache
def keyword_types() -> MappingProxyType:
    """Return {lower-cased keyword: event_type} from baseline_keywords.jsonl."""
    records = load_jsonl("baseline_keywords.jsonl")
    return MappingProxyType({r["keyword"].lower(): r["event_type"] for r in records})


def first_keyword_type(text: str) -> str | None:
    """Return the event_type of the first keyword in `text`, or None when it has none."""
    found = keyword_pattern().search(text)
    return keyword_types()[found.group(0).lower()] if found else None


def baseline_events(
    doc: Doc,
    doc_id: str,
    timexes: Sequence[Timex],
    entities: Sequence[Entity],
    page_at: Callable[[int], int] | None = None,
) -> tuple[Event, ...]:
    """Return one event per sentence of `doc` with a keyword (ids B0001...).

    timexes and entities: the pipeline's for the same doc (extract_timexes,
    extract_entities). page_at: CleanDocument.page_at, for the page column
    (0 without it). Subtype, participants and mediators are left empty.
    """
    events: list[Event] = []
    timexes = sorted(timexes, key=lambda t: t.char_start)
    entities = sorted(entities, key=lambda e: e.char_start)
    for sent in doc.sents:
        event_type = first_keyword_type(sent.text)
        if event_type is None:
            continue
        page = page_at(sent.start_char) if page_at else 0
        events.append(_event(doc_id, len(events) + 1, sent, event_type, timexes, entities, page))
    return tuple(events)


def _within(records: Sequence[Timex | Entity], start: int, end: int) -> list:
    """The records (sorted by char_start) that lie within [start, end): found by bisection,
    so a document of many sentences is not scanned once per sentence."""
    first = bisect_left(records, start, key=lambda r: r.char_start)
    last = bisect_left(records, end, key=lambda r: r.char_start)
    return [r for r in records[first:last] if r.char_end <= end]


def _event(
    doc_id: str,
    number: int,
    sent: Span,
    event_type: str,
    timexes: Sequence[Timex],
    entities: Sequence[Entity],
    page: int,
) -> Event:
    """Build the baseline event of one keyword sentence: its first date and first place."""
    start, end = sent.start_char, sent.end_char
    dated = [t for t in _within(timexes, start, end) if t.value_start]
    timex = min(dated, key=lambda t: t.char_start, default=None)
    places = [e for e in _within(entities, start, end) if e.label in PLACE_LABELS]
    place = min(places, key=lambda e: e.char_start, default=None)
    location = place.canonical if place else ""
    country = (resolve_place(location) or ("", ""))[1] if location else ""
    text = " ".join(sent.text.split())
    return Event(
        doc_id=doc_id,
        event_id=f"B{number:04d}",
        event_type=event_type,
        subtype="",
        status=STATUS[event_type],
        title=text[:TITLE_LENGTH],
        date_start=timex.value_start if timex else "",
        date_end=timex.value_end if timex else "",
        date_mod=timex.mod if timex else "",
        date_text=timex.text if timex else "",
        location=location,
        country=country,
        participants="",
        mediators="",
        round="",
        section="",
        evidence=sent.text,
        char_start=start,
        char_end=end,
        page=page,
        mention_ids="",
    )
