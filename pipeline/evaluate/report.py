"""Render stage results as tables and summaries (pure: no disk access)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import astuple

from pipeline.models import (
    DocumentDate,
    DocumentInfo,
    Entity,
    Event,
    GoldEvent,
    GoldTimex,
    Mention,
    Segment,
    Timex,
    field_names,
)
from pipeline.storage import csv_text

# documents.csv: the document's own date (doctime.py), then its pages and OCR (ocr.py)
DOCUMENT_COLUMNS = field_names(DocumentDate) + field_names(DocumentInfo)[1:]
SEGMENT_COLUMNS = field_names(Segment)
ENTITY_COLUMNS = field_names(Entity)
TIMEX_COLUMNS = field_names(Timex)
MENTION_COLUMNS = field_names(Mention)
EVENT_COLUMNS = field_names(Event)
GOLD_EVENT_COLUMNS = field_names(GoldEvent)
GOLD_TIMEX_COLUMNS = field_names(GoldTimex)


def table(columns: Sequence[str], records: Iterable[object]) -> str:
    """CSV text of dataclass records whose fields are `columns`, in that order."""
    return csv_text(columns, (astuple(r) for r in records))


def merged_table(
    columns: Sequence[str],
    new: dict[str, list[Sequence[object]]],
    old_rows: list[dict[str, str]],
    order: Sequence[str],
) -> str:
    """CSV text with each document's new rows, or its old rows where it has none.

    new: doc_id -> rows of this run (values in column order); old_rows: the rows of the previous
    output; order: doc_ids in corpus order. Documents that failed this run keep
    what the previous run wrote, so one bad file never erases another's results.
    """
    rows: list[Sequence[object]] = []
    for doc_id in order:
        if doc_id in new:
            rows.extend(new[doc_id])
        else:
            rows.extend([r.get(c, "") for c in columns] for r in old_rows if r["doc_id"] == doc_id)
    return csv_text(columns, rows)


def summary_line(documents: int, failed: int, pages: int, words: int, seconds: float) -> str:
    """One-line summary of a run."""
    failed_text = f" ({failed} failed)" if failed else ""
    return (
        f"{documents} document{'s' if documents != 1 else ''}{failed_text}, "
        f"{pages:,} pages, {words:,} words in {seconds:.1f} s"
    )


# --- scores (the `score` command) ------------------------------------------------

SCORE_SYSTEMS = ("pipeline", "baseline")
SCORE_FIELDS = ("date_start", "date_end", "location", "subtype", "status")
PRF_LABELS = (("precision", "P"), ("recall", "R"), ("f1", "F1"))


def scores_json(scores: dict) -> str:
    """Return the scores as JSON text: sorted keys, indent 2, a trailing newline."""
    return json.dumps(scores, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def render_scores_md(scores: dict) -> str:
    """Return a Markdown report of `score_outputs`' dict: the overall table, then one per document.

    Each table sets the pipeline beside the baseline and their difference ("gain").
    """
    docs = sorted(k for k in scores if not k.startswith("_"))
    parts = [
        "# Scores\n",
        "Pipeline and naive baseline against the gold annotations (guidelines §4); "
        "gain = pipeline − baseline; – = not produced or no gold. "
        "*cold events F1* is the first score the document ever got, before any rule was "
        "changed while looking at it (annotations/cold-scores.csv); *held out* documents are "
        "those whose gold the rules were not written against, and their macro is the honest "
        "estimate for a new document.\n",
    ]
    if "_overall" in scores:
        plural = "s" if len(docs) != 1 else ""
        parts.append(f"## Overall ({len(docs)} document{plural}, pooled; macro F1 = their mean)\n")
        parts.append(_summary_table(scores, docs))
        parts.append(_score_table(by_system(scores["_overall"]), macro=True))
    parts.append(_pax_table(scores, docs))
    for doc in docs:
        parts += [f"## {doc}\n", _score_table(by_system(scores[doc]), macro=False)]
    for key, label in (
        ("_unscored", "Not scored (no gold)"),
        ("_gold_without_output", "Gold without output"),
    ):
        if scores.get(key):
            parts.append(f"{label}: {', '.join(scores[key])}\n")
    return "\n".join(parts)


SUMMARY_COLUMNS = (  # (header, system, path into that system's scores) of the summary table
    ("events P", "pipeline", ("events", "all", "precision")),
    ("events R", "pipeline", ("events", "all", "recall")),
    ("events F1", "pipeline", ("events", "all", "f1")),
    ("meeting F1", "pipeline", ("events", "meeting", "f1")),
    ("agreement F1", "pipeline", ("events", "agreement", "f1")),
    ("date_start equal", "pipeline", ("fields", "date_start")),
    ("time relaxed F1", "pipeline", ("timexes", "relaxed", "f1")),
    ("time values", "pipeline", ("timexes", "value_accuracy")),
    ("cold events F1", "cold", ("events_f1",)),
    ("baseline events F1", "baseline", ("events", "all", "f1")),
    ("baseline time F1", "baseline", ("timexes", "relaxed", "f1")),
)


def _summary_table(scores: dict, docs: list[str]) -> str:
    """One row per document, then the pooled row and the macro rows (mean over all
    documents, and over the held-out ones) that score_outputs computed."""
    held = set(scores.get("_held_out", ()))
    lines = [
        "| document | held out | " + " | ".join(h for h, _, _ in SUMMARY_COLUMNS) + " |",
        "|---|---|" + "---:|" * len(SUMMARY_COLUMNS),
    ]
    for doc in docs:
        row = [lookup(by_system(scores[doc])[sys], path) for _, sys, path in SUMMARY_COLUMNS]
        lines.append(f"| {doc} | {'yes' if doc in held else 'no'} | " + _cells(row) + " |")
    pooled = [lookup(by_system(scores["_overall"])[sys], path) for _, sys, path in SUMMARY_COLUMNS]
    lines.append("| all (pooled) | | " + _cells(pooled) + " |")
    for key, name in (
        ("all", f"macro, all {len(docs)}"),
        ("held_out", f"macro, {len(held)} held out"),
    ):
        row = [scores.get("_macro", {}).get(key, {}).get(h) for h, _, _ in SUMMARY_COLUMNS]
        lines.append(f"| {name} | | " + _cells(row) + " |")
    return "\n".join(lines) + "\n"


PAX_COUNTS = ("agreements", "linked", "date_agrees", "date_close", "date_conflict")


def _pax_table(scores: dict, docs: list[str]) -> str:
    """Per document: agreement events, how many link to PA-X, how many links agree on the
    date (exact), are within a few days (close) or disagree (conflict)."""
    lines = [
        "## PA-X links\n",
        "| document | " + " | ".join(c.replace("_", " ") for c in PAX_COUNTS) + " |",
        "|---|" + "---:|" * len(PAX_COUNTS),
    ]
    for doc in docs:
        counts = scores[doc].get("pax") or {}
        lines.append(f"| {doc} | " + _cells([counts.get(c) for c in PAX_COUNTS]) + " |")
    return "\n".join(lines) + "\n"


def _cells(values: Sequence[object]) -> str:
    """Table cells for a row of values."""
    return " | ".join(_cell(v) for v in values)


def _score_rows(macro: bool) -> list[tuple[str, tuple[str, ...]]]:
    """Return (label, path into one system's scores) for each row of a score table."""
    prf = PRF_LABELS + ((("macro_f1", "macro F1"),) if macro else ())
    rows: list[tuple[str, tuple[str, ...]]] = []
    for kind in ("all", "meeting", "agreement"):
        rows.append((f"events {kind}: tp/fp/fn", ("events", kind, "")))
        rows += [(f"events {kind}: {label}", ("events", kind, key)) for key, label in prf]
    rows.append(("matched pairs", ("fields", "pairs")))
    rows += [(f"field {name} equal", ("fields", name)) for name in SCORE_FIELDS]
    rows.append(("participants Jaccard", ("fields", "participants_jaccard")))
    for kind in ("strict", "relaxed"):
        rows.append((f"time {kind}: tp/fp/fn", ("timexes", kind, "")))
        rows += [(f"time {kind}: {label}", ("timexes", kind, key)) for key, label in prf]
    rows.append(("time value accuracy", ("timexes", "value_accuracy")))
    return rows


def _score_table(systems: dict, macro: bool) -> str:
    """Return one Markdown table: a row per measure, columns pipeline, baseline, gain."""
    lines = ["| measure | pipeline | baseline | gain |", "|---|---:|---:|---:|"]
    for label, path in _score_rows(macro):
        ours, theirs = (lookup(systems.get(name), path) for name in SCORE_SYSTEMS)
        lines.append(f"| {label} | {_cell(ours)} | {_cell(theirs)} | {_gain(ours, theirs, path)} |")
    return "\n".join(lines) + "\n"


def lookup(scores: dict | None, path: tuple[str, ...]) -> object:
    """Follow `path` into one system's scores; a last key "" means the tp/fp/fn counts."""
    value: object = scores
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key) if key else f"{value['tp']}/{value['fp']}/{value['fn']}"
    return value


