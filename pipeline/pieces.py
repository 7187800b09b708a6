"""A long document processed in pieces (process.py): the CleanDocument of one piece of the
cleaned text, and the records of each piece moved into the whole text, their offsets
shifted by the piece's start and their ids numbered on from the pieces before it, so that
every offset is one into the whole cleaned text and every id is unique (pure functions)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from pipeline.models import CleanDocument, DocumentDate, Entity, Event, Mention, Timex


@dataclass(frozen=True)
class Part:
    """The records the stages made of one piece (or of the whole text, once joined)."""

    entities: tuple[Entity, ...] = ()
    timexes: tuple[Timex, ...] = ()
    mentions: tuple[Mention, ...] = ()
    events: tuple[Event, ...] = ()
    baseline_timexes: tuple[Timex, ...] = ()
    baseline_events: tuple[Event, ...] = ()
    warnings: tuple[str, ...] = ()


def bounds(pieces: Sequence[str]) -> list[tuple[int, int]]:
    """The (start, end) offsets of consecutive pieces that join into one text."""
    spans, start = [], 0
    for piece in pieces:
        spans.append((start, start + len(piece)))
        start += len(piece)
    return spans


def piece_of(clean: CleanDocument, start: int, end: int) -> CleanDocument:
    """The CleanDocument of clean.text[start:end]: its segments (cut at the piece's ends)
    and its page map, with offsets into the piece; `clean` itself for the whole text."""
    if (start, end) == (0, len(clean.text)):
        return clean
    segments = tuple(
        replace(s, char_start=max(s.char_start - start, 0), char_end=min(s.char_end, end) - start)
        for s in clean.segments
        if s.char_start < end and s.char_end > start
    )  # fmt: skip
    later = tuple((at - start, page) for at, page in clean.page_starts if start < at < end)
    pages = ((0, clean.page_at(start)), *later)
    return CleanDocument(clean.doc_id, clean.text[start:end], segments, pages)


def date_in_piece(when: DocumentDate, start: int) -> DocumentDate:
    """The document's date with its masthead offsets into the piece starting at `start`."""
    if when.char_start is None or when.char_end is None or not start:
        return when
    return replace(when, char_start=when.char_start - start, char_end=when.char_end - start)


def join(parts: Sequence[tuple[int, Part]]) -> Part:
    """One Part of the whole text from the Parts of its pieces, each given with its
    piece's start offset, in text order."""
    if len(parts) == 1 and parts[0][0] == 0:
        return parts[0][1]
    joined = Part()
    for start, part in parts:
        joined = _joined(joined, start, part)
    return joined


def _joined(before: Part, start: int, part: Part) -> Part:
    """`before` followed by `part` (of the piece at `start`) moved into the whole text."""
    t, m, e = len(before.timexes), len(before.mentions), len(before.events)
    bt, be = len(before.baseline_timexes), len(before.baseline_events)
    return Part(
        before.entities + tuple(_moved(x, start) for x in part.entities),
        before.timexes + tuple(_moved(x, start, timex_id=_on(x.timex_id, t)) for x in part.timexes),
        before.mentions + tuple(_mention(x, start, m, e) for x in part.mentions),
        before.events + tuple(_event(x, start, m, e) for x in part.events),
        before.baseline_timexes
        + tuple(_moved(x, start, timex_id=_on(x.timex_id, bt)) for x in part.baseline_timexes),
        before.baseline_events + tuple(_event(x, start, 0, be) for x in part.baseline_events),
        before.warnings + part.warnings,
    )


def _moved(record, start: int, **ids: str):
    """A record (Entity, Timex, Mention, Event) with its offsets shifted by `start`."""
    return replace(
        record, char_start=record.char_start + start, char_end=record.char_end + start, **ids
    )


def _mention(mention: Mention, start: int, mentions: int, events: int) -> Mention:
    """A mention moved into the whole text, its own and its event's id numbered on."""
    event_id = _on(mention.event_id, events) if mention.event_id else ""
    return _moved(mention, start, mention_id=_on(mention.mention_id, mentions), event_id=event_id)


def _event(event: Event, start: int, mentions: int, events: int) -> Event:
    """An event moved into the whole text, its own and its mentions' ids numbered on."""
    mention_ids = ";".join(_on(i, mentions) for i in event.mention_ids.split(";") if i)
    return _moved(event, start, event_id=_on(event.event_id, events), mention_ids=mention_ids)


def _on(record_id: str, offset: int) -> str:
    """`record_id` ("E007") numbered `offset` further on, its digits at least as wide ("E017")."""
    digits = record_id[1:]
    return f"{record_id[0]}{int(digits) + offset:0{len(digits)}d}"
