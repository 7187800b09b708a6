"""Time the stages on the development documents (timings live here, never in the tests).

usage: python benchmarks/stages.py [--repeat N]

Prints, per document: words, ingest+clean seconds, spaCy seconds, time-expression
seconds and event-stage seconds (best of N runs), and words/s for ingest+clean.
Reads the corpus manifest (corpus/manifest.csv); absent shared documents are skipped.
"""

from __future__ import annotations

import argparse
import time
from functools import partial
from pathlib import Path

from pipeline import storage
from pipeline.events.extract import extract_events
from pipeline.nlp.entities import extract_entities
from pipeline.nlp.model import DEFAULT_MODEL, build_nlp
from pipeline.nlp.timexes import extract_timexes
from pipeline.run import load_document

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def best(repeat: int, work):
    """Run `work` `repeat` times; return (its last result, the shortest time in seconds)."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return result, min(times)


def main() -> None:
    """Print one row per document of the manifest."""
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--repeat", type=int, default=3)
    repeat = args.parse_args().repeat
    nlp = build_nlp(DEFAULT_MODEL)
    print("| document | words | ingest+clean s | words/s | spaCy s | time expr. s | events s |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for entry in storage.read_manifest(CORPUS)[0]:
        if storage.absent_outside(CORPUS, entry.file):
            continue
        (_, clean), t_clean = best(repeat, lambda e=entry: load_document(CORPUS, e))
        doc, t_nlp = best(repeat, lambda c=clean: nlp(c.text))
        entities = extract_entities(doc, entry.doc_id)
        timexes, t_time = best(repeat, lambda d=doc, e=entry: extract_timexes(d, e.doc_id))
        _, t_events = best(repeat, partial(extract_events, doc, clean, entities, timexes))
        words = len(clean.text.split())
        print(f"| {entry.doc_id} | {words:,} | {t_clean:.3f} | {words / t_clean:,.0f} "
              f"| {t_nlp:.2f} | {t_time:.3f} | {t_events:.3f} |")  # fmt: skip


if __name__ == "__main__":
    main()
