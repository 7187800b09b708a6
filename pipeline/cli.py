"""Command line: `python -m pipeline run | add | score`."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from pipeline import outdir, storage
from pipeline.evaluate import report
from pipeline.ingest.clean import clean_document
from pipeline.ingest.source import ingest
from pipeline.models import InputError, ManifestEntry
from pipeline.nlp.model import DEFAULT_MODEL
from pipeline.run import Options, run_corpus

DEFAULT_REGISTER = Path("../shared/reference/pax-agreements.csv")


def parser() -> argparse.ArgumentParser:
    """Build the argument parser with its `run` and `add` commands."""
    top = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="Extract meetings and agreements from peace-process narratives.",
    )
    commands = top.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="process the corpus and write outputs/")
    run.add_argument(
        "--corpus",
        type=Path,
        default=Path("corpus"),
        help="folder with the source documents and manifest.csv (default: corpus)",
    )
    run.add_argument(
        "--out",
        type=Path,
        default=Path("outputs"),
        help="folder for the results (default: outputs)",
    )
    run.add_argument(
        "--model",
        default=DEFAULT_MODEL,
        help=f"installed spaCy model to use (default: {DEFAULT_MODEL})",
    )
    run.add_argument(
        "--gold",
        type=Path,
        default=Path("annotations"),
        help="folder with gold files; when present the run is scored (default: annotations)",
    )
    run.add_argument(
        "--docs", nargs="+", default=[], metavar="ID", help="process only these doc_ids"
    )
    run.add_argument(
        "--register",
        type=Path,
        metavar="FILE",
        help="PA-X export (pax-agreements.csv columns) to link agreements to "
        f"(default: {DEFAULT_REGISTER} when present; without one the pax_ columns stay empty)",
    )
    add_performance_options(run)
    add = commands.add_parser("add", help="add a document to the corpus, with a gold template")
    add.add_argument("file", type=Path, help="a .txt (UTF-8) or .pdf file")
    add.add_argument("--doc-id", help="id for the document (default: the file name's stem)")
    add.add_argument("--title", default="", help="the document's title for the manifest")
    add.add_argument("--author", default="", help="its author(s) for the manifest")
    add.add_argument("--year", default="", help="its year of publication for the manifest")
    add.add_argument("--source", default="", help="where it comes from (URL, publisher, symbol)")
    add.add_argument(
        "--corpus",
        type=Path,
        default=Path("corpus"),
        help="corpus folder to add it to (default: corpus)",
    )
    add.add_argument(
        "--annotations",
        type=Path,
        default=Path("annotations"),
        help="folder for gold files (default: annotations)",
    )
    add_score_command(commands)
    return top


def add_performance_options(run: argparse.ArgumentParser) -> None:
    """Add the `run` options that choose where and how documents are processed."""
    cores = default_workers()
    run.add_argument(
        "--workers",
        type=positive,
        default=cores,
        metavar="N",
        help=f"documents processed at once, each in its own process (default: {cores}, "
        "the number of cores); the outputs are the same for any N",
    )
    run.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="send the per-document work to this Dask distributed scheduler "
        "(e.g. tcp://10.0.0.5:8786; needs pip install 'negotiation-events[cluster]')",
    )
    run.add_argument(
        "--no-cache",
        action="store_true",
        help="process every document again, ignoring the results cached in <out>/cache/",
    )
    run.add_argument("--quiet", action="store_true", help="show no progress")


def default_workers() -> int:
    """The default of --workers: the number of cores."""
    return os.cpu_count() or 1


def positive(text: str) -> int:
    """An integer of at least 1 (argparse type)."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return value


def add_score_command(commands: argparse._SubParsersAction) -> None:
    """Add the `score` command: score outputs/ against the gold annotations."""
    score = commands.add_parser("score", help="score outputs/ against the gold annotations")
    score.add_argument(
        "--out",
        type=Path,
        default=Path("outputs"),
        help="folder with the run's outputs; scores.json and scores.md go here (default: outputs)",
    )
    score.add_argument(
        "--gold",
        type=Path,
        default=Path("annotations"),
        help="folder with <doc_id>.events.csv and .timexes.csv gold files (default: annotations)",
    )
    score.add_argument(
        "--record-cold",
        action="store_true",
        help="append to <gold>/cold-scores.csv the score of every scored document that has no "
        "cold score yet (its first score; existing rows are never changed)",
    )


def main(argv: list[str] | None = None) -> int:
    """Run the command in `argv`; return the process exit code."""
    args = parser().parse_args(argv)
    try:
        commands = {"run": command_run, "add": command_add, "score": command_score}
        return commands[args.command](args)
    except InputError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


