"""Throughput on the scale corpus (timings live here, never in the tests).

usage: python benchmarks/scale.py [--docs N] [--workers N] [--scale DIR] [--work DIR]

On the first N PDFs of ../shared/corpus/scale/ (default: all), in one process and on the
same texts: the pipeline (`run_corpus`) with one worker, with N workers, and a cached
re-run; PDF extraction (with OCR, uncached) and cleaning; bare `nlp.pipe` of the same
model (with the time of each later stage on the Docs it makes). Prints words/s, the
ratios, peak memory and the time per stage as Markdown tables, and checks that the
three runs wrote the same bytes.
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
from pipeline.baselines import baseline_events, baseline_timexes
from pipeline.clean import clean_document
from pipeline.doctime import document_date
from pipeline.entities import extract_entities
from pipeline.events import extract_events
from pipeline.ingest import ingest
from pipeline.models import InputError, ManifestEntry
from pipeline.nlp import DEFAULT_MODEL, build_nlp, parse
from pipeline.run import Options, run_corpus
from pipeline.timexes import extract_timexes

SCALE = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "scale"


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
        lines.append(f"{path.stem},{path.name},{path.stem},,,en,")
    (folder / "manifest.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return storage.read_manifest(folder)[0]


def extract(corpus: Path, entries: list[ManifestEntry], times: dict) -> dict:
    """The cleaned document of each entry that can be used (one line for each that cannot)."""
    cleaned = {}
    for entry in entries:
        path = corpus / entry.file
        started = time.perf_counter()
        try:
            raw = ingest(entry.doc_id, str(path), storage.read_source(path))
            middle = time.perf_counter()
            clean = clean_document(raw)
        except InputError as err:
            print(f"error: {err}")
            continue
        times["PDF extraction"] += middle - started
        times["cleaning"] += time.perf_counter() - middle
        cleaned[entry.doc_id] = (entry, clean)
    return cleaned


def stages(nlp, cleaned: dict, times: dict) -> None:
    """Parse every text (bare nlp.pipe, timed) and time the later stages on each Doc."""
    texts = [clean.text for _, clean in cleaned.values()]
    docs = parse(nlp, texts)
    for entry, clean in cleaned.values():
        started = time.perf_counter()
        doc = next(docs)
        t1 = time.perf_counter()
        when = document_date(entry, clean)
        entities = extract_entities(doc, entry.doc_id)
        t2 = time.perf_counter()
        timexes = extract_timexes(doc, entry.doc_id, when)
        t3 = time.perf_counter()
        extract_events(doc, clean, entities, timexes)
        t4 = time.perf_counter()
        baseline_timexes(doc, entry.doc_id)
        baseline_events(doc, entry.doc_id, timexes, entities, clean.page_at)
        t5 = time.perf_counter()
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


def timed_run(corpus: Path, out: Path, workers: int, use_cache: bool) -> tuple[float, object]:
    """Seconds of one `run` (quiet, unscored) and its report."""
    started = time.perf_counter()
    options = Options(workers=workers, use_cache=use_cache, quiet=True)
    report = run_corpus(corpus, out, DEFAULT_MODEL, say=print, options=options)
    return time.perf_counter() - started, report


def main() -> None:
    """Measure and print the table."""
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--docs", type=int, default=None, help="first N documents (default: all)")
    args.add_argument("--workers", type=int, default=2)
    args.add_argument("--scale", type=Path, default=SCALE)
    args.add_argument("--work", type=Path, default=None, help="scratch folder (default: temp)")
    opts = args.parse_args()
    work = opts.work or Path(tempfile.mkdtemp(prefix="scale-"))
    shutil.rmtree(work, ignore_errors=True)
    entries = make_corpus(opts.scale, opts.docs, work / "corpus")
    times = dict.fromkeys(
        ("PDF extraction", "cleaning", "spaCy (bare nlp.pipe)", "entities", "time expressions",
         "mentions and events", "baselines"), 0.0)  # fmt: skip
    # the pipeline first, so that its peak memory is not the bare pass's (which holds
    # every parsed Doc of an nlp.pipe batch)
    one, report = timed_run(work / "corpus", work / "out1", 1, use_cache=False)
    peak_one = peak_mb()[0]
    many, _ = timed_run(work / "corpus", work / "out2", opts.workers, use_cache=False)
    peak_workers = peak_mb()[1]
    cleaned = extract(work / "corpus", entries, times)
    words = sum(len(clean.text.split()) for _, clean in cleaned.values())
    nlp = build_nlp(DEFAULT_MODEL)
    stages(nlp, cleaned, times)
    del cleaned, nlp
    peak_bare = peak_mb()[0]
    again, cached = timed_run(work / "corpus", work / "out1", 1, use_cache=True)
    same = outputs(work / "out1") == outputs(work / "out2")
    extraction = times["PDF extraction"]
    bare = words / times["spaCy (bare nlp.pipe)"]
    rate = {
        "pipeline, 1 worker": words / one,
        "pipeline, 1 worker, without PDF extraction": words / (one - extraction),
        f"pipeline, {opts.workers} workers": words / many,
        f"pipeline, {opts.workers} workers, without PDF extraction": words
        / (many - extraction / opts.workers),
        "cached re-run": words / again,
    }  # fmt: skip
    print(f"\nmachine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}, "
          f"Python {platform.python_version()}")  # fmt: skip
    print(f"documents: {len(entries)} ({len(report.results)} processed, "
          f"{len(entries) - len(report.results)} failed); words: {words:,}")  # fmt: skip
    print("\n| measure | seconds | words/s | ratio |\n|---|---:|---:|---:|")
    print(f"| bare nlp.pipe | {times['spaCy (bare nlp.pipe)']:.1f} | {bare:,.0f} | 1.00 |")
    for name, value in rate.items():
        print(f"| {name} | {words / value:.1f} | {value:,.0f} | {value / bare:.2f} |")
    print(f"\n{opts.workers} workers / 1 worker: {one / many:.2f}; cached re-run / full run: "
          f"{again / one:.1%} ({sum(r.cached for r in cached.results)} from the cache); "
          f"same outputs (1 worker, {opts.workers}, cached): {same}")  # fmt: skip
    print(f"peak memory: 1-worker run {peak_one:,.0f} MB; largest of the {opts.workers} worker "
          f"processes {peak_workers:,.0f} MB; bare pass (all texts and a batch of Docs held) "
          f"{peak_bare:,.0f} MB")  # fmt: skip
    print("\n| stage (in the bare pass) | seconds | share |\n|---|---:|---:|")
    total = sum(times.values())
    for name, seconds in times.items():
        print(f"| {name} | {seconds:.1f} | {seconds / total:.0%} |")


if __name__ == "__main__":
    main()
