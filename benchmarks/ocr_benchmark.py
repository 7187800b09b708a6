"""OCR benchmark: born-digital UN reports rasterised at 200 dpi, read back by OCR.

For each report (default: S/1997/56 and S/1995/105 from ../shared/corpus) this
renders every page to an image-only PDF (no text layer), runs the pipeline's
OCR on it, and compares with the original's text layer:

- seconds per page of OCR (render + recognise, the run's worker threads);
- character error rate (Levenshtein distance / reference length, rapidfuzz)
  of the cleaned text of the whole document, and per page of the ingested
  lines (page furniture removed), whitespace runs counted as one space;
- event F1 of the full pipeline on both versions against the gold events
  (annotations/un-s-1995-105.events.csv, ../shared/gold/un-s-1997-56.events.csv),
  scored by the project's own scorer (`run_corpus` with a gold folder).

    python benchmarks/ocr_benchmark.py [--dpi 200] [--work DIR] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from scan_maker import rasterise  # noqa: E402

from pipeline.ingest.clean import clean_document  # noqa: E402
from pipeline.ingest.ocr import Recogniser  # noqa: E402
from pipeline.ingest.source import ingest  # noqa: E402
from pipeline.models import RawDocument  # noqa: E402
from pipeline.nlp.model import DEFAULT_MODEL  # noqa: E402
from pipeline.run import OCR_CACHE, run_corpus  # noqa: E402

SHARED = ROOT.parent / "shared"
DOCUMENTS = {
    "un-s-1997-56": SHARED / "gold" / "un-s-1997-56.events.csv",
    "un-s-1995-105": ROOT / "annotations" / "un-s-1995-105.events.csv",
}


def flat(text: str) -> str:
    """Text with every run of whitespace made one space."""
    return " ".join(text.split())


def cer(truth: str, read: str) -> float:
    """Character error rate of `read` against `truth`, whitespace-normalised."""
    truth, read = flat(truth), flat(read)
    return Levenshtein.distance(truth, read) / max(1, len(truth))


def page_texts(raw: RawDocument) -> dict[int, str]:
    """The ingested text of each page (its lines joined)."""
    pages: dict[int, list[str]] = {}
    for line in raw.lines:
        pages.setdefault(line.page or 0, []).append(line.text)
    return {page: " ".join(lines) for page, lines in pages.items()}


def measure(doc_id: str, work: Path, dpi: int) -> dict:
    """OCR one rasterised report; its speed and character error rates."""
    data = (SHARED / "corpus" / f"{doc_id}.pdf").read_bytes()
    scan = rasterise(data, dpi)
    for kind, content in (("born-digital", data), ("ocr", scan)):
        folder = work / kind
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{doc_id}.pdf").write_bytes(content)
    truth = ingest(doc_id, f"{doc_id}.pdf", data)
    started = time.perf_counter()
    read = ingest(doc_id, f"{doc_id}.pdf", scan, Recogniser(work / "out-ocr" / OCR_CACHE))
    seconds = time.perf_counter() - started
    truth_pages, read_pages = page_texts(truth), page_texts(read)
    per_page = {p: round(cer(t, read_pages.get(p, "")), 4) for p, t in truth_pages.items()}
    return {
        "pages": truth.n_pages,
        "seconds_per_page": round(seconds / truth.n_pages, 2),
        "mean_confidence": round(sum(p.confidence for p in read.ocr) / len(read.ocr), 1),
        "cer_document": round(cer(clean_document(truth).text, clean_document(read).text), 4),
        "cer_pages_mean": round(sum(per_page.values()) / len(per_page), 4),
        "cer_pages_max": max(per_page.values()),
        "cer_per_page": per_page,
    }


def event_f1(work: Path) -> dict[str, dict[str, float]]:
    """Event F1 of the pipeline on the born-digital and the OCR'd reports, by document."""
    gold = work / "gold"
    gold.mkdir(exist_ok=True)
    for doc_id, path in DOCUMENTS.items():
        shutil.copyfile(path, gold / f"{doc_id}.events.csv")  # events only: timex offsets differ
    scores: dict[str, dict[str, float]] = {}
    for kind in ("born-digital", "ocr"):
        run = run_corpus(work / kind, work / f"out-{kind}", DEFAULT_MODEL, (), gold, lambda m: None)
        for doc_id in DOCUMENTS:
            scores.setdefault(doc_id, {})[kind] = round(
                run.scores[doc_id]["events"]["all"]["f1"], 3
            )
    return scores


def main() -> int:
    """Run the benchmark; print a Markdown table and optionally write JSON."""
    options = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    options.add_argument("--dpi", type=int, default=200)
    options.add_argument("--work", type=Path, help="folder for the scans and runs (default: temp)")
    options.add_argument("--json", type=Path, help="write the measurements here")
    args = options.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="ocr-benchmark-"))
    results = {doc_id: measure(doc_id, work, args.dpi) for doc_id in DOCUMENTS}
    for doc_id, f1 in event_f1(work).items():
        results[doc_id]["event_f1"] = f1
    print(
        f"| document ({args.dpi} dpi) | pages | s/page | confidence | CER document | "
        "CER pages mean / max | event F1 born-digital | event F1 OCR |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for doc_id, r in results.items():
        print(
            f"| {doc_id} | {r['pages']} | {r['seconds_per_page']} | {r['mean_confidence']} | "
            f"{r['cer_document']:.2%} | {r['cer_pages_mean']:.2%} / {r['cer_pages_max']:.2%} | "
            f"{r['event_f1']['born-digital']:.3f} | {r['event_f1']['ocr']:.3f} |"
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
