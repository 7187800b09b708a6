"""Run the stages over a corpus and write every output (the `run` command's engine)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import astuple, dataclass, field
from pathlib import Path
from types import MappingProxyType

from . import exports, nlp, outdir, pax, report, storage
from .clean import clean_document
from .gold import GoldError
from .ingest import ingest
from .linking import link_pax, read_register
from .models import (
    CleanDocument,
    DocumentDate,
    Entity,
    Event,
    InputError,
    ManifestEntry,
    Mention,
    PaxLink,
    RawDocument,
    Timex,
)
from .nlp import annotate
from .ocr import Recogniser, document_info
from .reconcile import MATCH_COLUMNS, match_columns, missed_rows, pair_events
from .scoring import load_gold, score_outputs

TABLES = MappingProxyType(
    {
        "documents.csv": report.DOCUMENT_COLUMNS,
        "segments.csv": report.SEGMENT_COLUMNS,
        "entities.csv": report.ENTITY_COLUMNS,
        "timexes.csv": report.TIMEX_COLUMNS,
        "mentions.csv": report.MENTION_COLUMNS,
        "events.csv": report.EVENT_COLUMNS + MATCH_COLUMNS + pax.PAX_COLUMNS,
        "missed.csv": report.GOLD_EVENT_COLUMNS,
        "baseline_timexes.csv": report.TIMEX_COLUMNS,
        "baseline_events.csv": report.EVENT_COLUMNS,
        "pax_unmentioned.csv": pax.UNMENTIONED_COLUMNS,
    }
)


OCR_CACHE = "ocr-cache"  # under the output folder: engine output by source file SHA-256


@dataclass(frozen=True)
class DocResult:
    """Everything the stages made of one document."""

    entry: ManifestEntry
    raw: RawDocument
    clean: CleanDocument
    document: DocumentDate | None = None
    entities: tuple[Entity, ...] = ()
    timexes: tuple[Timex, ...] = ()
    mentions: tuple[Mention, ...] = ()
    events: tuple[Event, ...] = ()
    baseline_timexes: tuple[Timex, ...] = ()
    baseline_events: tuple[Event, ...] = ()
    pax_links: tuple[PaxLink | None, ...] = ()  # one per event
    pax_unmentioned: tuple[tuple[str, ...], ...] = ()  # rows of pax_unmentioned.csv

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
    failed: int = 0  # documents that could not be used
    skipped: list[str] = field(default_factory=list)  # absent documents from outside the corpus
    outside: list[str] = field(default_factory=list)  # documents read from outside the corpus
    scores: dict = field(default_factory=dict)


def load_document(
    corpus: Path, entry: ManifestEntry, ocr: Recogniser | None = None
) -> tuple[RawDocument, CleanDocument]:
    """Read, ingest and clean one corpus document; InputError when it cannot be used.

    ocr reads the PDF pages that have no text layer (default: uncached).
    """
    path = corpus / entry.file
    raw = ingest(entry.doc_id, str(path), storage.read_source(path), ocr)
    clean = clean_document(raw)
    if len(clean.text) > nlp.MAX_TEXT_CHARS:
        size = f"{len(clean.text):,} characters of text, more than the {nlp.MAX_TEXT_CHARS:,}"
        raise InputError(str(path), f"too long: {size} one run holds in memory; split it")
    return raw, clean


def run_corpus(
    corpus: Path,
    out: Path,
    model: str,
    only: Sequence[str] = (),
    gold_dir: Path | None = None,
    say: Callable[[str], None] = lambda m: print(m, file=sys.stderr),
    register: Path | None = None,
) -> RunReport:
    """Process the corpus (or the doc_ids in `only`), write the outputs under `out` (as
    one set: outdir.py), score them against the gold files in `gold_dir` when there are
    any, and link agreements to the PA-X export `register` when one is given. With no
    document processed nothing is written."""
    started = time.perf_counter()
    agreements = read_register(register)
    entries, rejected = storage.read_manifest(corpus)
    listed = entries
    order = [e.doc_id for e in entries]
    entries = select(entries, only)
    outdir.prepare(out)
    run = RunReport()
    for err in rejected:
        run.errors.append(f"error: {err}")
        say(f"error: {err}")
    for number, entry in enumerate(entries, start=1):
        if storage.absent_outside(corpus, entry.file):
            run.skipped.append(entry.doc_id)
            say(f"skipped: {corpus / entry.file}: absent (a document outside the corpus folder)")
            continue
        try:
            raw, clean = load_document(corpus, entry, Recogniser(out / OCR_CACHE))
        except InputError as err:
            run.errors.append(f"error: {err}")
            say(f"error: {err}")
            continue
        for page in raw.ocr:
            if page.warning:
                say(f"warning: {corpus / entry.file}: {page.warning}")
        if storage.outside(corpus, entry.file):
            run.outside.append(entry.doc_id)
        run.results.append(DocResult(entry, raw, clean))
        if len(entries) > 1:
            say(f"[{number}/{len(entries)}] {entry.doc_id}: {len(clean.text.split()):,} words")
    run.failed = len(run.errors)
    run.results = link_pax(annotate(run.results, model, say), agreements)
    if run.results:
        gold = read_gold(gold_dir, run)
        pending = outdir.stage(out, output_files(out, run.results, order, gold))
        if gold:
            score_run(pending, gold_dir, run)
        exports.write_exports(pending, listed)
        outdir.commit(out)
    run.seconds = time.perf_counter() - started
    return run


def score_run(out: Path, gold_dir: Path, run: RunReport) -> None:
    """Score the documents this run processed (never stale rows of absent ones) and write
    scores.json and scores.md into `out` (the run's staging folder); a broken cold-scores
    file is reported in `run.errors`."""
    try:
        run.scores = score_outputs(out, gold_dir, [r.entry.doc_id for r in run.results])
    except InputError as err:
        run.errors.append(f"error: {err}")
        return
    storage.write_atomic(out / "scores.json", report.scores_json(run.scores))
    storage.write_atomic(out / "scores.md", report.render_scores_md(run.scores))


def read_gold(gold_dir: Path | None, run: RunReport) -> dict[str, tuple]:
    """The gold events of the processed documents by doc_id ({} without gold).

    A gold file that breaks the format is reported in `run.errors`, line by
    line, and the run goes on unscored.
    """
    if gold_dir is None or not gold_dir.is_dir():
        return {}
    texts = {r.entry.doc_id: r.clean.text for r in run.results}
    try:
        gold = load_gold(gold_dir, texts)
    except GoldError as err:
        run.errors.extend(f"error: {problem}" for problem in err.problems)
        return {}
    except InputError as err:  # a gold file that cannot be read at all
        run.errors.append(f"error: {err}")
        return {}
    return {doc_id: events for doc_id, (events, _) in gold.items() if doc_id in texts and events}


def select(entries: list[ManifestEntry], only: Sequence[str]) -> list[ManifestEntry]:
    """Keep the entries named in `only` (all when empty); InputError for an unknown id."""
    known = {e.doc_id for e in entries}
    unknown = [d for d in only if d not in known]
    if unknown:
        raise InputError("--docs", f"unknown doc_id(s): {', '.join(unknown)}")
    return [e for e in entries if not only or e.doc_id in only]


def output_files(out: Path, results: list[DocResult], order: list[str], gold: dict) -> dict:
    """Each document's text and the corpus-wide tables, as {path under `out`: text}: the
    rows of the documents processed replace theirs, the others keep the rows of `out`.

    gold: doc_id -> gold events, for the match columns of events.csv and missed.csv.
    Text cells that would start a spreadsheet formula are neutralised (storage.safe_cell).
    """
    files = {f"text/{r.entry.doc_id}.txt": r.clean.text for r in results}
    rows = {r.entry.doc_id: document_rows(r, gold.get(r.entry.doc_id, ())) for r in results}
    for name, columns in TABLES.items():
        new = {doc_id: [_safe(row) for row in tables[name]] for doc_id, tables in rows.items()}
        old = [
            {key: storage.safe_cell(value) for key, value in row.items()}
            for row in storage.read_csv_rows(out / name)
        ]
        files[name] = report.merged_table(columns, new, old, order)
    return files


def _safe(row: Sequence[object]) -> tuple:
    """A table row with every cell as storage.safe_cell leaves it."""
    return tuple(storage.safe_cell(value) for value in row)


def document_row(result: DocResult) -> tuple:
    """The documents.csv row of a result: its own date, then its pages and OCR."""
    when = result.document or DocumentDate(result.entry.doc_id, result.entry.title, "", "")
    return astuple(when) + astuple(document_info(result.raw, result.pages))[1:]


def document_rows(result: DocResult, gold: Sequence) -> dict[str, list[tuple]]:
    """The rows of every table in TABLES for one document, reconciled with its gold events."""
    events = result.events
    pairs = pair_events(events, gold) if gold else []
    matches = match_columns(events, gold, pairs) if gold else [{} for _ in events]
    missed = missed_rows(events, gold, pairs) if gold else []
    links = result.pax_links or (None,) * len(events)
    return {
        "documents.csv": [document_row(result)],
        "segments.csv": [astuple(s) for s in result.clean.segments],
        "entities.csv": [astuple(e) for e in result.entities],
        "timexes.csv": [astuple(t) for t in result.timexes],
        "mentions.csv": [astuple(m) for m in result.mentions],
        "events.csv": [
            astuple(e) + tuple(m.get(c, "") for c in MATCH_COLUMNS) + pax.link_cells(link)
            for e, m, link in zip(events, matches, links)
        ],
        "missed.csv": [tuple(r[c] for c in report.GOLD_EVENT_COLUMNS) for r in missed],
        "baseline_timexes.csv": [astuple(t) for t in result.baseline_timexes],
        "baseline_events.csv": [astuple(e) for e in result.baseline_events],
        "pax_unmentioned.csv": list(result.pax_unmentioned),
    }
