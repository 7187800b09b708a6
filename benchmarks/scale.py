"""Throughput on the scale corpus (timings live here, never in the tests).

usage: python benchmarks/scale.py [--docs N] [--workers N] [--scale DIR] [--work DIR]

On the first N PDFs of ../shared/corpus/scale/ (default: all), in one process and on the
same texts: the pipeline (`run_corpus`) with one worker, with N workers, and a cached
re-run; PDF extraction (with OCR, uncached) and cleaning; bare `nlp.pipe` of the same
model (with the time of each later stage on the Docs it makes). Prints wall-clock and
CPU seconds, words per CPU-second and the ratios (on CPU time, which other jobs on a
shared machine do not change), peak memory and the CPU time per stage as Markdown
tables, and checks that the three runs wrote the same bytes. --one-worker-only measures
the one-worker run alone (its rate and peak memory, e.g. on 10 or 20 documents).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import tempfile
import time
from pathlib import Path

from pipeline import cache, storage
from pipeline.evaluate.baselines import baseline_events, baseline_timexes
from pipeline.events.extract import extract_events
from pipeline.ingest.clean import clean_document
from pipeline.ingest.source import ingest
from pipeline.models import InputError, ManifestEntry
from pipeline.nlp.doctime import document_date
from pipeline.nlp.entities import extract_entities
from pipeline.nlp.model import DEFAULT_MODEL, build_nlp, parse
from pipeline.nlp.timexes import extract_timexes
from pipeline.run import Options, run_corpus

SCALE = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "scale"


def cpu_seconds() -> float:
    """CPU seconds (user and system) so far of this process and its finished children: on a
    machine that other jobs share, a measure that does not vary with their load."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def peak_mb() -> tuple[float, float]:
    """Peak resident memory so far of this process and of its finished children, in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return own, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def make_corpus(scale: Path, n: int | None, folder: Path) -> list[ManifestEntry]:
    """Copy the first n PDFs of `scale` into `folder` with a manifest; return the entries."""
    folder.mkdir(parents=True)
    files = sorted(scale.glob("*.pdf"))[:n]
    lines = ["doc_id,file,title,author,year,language,source"]
    for path in files:
        os.symlink(path, folder / path.name)
        lines.append(f"{storage.doc_id_of(path.stem)},{path.name},{path.stem},,,en,")
    (folder / "manifest.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return storage.read_manifest(folder)[0]


def extract(corpus: Path, entries: list[ManifestEntry], times: dict) -> dict:
    """The cleaned document of each entry that can be used (one line for each that cannot)."""
    cleaned = {}
    for entry in entries:
        path = corpus / entry.file
        started = time.process_time()
        try:
            raw = ingest(entry.doc_id, str(path), storage.read_source(path))
            middle = time.process_time()
            clean = clean_document(raw)
        except InputError as err:
            print(f"error: {err}")
            continue
        times["PDF extraction"] += middle - started
        times["cleaning"] += time.process_time() - middle
        cleaned[entry.doc_id] = (entry, clean)
    return cleaned


def stages(nlp, cleaned: dict, times: dict) -> None:
    """Parse every text (bare nlp.pipe, timed) and time the later stages on each Doc."""
    texts = [clean.text for _, clean in cleaned.values()]
    docs = parse(nlp, texts)
    for entry, clean in cleaned.values():
        started = time.process_time()
        doc = next(docs)
        t1 = time.process_time()
        when = document_date(entry, clean)
        entities = extract_entities(doc, entry.doc_id)
        t2 = time.process_time()
        timexes = extract_timexes(doc, entry.doc_id, when)
        t3 = time.process_time()
        extract_events(doc, clean, entities, timexes)
        t4 = time.process_time()
        baseline_timexes(doc, entry.doc_id)
        baseline_events(doc, entry.doc_id, timexes, entities, clean.page_at)
        t5 = time.process_time()
        for name, seconds in (
            ("spaCy (bare nlp.pipe)", t1 - started),
            ("entities", t2 - t1),
            ("time expressions", t3 - t2),
            ("mentions and events", t4 - t3),
            ("baselines", t5 - t4),
        ):
            times[name] += seconds


def outputs(out: Path) -> dict[str, bytes]:
    """The output files under `out` (the caches aside)."""
    skip = (out / cache.FOLDER, out / "ocr-cache")
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in out.rglob("*")
        if p.is_file() and not any(s in p.parents for s in skip)
    }


def timed_run(corpus: Path, out: Path, workers: int, use_cache: bool) -> tuple:
    """Wall-clock and CPU seconds (of this process and its workers) of one `run` (quiet,
    unscored), and its report."""
    started, cpu = time.perf_counter(), cpu_seconds()
    options = Options(workers=workers, use_cache=use_cache, quiet=True)
    report = run_corpus(corpus, out, DEFAULT_MODEL, say=print, options=options)
    return time.perf_counter() - started, cpu_seconds() - cpu, report


def main() -> None:
    """Measure and print the tables."""
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--docs", type=int, default=None, help="first N documents (default: all)")
    args.add_argument("--workers", type=int, default=2)
    args.add_argument("--scale", type=Path, default=SCALE)
    args.add_argument("--work", type=Path, default=None, help="scratch folder (default: temp)")
    args.add_argument(
        "--one-worker-only", action="store_true", help="only the one-worker run (memory, rate)"
    )
    opts = args.parse_args()
    work = opts.work or Path(tempfile.mkdtemp(prefix="scale-"))
    shutil.rmtree(work, ignore_errors=True)
    entries = make_corpus(opts.scale, opts.docs, work / "corpus")
    # the pipeline first, so that its peak memory is not the bare pass's (which holds
    # every parsed Doc of an nlp.pipe batch)
    one = timed_run(work / "corpus", work / "out1", 1, use_cache=False)
    peak_one = peak_mb()[0]
    words = sum(r.words for r in one[2].results)
    print_machine(entries, one[2], words)
    print(f"peak memory of the one-worker run: {peak_one:,.0f} MB")
    print(f"pipeline, 1 worker: {one[0]:.1f} s wall, {one[1]:.1f} s CPU, "
          f"{words / one[1]:,.0f} words per CPU-second")  # fmt: skip
    if opts.one_worker_only:
        return
    many = timed_run(work / "corpus", work / "out2", opts.workers, use_cache=False)
    peak_workers = peak_mb()[1]
    times = dict.fromkeys(
        ("PDF extraction", "cleaning", "spaCy (bare nlp.pipe)", "entities", "time expressions",
         "mentions and events", "baselines"), 0.0)  # fmt: skip
    cleaned = extract(work / "corpus", entries, times)
    nlp = build_nlp(DEFAULT_MODEL)
    stages(nlp, cleaned, times)
    del cleaned, nlp
    peak_bare = peak_mb()[0]
    again = timed_run(work / "corpus", work / "out1", 1, use_cache=True)
    same = outputs(work / "out1") == outputs(work / "out2")
    print_tables(opts.workers, words, times, one, many, again)
    hits = sum(r.cached for r in again[2].results)
    print(f"same outputs (1 worker, {opts.workers}, cached): {same}; "
          f"{hits} of {len(again[2].results)} from the cache")  # fmt: skip
    print(f"peak memory: 1-worker run {peak_one:,.0f} MB; largest of the {opts.workers} worker "
          f"processes {peak_workers:,.0f} MB; bare pass (all texts and a batch of Docs held) "
          f"{peak_bare:,.0f} MB")  # fmt: skip


def print_machine(entries: list, report, words: int) -> None:
    """The machine and the corpus measured."""
    print(f"\nmachine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}, "
          f"Python {platform.python_version()}")  # fmt: skip
    print(f"documents: {len(entries)} ({len(report.results)} processed, "
          f"{len(entries) - len(report.results)} failed); words: {words:,}")  # fmt: skip


def print_tables(workers: int, words: int, times: dict, one, many, again) -> None:
    """The rates (wall clock and CPU) and the time per stage (CPU) as Markdown tables."""
    extraction, bare = times["PDF extraction"], times["spaCy (bare nlp.pipe)"]
    rows = [
        ("bare nlp.pipe", None, bare),
        ("pipeline, 1 worker", one[0], one[1]),
        ("pipeline, 1 worker, without PDF extraction", None, one[1] - extraction),
        (f"pipeline, {workers} workers", many[0], many[1]),
        (f"pipeline, {workers} workers, without PDF extraction", None, many[1] - extraction),
        ("cached re-run", again[0], again[1]),
    ]
    print("\n| measure | wall s | CPU s | words per CPU-s | × bare (CPU) |")
    print("|---|---:|---:|---:|---:|")
    for name, wall, cpu in rows:
        shown = "—" if wall is None else f"{wall:.1f}"
        print(f"| {name} | {shown} | {cpu:.1f} | {words / cpu:,.0f} | {bare / cpu:.2f} |")
    print(f"\n{workers} workers / 1 worker, wall clock: {one[0] / many[0]:.2f}; CPU spent by "
          f"{workers} workers / by 1: {many[1] / one[1]:.2f} (so at most "
          f"{workers * one[1] / many[1]:.2f}× on {workers} idle cores); cached re-run / full run: "
          f"{again[0] / one[0]:.1%} wall, {again[1] / one[1]:.1%} CPU")  # fmt: skip
    print("\n| stage (in the bare pass) | CPU s | share |\n|---|---:|---:|")
    total = sum(times.values())
    for name, seconds in times.items():
        print(f"| {name} | {seconds:.1f} | {seconds / total:.0%} |")


if __name__ == "__main__":
    main()
