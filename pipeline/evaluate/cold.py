"""Cold scores: each document's first score, recorded once and never rewritten (pure functions).

The cold score of a document is the score it got before any rule was changed while
looking at it; the macro over the held-out documents' cold scores is the honest
estimate of how the pipeline does on the next document. `score --record-cold`
appends a row for every scored document that has none; existing rows are kept
byte for byte (storage.append_rows).
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.evaluate.report import lookup
from pipeline.models import ColdScore, InputError, field_names

COLD_FILE = "cold-scores.csv"
COLD_COLUMNS = field_names(ColdScore)
# ColdScore field -> path into one document's pipeline scores (scoring.score_outputs)
SCORE_PATHS = (
    ("events_precision", ("events", "all", "precision")),
    ("events_recall", ("events", "all", "recall")),
    ("events_f1", ("events", "all", "f1")),
    ("meeting_f1", ("events", "meeting", "f1")),
    ("agreement_f1", ("events", "agreement", "f1")),
    ("time_relaxed_f1", ("timexes", "relaxed", "f1")),
    ("value_accuracy", ("timexes", "value_accuracy")),
)
HELD_OUT = ("yes", "no")


def parse_cold(rows: Sequence[dict[str, str]], source: str) -> dict[str, ColdScore]:
    """Check the rows of a cold-scores file; return {doc_id: ColdScore}.

    Raises InputError naming the file and line of the first problem (a missing
    column, a duplicate doc_id, held_out not yes/no, a score that is not a number).
    """
    if rows and not set(COLD_COLUMNS) <= set(rows[0]):
        missing = sorted(set(COLD_COLUMNS) - set(rows[0]))
        raise InputError(source, f"missing column(s) {', '.join(missing)}")
    cold: dict[str, ColdScore] = {}
    for line, row in enumerate(rows, start=2):
        doc_id = (row["doc_id"] or "").strip()
        if not doc_id or doc_id in cold:
            raise InputError(f"{source}:{line}", f"empty or repeated doc_id {doc_id!r}")
        if row["held_out"] not in HELD_OUT:
            raise InputError(
                f"{source}:{line}", f"held_out must be yes or no, not {row['held_out']!r}"
            )
        values = {name: _number(row[name], f"{source}:{line}", name) for name, _ in SCORE_PATHS}
        text = {c: row[c] for c in COLD_COLUMNS if c not in values}
        cold[doc_id] = ColdScore(**{**text, **values, "doc_id": doc_id})
    return cold


def _number(text: str, where: str, name: str) -> float | None:
    """A score cell as a float in [0, 1]; None when empty."""
    if not (text or "").strip():
        return None
    try:
        value = float(text)
    except ValueError:
        raise InputError(where, f"{name} is not a number: {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise InputError(where, f"{name} is outside 0-1: {text!r}")
    return value


def new_cold_scores(
    scores: dict, known: dict[str, ColdScore], recorded: str, version: str
) -> tuple[ColdScore, ...]:
    """Cold records for the documents scored in `scores` (score_outputs' dict) with event
    gold and no record in `known`; every new one is held out (its gold is new)."""
    new = []
    for doc_id in sorted(d for d in scores if not d.startswith("_")):
        if doc_id in known or not scores[doc_id].get("events"):
            continue
        values = {name: _at(scores[doc_id], path) for name, path in SCORE_PATHS}
        new.append(ColdScore(doc_id, recorded, version, "yes", **values))
    return tuple(new)


def _at(scores: dict, path: tuple[str, ...]) -> float | None:
    """The score at `path` (report.lookup's walk), None where it is missing or no number."""
    value = lookup(scores, path)
    return value if isinstance(value, float | int) else None


def cold_cells(record: ColdScore) -> tuple[str, ...]:
    """A record as CSV cells in COLD_COLUMNS order; scores with 4 decimals, None as empty."""
    return tuple(
        "" if v is None else f"{v:.4f}" if isinstance(v, float) else str(v)
        for v in (getattr(record, c) for c in COLD_COLUMNS)
    )
