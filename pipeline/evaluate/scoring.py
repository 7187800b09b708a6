"""The `score` command's engine: read outputs and gold files (through storage), score each system.

Systems: "pipeline" (events.csv, timexes.csv) and "baseline" (baseline_events.csv,
baseline_timexes.csv). A table that does not exist gives None in its place,
so a missing stage reads as "not produced", not as a score of 0. A gold file
with a header and no rows (the template `add` writes) is not annotated yet:
its document is unscored for that part.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, fields
from pathlib import Path
from statistics import mean
from types import MappingProxyType

from pipeline import storage
from pipeline.evaluate import report
from pipeline.evaluate.cold import COLD_FILE, parse_cold
from pipeline.evaluate.gold import GoldError, parse_gold_events, parse_gold_timexes
from pipeline.evaluate.reconcile import KINDS, pair_events, score_events, score_timexes
from pipeline.link.pax import link_counts
from pipeline.models import Event, InputError, Timex

SYSTEMS = MappingProxyType(
    {
        "pipeline": ("events.csv", "timexes.csv"),
        "baseline": ("baseline_events.csv", "baseline_timexes.csv"),
    }
)
GOLD_SUFFIXES = (".events.csv", ".timexes.csv")
SECTIONS = (("events", KINDS), ("timexes", ("strict", "relaxed")))

Tables = tuple[dict[str, tuple] | None, dict[str, tuple] | None]  # events, timexes by doc_id


def score_outputs(out: Path, gold_dir: Path, only: Sequence[str] | None = None) -> dict:
    """Score the outputs under `out` against the gold files in `gold_dir`.

    Reads out/text/<doc_id>.txt (the documents scored; only those in `only` when
    given, e.g. the documents a run processed), the SYSTEMS tables,
    gold_dir/<doc_id>.events.csv and .timexes.csv and gold_dir/cold-scores.csv.
    Returns {doc_id: {"events", "fields", "timexes": the pipeline's scores,
    "baseline": the same for the baseline, "cold": the recorded cold score or
    None}, "_overall": the same pooled, with macro_f1, "_macro": {"all",
    "held_out": mean of each summary measure over those documents},
    "_held_out": doc_ids recorded as held out, "_unscored": doc_ids without
    gold, "_gold_without_output": gold doc_ids with no text}; each scored document also
    has "pax", its PA-X link counts (pax.link_counts).
    Raises GoldError listing every gold problem, InputError for missing folders
    or a broken cold-scores file.
    """
    texts = read_texts(out / "text")
    if only is not None:
        texts = {d: t for d, t in texts.items() if d in only}
    gold = load_gold(gold_dir, texts)
    cold = load_cold(gold_dir)
    systems = {name: load_system(out, *names) for name, names in SYSTEMS.items()}
    docs = [d for d in sorted(texts) if d in gold]
    scores: dict = {
        d: {name: score_document([d], tables, gold) for name, tables in systems.items()}
        for d in docs
    }
    scores["_overall"] = {
        name: with_macro(score_document(docs, tables, gold), [scores[d][name] for d in docs])
        for name, tables in systems.items()
    }
    for key in [*docs, "_overall"]:
        scores[key] = {**scores[key]["pipeline"], "baseline": scores[key]["baseline"]}
    for d in docs:
        scores[d]["cold"] = asdict(cold[d]) if d in cold else None
    held_out = [d for d in docs if d in cold and cold[d].held_out == "yes"]
    scores["_held_out"] = held_out
    scores["_macro"] = {"all": macro(scores, docs), "held_out": macro(scores, held_out)}
    event_rows = storage.read_csv_rows(out / "events.csv")
    for d in docs:
        scores[d]["pax"] = link_counts(r for r in event_rows if r["doc_id"] == d)
    scores["_unscored"] = [d for d in sorted(texts) if d not in gold]
    scores["_gold_without_output"] = sorted(d for d in gold if d not in texts)
    return scores


def score_document(docs: Sequence[str], tables: Tables, gold: dict[str, Tables]) -> dict:
    """Return the event, field and time-expression scores of `docs` pooled (micro).

    A part is None when the system table is missing or no doc has gold for it.
    """
    result: dict = {"events": None, "fields": None, "timexes": None}
    events, timexes = tables
    with_events = [d for d in docs if gold[d][0] is not None]
    if events is not None and with_events:
        mine = [e for d in with_events for e in events.get(d, ())]
        theirs = [g for d in with_events for g in gold[d][0]]
        result.update(score_events(mine, theirs, pair_events(mine, theirs)))
    with_timexes = [d for d in docs if gold[d][1] is not None]
    if timexes is not None and with_timexes:
        mine = [t for d in with_timexes for t in timexes.get(d, ())]
        theirs = [g for d in with_timexes for g in gold[d][1]]
        result["timexes"] = score_timexes(mine, theirs)
    return result


def macro(scores: dict, docs: Sequence[str]) -> dict[str, float | None]:
    """The mean over `docs` of each measure of the summary table (report.SUMMARY_COLUMNS)."""
    result = {}
    for label, system, path in report.SUMMARY_COLUMNS:
        values = [report.lookup(report.by_system(scores[d])[system], path) for d in docs]
        numbers = [v for v in values if isinstance(v, float | int)]
        result[label] = round(mean(numbers), 4) if numbers else None
    return result


def load_cold(gold_dir: Path) -> dict:
    """The recorded cold scores in gold_dir/cold-scores.csv ({} when there is none)."""
    path = gold_dir / COLD_FILE
    return parse_cold(storage.read_csv_rows(path), str(path))


def with_macro(pooled: dict, per_doc: Sequence[dict]) -> dict:
    """Add "macro_f1" (mean of the documents' F1) beside each pooled precision/recall/F1."""
    for section, kinds in SECTIONS:
        if pooled[section] is None:
            continue
        for kind in kinds:
            f1s = [d[section][kind]["f1"] for d in per_doc if d[section] is not None]
            pooled[section][kind]["macro_f1"] = round(mean(f1s), 4) if f1s else 0.0
    return pooled


def read_texts(folder: Path) -> dict[str, str]:
    """Return {doc_id: cleaned text} from folder/<doc_id>.txt; InputError when there is none."""
    texts = {
        p.name[: -len(".txt")]: storage.read_text(p) for p in storage.list_files(folder, ".txt")
    }
    if not texts:
        raise InputError(str(folder), "no document texts; run `python -m pipeline run` first")
    return texts


def load_gold(gold_dir: Path, texts: dict[str, str]) -> dict[str, Tables]:
    """Read and check every gold file in `gold_dir`; return {doc_id: (events, timexes)}.

    Timex offsets are checked against the document's text when there is one.
    Raises one GoldError with the problems of all files.
    """
    gold: dict[str, list] = {}
    problems: list[str] = []
    for part, (suffix, parse) in enumerate(
        zip(GOLD_SUFFIXES, (parse_gold_events, parse_gold_timexes))
    ):
        for path in storage.list_files(gold_dir, suffix):
            doc_id, rows = path.name[: -len(suffix)], storage.read_csv_rows(path)
            if not rows:
                continue
            try:
                records = _parse_file(parse, rows, str(path), doc_id, texts.get(doc_id))
            except GoldError as err:
                problems.extend(err.problems)
                continue
            gold.setdefault(doc_id, [None, None])[part] = records
    if problems:
        raise GoldError(str(gold_dir), problems)
    return {doc_id: (tables[0], tables[1]) for doc_id, tables in gold.items()}


def _parse_file(
    parse: Callable, rows: list[dict[str, str]], source: str, doc_id: str, text: str | None
) -> tuple:
    """Parse one gold file, also checking that every row's doc_id is the file's."""
    problems = [
        f"{source}:{line}: doc_id {row['doc_id']!r} does not match the file name ({doc_id})"
        for line, row in enumerate(rows, start=2)
        if (row.get("doc_id") or "").strip() not in ("", doc_id)
    ]
    try:
        records = parse(rows, source, text)
    except GoldError as err:
        raise GoldError(source, list(err.problems) + problems) from None
    if problems:
        raise GoldError(source, problems)
    return records


def load_system(out: Path, events_name: str, timexes_name: str) -> Tables:
    """Read one system's event and time-expression tables; None for a table that is absent."""
    event_rows = storage.read_csv_if_present(out / events_name)
    timex_rows = storage.read_csv_if_present(out / timexes_name)
    events = None if event_rows is None else _by_doc(_record(Event, r) for r in event_rows)
    timexes = None if timex_rows is None else _by_doc(_record(Timex, r) for r in timex_rows)
    return events, timexes


def _record(kind: type, row: dict[str, str]) -> Event | Timex:
    """Build an Event or Timex from a CSV row; absent columns are empty, bad numbers 0."""
    values = {}
    for field in fields(kind):
        text = (row.get(field.name) or "").strip()
        if field.type == "int":
            values[field.name] = int(text) if text.lstrip("-").isdigit() else 0
        else:
            values[field.name] = row.get(field.name) or ""
    return kind(**values)


def _by_doc(records: Iterable[Event | Timex]) -> dict[str, tuple]:
    """Group records by doc_id, keeping their order."""
    grouped: dict[str, list] = {}
    for record in records:
        grouped.setdefault(record.doc_id, []).append(record)
    return {doc_id: tuple(items) for doc_id, items in grouped.items()}
