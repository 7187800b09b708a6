"""Run the stages over a corpus and write every output (the `run` command's engine)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import report, storage
from .clean import clean_document
from .ingest import ingest
from .models import CleanDocument, Entity, InputError, ManifestEntry, RawDocument, Timex
from .nlp import annotate


@dataclass(frozen=True)
class DocResult:
    """Everything the stages made of one document."""

    entry: ManifestEntry
    raw: RawDocument
    clean: CleanDocument
    entities: tuple[Entity, ...] = ()
    timexes: tuple[Timex, ...] = ()

    @property
    def pages(self) -> int:
        """Pages of the source (PDF) or the highest page seen (text)."""
        return self.raw.n_pages or max((p for _, p in self.clean.page_starts), default=1)


@dataclass
class RunReport:
    """What a run did: results, one-line errors, timing."""

    results: list[DocResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0


def load_document(corpus: Path, entry: ManifestEntry) -> tuple[RawDocument, CleanDocument]:
    """Read, ingest and clean one corpus document; InputError when it cannot be used."""
    path = corpus / entry.file
    raw = ingest(entry.doc_id, str(path), storage.read_source(path))
    return raw, clean_document(raw)


def run_corpus(
    corpus: Path,
    out: Path,
    model: str,
    only: Sequence[str] = (),
    say: Callable[[str], None] = lambda m: print(m, file=sys.stderr),
) -> RunReport:
    """Process the corpus (or the doc_ids in `only`) and write the outputs under `out`."""
    started = time.perf_counter()
    entries, duplicates = storage.read_manifest(corpus)
    order = [e.doc_id for e in entries]
    entries = select(entries, only)
    run = RunReport()
    for err in duplicates:
        run.errors.append(f"error: {err}")
        say(f"error: {err}")
    for number, entry in enumerate(entries, start=1):
        try:
            raw, clean = load_document(corpus, entry)
        except InputError as err:
            run.errors.append(f"error: {err}")
            say(f"error: {err}")
            continue
        run.results.append(DocResult(entry, raw, clean))
        if len(entries) > 1:
            say(f"[{number}/{len(entries)}] {entry.doc_id}: {len(clean.text.split()):,} words")
    run.results = annotate(run.results, model, say)
    write_outputs(out, run.results, order)
    run.seconds = time.perf_counter() - started
    return run


def select(entries: list[ManifestEntry], only: Sequence[str]) -> list[ManifestEntry]:
    """Keep the entries named in `only` (all when empty); InputError for an unknown id."""
    known = {e.doc_id for e in entries}
    unknown = [d for d in only if d not in known]
    if unknown:
        raise InputError("--docs", f"unknown doc_id(s): {', '.join(unknown)}")
    return [e for e in entries if not only or e.doc_id in only]


def write_outputs(out: Path, results: list[DocResult], order: list[str]) -> None:
    """Write each document's text and the corpus-wide tables under `out`."""
    for result in results:
        storage.write_atomic(out / "text" / f"{result.entry.doc_id}.txt", result.clean.text)
    tables = {
        "segments.csv": (report.SEGMENT_COLUMNS, lambda r: r.clean.segments),
        "entities.csv": (report.ENTITY_COLUMNS, lambda r: r.entities),
        "timexes.csv": (report.TIMEX_COLUMNS, lambda r: r.timexes),
    }
    for name, (columns, records) in tables.items():
        new = {r.entry.doc_id: list(records(r)) for r in results}
        old = storage.read_csv_rows(out / name)
        storage.write_atomic(out / name, report.merged_table(columns, new, old, order))
