"""The run's scores, from the records it made (no outputs read back): the gold read once,
each document's pipeline events paired with its gold once (the pairs that made the match
columns of events.csv), then `scoring.score_records`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.evaluate.gold import GoldError
from pipeline.evaluate.scoring import (
    Tables,
    load_cold,
    parse_gold,
    read_gold_rows,
    score_records,
)
from pipeline.models import Event, InputError, Timex


@dataclass(frozen=True)
class Gold:
    """The gold files as read once by a run, and their events parsed (for pairing)."""

    folder: Path | None = None
    files: Mapping[str, Mapping[str, tuple[str, list]]] | None = None
    events: Mapping[str, tuple] | None = None  # doc_id -> gold events


@dataclass(frozen=True)
class Scorable:
    """What a run keeps of one processed document that has gold, to score it at the end."""

    doc_id: str
    text: str
    events: tuple[Event, ...]
    timexes: tuple[Timex, ...]
    baseline_events: tuple[Event, ...]
    baseline_timexes: tuple[Timex, ...]
    pairs: tuple[tuple[int, int], ...]
    pax: Mapping[str, int]


def read_gold(gold_dir: Path | None, errors: list[str]) -> Gold:
    """The gold files of `gold_dir` read once, their events parsed (Gold() without gold).

    A gold file that breaks the format is added to `errors`, line by line, and the run
    goes on unscored. (Offsets are checked against the texts when the run is scored.)
    """
    if gold_dir is None or not gold_dir.is_dir():
        return Gold()
    try:
        files = read_gold_rows(gold_dir)
        gold = parse_gold(files, {}, str(gold_dir))
    except GoldError as err:
        errors.extend(f"error: {problem}" for problem in err.problems)
        return Gold()
    except InputError as err:  # a gold file that cannot be read at all
        errors.append(f"error: {err}")
        return Gold()
    events = {doc_id: events for doc_id, (events, _) in gold.items() if events}
    return Gold(gold_dir, files, events)


def score_documents(gold: Gold, kept: Sequence[Scorable], processed: Sequence[str]) -> dict:
    """The scores of the processed documents (score_records' dict) from the records kept
    of those with gold. Raises GoldError (offsets that miss a text), InputError (a broken
    cold-scores file)."""
    texts = {k.doc_id: k.text for k in kept}
    checked = parse_gold(gold.files, texts, str(gold.folder))
    systems: dict[str, Tables] = {
        "pipeline": (
            {k.doc_id: k.events for k in kept},
            {k.doc_id: k.timexes for k in kept},
        ),
        "baseline": (
            {k.doc_id: k.baseline_events for k in kept},
            {k.doc_id: k.baseline_timexes for k in kept},
        ),
    }
    pax = {k.doc_id: dict(k.pax) for k in kept}
    pairs = {"pipeline": {k.doc_id: list(k.pairs) for k in kept}}
    return score_records(processed, systems, checked, load_cold(gold.folder), pax, pairs)
