"""Render stage results as tables and summaries (pure: no disk access)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import astuple

from .storage import csv_text

SEGMENT_COLUMNS = ("doc_id", "segment_id", "kind", "section", "page", "char_start", "char_end")
ENTITY_COLUMNS = (
    "doc_id",
    "char_start",
    "char_end",
    "text",
    "label",
    "canonical",
    "side",
    "source",
)
TIMEX_COLUMNS = (
    "doc_id",
    "timex_id",
    "char_start",
    "char_end",
    "text",
    "type",
    "value_start",
    "value_end",
    "mod",
    "anchor",
)
GOLD_EVENT_COLUMNS = (
    "doc_id",
    "gold_id",
    "event_type",
    "subtype",
    "status",
    "title",
    "date_start",
    "date_end",
    "date_mod",
    "location",
    "country",
    "participants",
    "mediators",
    "round",
    "evidence",
    "optional",
)
GOLD_TIMEX_COLUMNS = (
    "doc_id",
    "char_start",
    "char_end",
    "text",
    "type",
    "value_start",
    "value_end",
    "mod",
)


def table(columns: Sequence[str], records: Iterable[object]) -> str:
    """CSV text of dataclass records whose fields are `columns`, in that order."""
    return csv_text(columns, (astuple(r) for r in records))


def merged_table(
    columns: Sequence[str],
    new: dict[str, list[object]],
    old_rows: list[dict[str, str]],
    order: Sequence[str],
) -> str:
    """CSV text with each document's new records, or its old rows where it has none.

    new: doc_id -> records of this run; old_rows: the rows of the previous
    output; order: doc_ids in corpus order. Documents that failed this run keep
    what the previous run wrote, so one bad file never erases another's results.
    """
    rows: list[Sequence[object]] = []
    for doc_id in order:
        if doc_id in new:
            rows.extend(astuple(r) for r in new[doc_id])
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
