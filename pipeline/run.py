"""Run the stages over a corpus and write every output (the `run` command's engine)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import astuple, dataclass, field
from pathlib import Path
from types import MappingProxyType

from tqdm import tqdm

from pipeline import cache, outdir, storage
from pipeline.evaluate import report
from pipeline.evaluate.gold import GoldError
from pipeline.evaluate.reconcile import MATCH_COLUMNS, match_columns, missed_rows, pair_events
from pipeline.evaluate.run_scores import Gold, Scorable, read_gold, score_documents
from pipeline.export import formats
from pipeline.ingest.ocr import document_info
from pipeline.link import pax
from pipeline.link.linking import link_pax, read_register
from pipeline.models import DocumentDate, InputError, ManifestEntry
from pipeline.process import DocResult, load_document
from pipeline.workers import Outcome, Task, document_notes, run_tasks

__all__ = ["DocResult", "load_document", "run_corpus"]  # DocResult, load_document: process.py

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
class DocSummary:
    """The counts of one processed document (what a run keeps of it once written)."""

    doc_id: str
    words: int
    pages: int
    entities: int
    timexes: int
    mentions: int
    events: int
    cached: bool = False


@dataclass
class RunReport:
    """What a run did: the processed documents' counts, one-line errors, timing."""

    results: list[DocSummary] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    failed: int = 0  # documents that could not be used
    skipped: list[str] = field(default_factory=list)  # absent documents from outside the corpus
    outside: list[str] = field(default_factory=list)  # documents read from outside the corpus
    scores: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Options:
    """How a run processes its documents (the `run` command's performance options)."""

    workers: int = 1  # processes on this machine (documents in flight: twice as many)
    scheduler: str | None = None  # a Dask distributed scheduler's address
    use_cache: bool = True  # read results from <out>/cache/ (they are written anyway)
    progress: bool | None = None  # a progress bar; None: when stderr is a terminal
    quiet: bool = False  # no progress at all (errors and warnings still said)


def run_corpus(
    corpus: Path,
    out: Path,
    model: str,
    only: Sequence[str] = (),
    gold_dir: Path | None = None,
    say: Callable[[str], None] = lambda m: print(m, file=sys.stderr),
    register: Path | None = None,
    options: Options = Options(),
) -> RunReport:
    """Process the corpus (or the doc_ids in `only`) document by document, write the
    outputs under `out` (as one set: outdir.py), score them against the gold files in
    `gold_dir` when there are any, and link agreements to the PA-X export `register`
    when one is given. With no document processed nothing is written."""
    started = time.perf_counter()
    agreements = read_register(register)
    entries, rejected = storage.read_manifest(corpus)
    listed, order = entries, [e.doc_id for e in entries]
    entries = select(entries, only)
    outdir.prepare(out)
    run = RunReport()
    for err in rejected:
        run.errors.append(f"error: {err}")
        say(f"error: {err}")
    gold_errors: list[str] = []
    gold: Gold | None = None
    kept: list[Scorable] = []  # what scoring needs of the documents with gold
    staging: outdir.Staging | None = None
    items = tasks(corpus, out, entries, model, run, say, options.use_cache)
    workers = min(options.workers, len(entries))
    outcomes = run_tasks(items, model, workers, options.scheduler)
    with Progress(len(entries), options, say) as progress:
        for outcome in outcomes:
            result = accept(outcome, corpus, agreements, run, say)
            if result is None:
                progress.done(outcome.entry.doc_id, None)
                continue
            if gold is None:
                gold = read_gold(gold_dir, gold_errors)
            staging = staging or outdir.Staging(out, TABLES)
            doc_id = result.entry.doc_id
            pairs, rows = document_rows(result, (gold.events or {}).get(doc_id, ()))
            staging.add_document(doc_id, result.clean.text, rows)
            if doc_id in (gold.files or {}):
                kept.append(scorable(result, pairs, rows["events.csv"]))
            if outcome.key and not outcome.cached:  # a new entry is switched in with the run
                staging.add_bytes(cache.entry_name(outcome.key), cache.dump(outcome.result))
            run.results.append(summary(result, outcome.cached))
            progress.done(doc_id, result.words)
    run.failed = len(run.errors)
    run.errors.extend(gold_errors)
    if staging is not None:
        pending = staging.close(order, lambda name: storage.read_csv_rows(out / name))
        if kept:
            score_run(pending, gold, kept, run)
        formats.write_exports(pending, listed)
        outdir.commit(out)
    run.seconds = time.perf_counter() - started
    return run


def tasks(
    corpus: Path,
    out: Path,
    entries: Sequence[ManifestEntry],
    model: str,
    run: RunReport,
    say: Callable[[str], None],
    use_cache: bool,
) -> Iterator[Task | Outcome]:
    """Each document to process as a Task (its bytes read now), or its Outcome when it
    cannot be read or its result is in the cache; an absent document from outside the
    corpus is recorded in `run.skipped` and said."""
    fingerprint = cache.fingerprint(model)
    for entry in entries:
        if storage.absent_outside(corpus, entry.file):
            run.skipped.append(entry.doc_id)
            say(f"skipped: {corpus / entry.file}: absent (a document outside the corpus folder)")
            continue
        path = corpus / entry.file
        try:
            data = storage.read_source(path)
        except InputError as err:
            yield Outcome(entry, error=str(err))
            continue
        key = cache.key(fingerprint, data)
        hit = cache.load(out, key) if use_cache else None
        if hit is not None and hit.entry == entry:
            notes = document_notes(str(path), hit)
            yield Outcome(entry, hit, notes=notes, cached=True, key=key)
        else:
            yield Task(entry, str(path), data, model, str(out / OCR_CACHE), key)


