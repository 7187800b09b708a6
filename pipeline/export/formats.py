"""The outputs researchers use, made from a run's tables: Parquet of every table,
events.plover.jsonl, timeline/<doc_id>.png and report.html (all written through storage)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from pipeline import storage
from pipeline.export import htmlreport, plover, tables, timeline
from pipeline.models import ManifestEntry


def write_exports(out: Path, entries: Iterable[ManifestEntry]) -> None:
    """Read every CSV table under `out` (and scores.json when there is one) and write the
    typed Parquet copy of each, the PLOVER records, one timeline PNG per document with
    events and report.html. entries: the manifest rows (titles, authors for the citation)."""
    by_id = {e.doc_id: e for e in entries}
    events: list[dict[str, str]] = []
    for path in storage.list_files(out, ".csv"):
        columns, rows = storage.read_csv_table(path)
        content = tables.parquet_bytes(tables.arrow_table(columns, rows))
        storage.write_bytes_atomic(path.with_suffix(".parquet"), content)
        if path.name == "events.csv":
            events = rows
    storage.write_atomic(out / "events.plover.jsonl", plover.records_jsonl(events, by_id))
    for doc in dict.fromkeys(r["doc_id"] for r in events):
        mine = [r for r in events if r["doc_id"] == doc]
        storage.write_bytes_atomic(out / "timeline" / f"{doc}.png", timeline.png(doc, mine))
    scores_path = out / "scores.json"
    scores = json.loads(storage.read_text(scores_path)) if scores_path.exists() else {}
    storage.write_atomic(out / "report.html", htmlreport.report_html(events, scores, by_id))