def command_run(args: argparse.Namespace) -> int:
    """Process the corpus; print a summary and headline scores; exit 1 on any error."""
    register = args.register or (DEFAULT_REGISTER if DEFAULT_REGISTER.exists() else None)
    options = Options(args.workers, args.scheduler, not args.no_cache, quiet=args.quiet)
    run = run_corpus(
        args.corpus, args.out, args.model, args.docs, args.gold, register=register, options=options
    )
    words = sum(r.words for r in run.results)
    pages = sum(r.pages for r in run.results)
    documents = len(run.results) + run.failed
    print(report.summary_line(documents, run.failed, pages, words, run.seconds))
    print(
        f"{sum(r.entities for r in run.results):,} entities, "
        f"{sum(r.timexes for r in run.results):,} time expressions, "
        f"{sum(r.mentions for r in run.results):,} mentions, "
        f"{sum(r.events for r in run.results):,} events"
        + (f"; outputs in {args.out}/" if run.results else "")
    )
    cached = sum(r.cached for r in run.results)
    if cached:
        print(f"{cached} of {len(run.results)} document(s) unchanged: results from the cache")
    if run.skipped:
        print(f"{len(run.skipped)} absent document(s) skipped: {', '.join(run.skipped)}")
    if run.outside:
        print(f"{len(run.outside)} document(s) read from outside {args.corpus}/: "
              f"{', '.join(run.outside)}")  # fmt: skip
    if not run.results:
        print(f"no document processed: nothing written, {args.out}/ left as it was")
    for line in report.headline(run.scores):
        print(line)
    for error in run.errors[run.failed :]:
        print(error, file=sys.stderr)
    return 1 if run.errors else 0


def command_add(args: argparse.Namespace) -> int:
    """Copy a document into the corpus, check it ingests, create its gold templates; all
    or nothing."""
    source: Path = args.file
    doc_id = args.doc_id or storage.doc_id_of(source.stem)
    storage.check_doc_id(doc_id, "--doc-id" if args.doc_id else str(source))
    clean = clean_document(ingest(doc_id, str(source), storage.read_source(source)))
    taken = storage.read_manifest(args.corpus)[0] if args.corpus.is_dir() else []
    if any(e.doc_id == doc_id for e in taken):
        raise InputError(str(source), f"doc_id {doc_id!r} is already in {args.corpus}")
    for twin in storage.same_content(source, args.corpus, taken):
        print(
            f"warning: {source}: the same content is already in the corpus as {twin.file} "
            f"(doc_id {twin.doc_id})",
            file=sys.stderr,
        )
    entry = ManifestEntry(
        doc_id, source.name, title=args.title, author=args.author, year=args.year,
        source=args.source,
    )  # fmt: skip
    templates = {
        storage.inside(args.annotations, f"{doc_id}.events.csv"): report.GOLD_EVENT_COLUMNS,
        storage.inside(args.annotations, f"{doc_id}.timexes.csv"): report.GOLD_TIMEX_COLUMNS,
    }
    texts = {path: storage.csv_text(columns, []) for path, columns in templates.items()}
    storage.add_to_corpus(source, args.corpus, entry, texts)
    print(
        f"added {doc_id} ({len(clean.text.split()):,} words) to {args.corpus}/; "
        f"gold templates in {args.annotations}/"
    )
    return 0


def command_score(args: argparse.Namespace) -> int:
    """Score the outputs; write scores.json and scores.md; print the report; 2 on bad gold."""
    from pipeline.evaluate.gold import GoldError
    from pipeline.evaluate.scoring import (
        score_outputs,  # scipy is imported only by the commands that score
    )

    outdir.finish(args.out)  # complete a run's switch that a kill interrupted
    try:
        scores = score_outputs(args.out, args.gold)
    except GoldError as err:
        for problem in err.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 2
    if args.record_cold and record_cold(scores, args.gold):
        scores = score_outputs(args.out, args.gold)
    markdown = report.render_scores_md(scores)
    storage.write_atomic(args.out / "scores.json", report.scores_json(scores))
    storage.write_atomic(args.out / "scores.md", markdown)
    print(markdown, end="")
    return 0


def record_cold(scores: dict, gold_dir: Path) -> int:
    """Append the cold scores of newly scored documents to gold_dir/cold-scores.csv (never
    changing a recorded row); return how many were recorded."""
    from datetime import date
    from importlib.metadata import version

    from pipeline.evaluate.cold import COLD_COLUMNS, COLD_FILE, cold_cells, new_cold_scores
    from pipeline.evaluate.scoring import load_cold

    today, made_by = date.today().isoformat(), version("negotiation-events")
    new = new_cold_scores(scores, load_cold(gold_dir), today, made_by)
    if new:
        storage.append_rows(gold_dir / COLD_FILE, COLD_COLUMNS, [cold_cells(r) for r in new])
    for record in new:
        print(f"cold score recorded: {record.doc_id} events F1 {record.events_f1}", file=sys.stderr)
    return len(new)