def accept(
    outcome: Outcome,
    corpus: Path,
    agreements: Sequence,
    run: RunReport,
    say: Callable[[str], None],
) -> DocResult | None:
    """The outcome's result linked to PA-X, or None with its error recorded and said."""
    if outcome.error:
        run.errors.append(f"error: {outcome.error}")
        say(f"error: {outcome.error}")
        return None
    for note in outcome.notes:
        say(f"warning: {note}")
    if storage.outside(corpus, outcome.entry.file):
        run.outside.append(outcome.entry.doc_id)
    return link_pax([outcome.result], agreements)[0]


def summary(result: DocResult, cached: bool) -> DocSummary:
    """The counts of a processed document."""
    return DocSummary(
        result.entry.doc_id, result.words, result.pages, len(result.entities),
        len(result.timexes), len(result.mentions), len(result.events), cached,
    )  # fmt: skip


class Progress:
    """Progress over the documents of a run: a bar (tqdm: documents, words, rate and time
    left) on a terminal, one line per document otherwise, nothing when quiet."""

    def __init__(self, total: int, options: Options, say: Callable[[str], None]) -> None:
        """Prepare for `total` documents; options.progress None: a bar when stderr is a tty."""
        bar = sys.stderr.isatty() if options.progress is None else options.progress
        self.total, self.say, self.number, self.words = total, say, 0, 0
        self.lines = total > 1 and not options.quiet and not bar
        self.bar = tqdm(
            total=total, unit="doc", file=sys.stderr, disable=options.quiet or not bar,
            desc="documents", dynamic_ncols=True,
        )  # fmt: skip

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.bar.close()

    def done(self, doc_id: str, words: int | None) -> None:
        """Count one document: processed, of `words` words, or (None) failed."""
        self.number, self.words = self.number + 1, self.words + (words or 0)
        if self.lines and words is not None:
            self.say(f"[{self.number}/{self.total}] {doc_id}: {words:,} words")
        rate = self.words / max(self.bar.format_dict.get("elapsed", 0) or 1e-9, 1e-9)
        self.bar.set_postfix_str(f"{self.words:,} words, {rate:,.0f} words/s", refresh=False)
        self.bar.update(1)


def score_run(out: Path, gold: Gold, kept: Sequence[Scorable], run: RunReport) -> None:
    """Score the documents this run processed (never stale rows of absent ones) from the
    records kept of them, and write scores.json and scores.md into `out` (the run's
    staging folder); a broken gold or cold-scores file is reported in `run.errors`."""
    try:
        run.scores = score_documents(gold, kept, [r.doc_id for r in run.results])
    except GoldError as err:  # a time expression's offsets that miss the text
        run.errors.extend(f"error: {problem}" for problem in err.problems)
        return
    except InputError as err:
        run.errors.append(f"error: {err}")
        return
    storage.write_atomic(out / "scores.json", report.scores_json(run.scores))
    storage.write_atomic(out / "scores.md", report.render_scores_md(run.scores))


def scorable(result: DocResult, pairs: Sequence, event_rows: Sequence[tuple]) -> Scorable:
    """What scoring keeps of one processed document: its records, the pairs of its events
    with its gold and its PA-X link counts (from its events.csv rows)."""
    columns = TABLES["events.csv"]
    counts = pax.link_counts(dict(zip(columns, row)) for row in event_rows)
    return Scorable(
        result.entry.doc_id, result.clean.text, result.events, result.timexes,
        result.baseline_events, result.baseline_timexes, tuple(pairs), counts,
    )  # fmt: skip


def select(entries: list[ManifestEntry], only: Sequence[str]) -> list[ManifestEntry]:
    """Keep the entries named in `only` (all when empty); InputError for an unknown id."""
    known = {e.doc_id for e in entries}
    unknown = [d for d in only if d not in known]
    if unknown:
        raise InputError("--docs", f"unknown doc_id(s): {', '.join(unknown)}")
    return [e for e in entries if not only or e.doc_id in only]


def _safe(row: Sequence[object]) -> tuple:
    """A table row with every cell as storage.safe_cell leaves it."""
    return tuple(storage.safe_cell(value) for value in row)


def document_row(result: DocResult) -> tuple:
    """The documents.csv row of a result: its own date, then its pages and OCR."""
    when = result.document or DocumentDate(result.entry.doc_id, result.entry.title, "", "")
    return astuple(when) + astuple(document_info(result.raw, result.pages))[1:]


def document_rows(result: DocResult, gold: Sequence) -> tuple[list, dict[str, list[tuple]]]:
    """The pairs of the document's events with its gold events, and the rows of every table
    in TABLES for it, reconciled with them (text cells that would start a spreadsheet
    formula neutralised: storage.safe_cell)."""
    events = result.events
    pairs = pair_events(events, gold) if gold else []
    matches = match_columns(events, gold, pairs) if gold else [{} for _ in events]
    missed = missed_rows(events, gold, pairs) if gold else []
    links = result.pax_links or (None,) * len(events)
    tables = {
        "documents.csv": [document_row(result)],
        "segments.csv": [astuple(segment) for segment in result.clean.segments],
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
    return pairs, {name: [_safe(row) for row in rows] for name, rows in tables.items()}
