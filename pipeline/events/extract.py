"""Turn mentions into events: one row per meeting or agreement (guidelines §1-2).

`extract_events` is three steps: reading (reading.py: the Doc into frozen
records), merging (`merge`, here, in meetings.py and agreements.py: records into events, on
the records alone) and row building (rows.py). Merging walks the readings of the
whole document in order. In each sentence the meeting mentions that tell one
meeting are grouped ("met in Tehran on 18 June for the second round"), then
resolved against every event found so far: a mention with its own date, place
or round number joins the most recent compatible event (same type, overlapping
dates, agreeing places, rounds and phases; a held meeting takes up the planned
one) or starts a new one; an anaphoric mention ("the talks", "the meeting") only
joins the most recent compatible event of its status in this or the previous
paragraph. Then the sentence's agreement clauses (grouped by the parse at
reading, clusters.py) are resolved (agreements.py) at the meeting the narrative
is at. Every change is a new frozen Draft put in the place of the old one.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc

from pipeline.events import agreements
from pipeline.events.drafts import Clause, DocumentReading, Draft, Reading
from pipeline.events.meetings import (
    group_meetings,
    latest_event,
    reference,
    resolve_meeting,
)
from pipeline.events.plans import named_once, plans_held
from pipeline.events.reading import read_document
from pipeline.events.rows import row_of
from pipeline.events.slots import during, overlaps
from pipeline.models import CleanDocument, Entity, Event, Mention, Timex


def extract_events(
    doc: Doc, clean: CleanDocument, entities: Sequence[Entity], timexes: Sequence[Timex]
) -> tuple[tuple[Mention, ...], tuple[Event, ...]]:
    """Read a parsed Doc of `clean.text` with its entities and time expressions; return
    its mentions (document order, ids M0001...) and events (document order, E001...)."""
    story = read_document(doc, clean, entities, timexes)
    return _tables(story, clean, merge(story))


def merge(story: DocumentReading) -> tuple[Draft, ...]:
    """Merge the readings of a whole document into events; return them (frozen, each
    with its key) in the order of their first mention."""
    board: dict[int, Draft] = {}
    by_sentence: dict[int, list[Reading]] = {}
    for reading in story.readings:
        by_sentence.setdefault(reading.sentence, []).append(reading)
    clauses: dict[int, list[Clause]] = {}
    for clause in story.clauses:
        clauses.setdefault(clause.readings[0].sentence, []).append(clause)
    for index in sorted(by_sentence):
        _resolve_sentence(story, board, by_sentence[index], clauses.get(index, []))
    events = tuple(sorted((d for d in board.values() if d.readings), key=lambda d: d.first))
    return agreements.at_final_dates(named_once(plans_held(story, events)))


def _resolve_sentence(
    story: DocumentReading, board: dict[int, Draft], readings: list[Reading], clauses
) -> None:
    """Resolve the meeting mentions of one sentence, then its agreement clauses."""
    live = [r for r in readings if r.status != "dropped"]
    meetings = [r for r in live if r.event_type == "meeting" and r.role != "place_anaphor"]
    held = []
    for group in group_meetings(meetings):
        draft = resolve_meeting(story, board, group)
        if draft is not None and draft.status == "held":
            held.append(draft.key)
    if any(r.role == "place_anaphor" for r in live):
        latest = latest_event(list(board.values()), "meeting", lambda d: d.status == "held")
        held += [latest.key] if latest is not None else []
    for r in (r for r in live if r.role == "place_anaphor"):
        if held:
            board[held[-1]] = board[held[-1]].absorbed(r)
    agreement_readings = [r for r in live if r.event_type == "agreement"]
    if agreement_readings:
        at = held[-1] if held else _current_meeting(story, board, agreement_readings[0])
        first = agreement_readings[0]
        now = reference(story, first.start, first.paragraph)
        agreements.resolve(board, clauses, at, now)


def _current_meeting(
    story: DocumentReading, board: dict[int, Draft], reading: Reading
) -> int | None:
    """The key of the held meeting the narrative is at: of the held meetings mentioned in
    this or the previous paragraph, the latest one of the narrative's date (else the
    latest), unless a later date has moved the narrative past it."""
    recent = [
        d for d in board.values()
        if d.event_type == "meeting" and d.status == "held" and reading.paragraph - d.paragraph <= 1
    ]  # fmt: skip
    now = reference(story, reading.start)
    dated = [d for d in recent if overlaps(d.when, now)]
    latest = max(dated or recent, key=lambda d: d.last, default=None)
    if latest is None:
        return None
    moved = [w for p, w in story.timeline if latest.last < p < reading.start]
    if not latest.guessed and any(not during(w, latest.when) for w in moved):
        return None
    return latest.key


def _tables(
    story: DocumentReading, clean: CleanDocument, drafts: tuple[Draft, ...]
) -> tuple[tuple[Mention, ...], tuple[Event, ...]]:
    """The mention and event records, events in the order of their first mention."""
    by_key = {d.key: d for d in drafts}
    event_of = {}
    events = []
    for number, draft in enumerate(drafts, start=1):
        event_id = f"E{number:03d}"
        event_of.update({r.mention_id: event_id for r in draft.readings})
        events.append(row_of(story, clean, draft, event_id, by_key))
    mentions = tuple(r.mention(event_of.get(r.mention_id, "")) for r in story.readings)
    return mentions, tuple(events)