def _cell(value: object) -> str:
    """Format a score (3 decimals), a count or a tp/fp/fn string; None as –."""
    if value is None:
        return "–"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def _gain(ours: object, theirs: object, path: tuple[str, ...]) -> str:
    """Return pipeline − baseline for two scores; empty for counts, – when one is missing."""
    if not path[-1] or path[-1] == "pairs":
        return ""
    if not isinstance(ours, float) or not isinstance(theirs, float):
        return "–"
    return f"{ours - theirs:+.3f}"


def by_system(entry: dict) -> dict:
    """Split one document's scores ({events, fields, timexes, baseline, cold}) by system."""
    pipeline = {key: value for key, value in entry.items() if key not in ("baseline", "cold")}
    return {"pipeline": pipeline, "baseline": entry.get("baseline"), "cold": entry.get("cold")}


def headline(scores: dict) -> list[str]:
    """Short lines with the event F1 and time-expression scores, pipeline beside baseline."""
    if not scores:
        return []
    lines = []
    for doc_id in [d for d in scores if not d.startswith("_")] + ["_overall"]:
        systems = by_system(scores[doc_id])
        mine, base = systems["pipeline"], systems["baseline"]
        name = "all documents" if doc_id == "_overall" else doc_id
        lines.append(
            f"{name}: events F1 {_f1(mine, 'events')} (baseline {_f1(base, 'events')}), "
            f"time F1 {_f1(mine, 'timexes')} (baseline {_f1(base, 'timexes')})"
        )
    for key, name in (("all", "macro, all documents"), ("held_out", "macro, held-out documents")):
        row = scores.get("_macro", {}).get(key, {})
        lines.append(
            f"{name}: events F1 {_cell(row.get('events F1'))} "
            f"(cold {_cell(row.get('cold events F1'))}), "
            f"time F1 {_cell(row.get('time relaxed F1'))}"
        )
    return lines + ["full scores: scores.md"]


def _f1(system: dict, part: str) -> str:
    """The headline F1 of a part: all events, or relaxed time expressions; "–" when absent."""
    block = system.get(part)
    if not block:
        return "–"
    value = block["all"]["f1"] if part == "events" else block["relaxed"]["f1"]
    return f"{value:.3f}"
