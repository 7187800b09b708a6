"""The `score` command's engine: read outputs and gold files (through storage), score each system.

Systems: "pipeline" (events.csv, timexes.csv) and "baseline" (baseline_events.csv,
baseline_timexes.csv). A table that does not exist gives None in its place,
so a missing stage reads as "not produced", not as a score of 0. A gold file
with a header and no rows (the template `add` writes) is not annotated yet:
its document is unscored for that part.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
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
    """Score the outputs under `out` against the gold files in `gold_dir` (the `score`
    command): read them, then `score_records`.

    Reads out/text/<doc_id>.txt (the documents scored; only those in `only` when
    given), the SYSTEMS tables, events.csv's PA-X columns, gold_dir/<doc_id>.events.csv
    and .timexes.csv and gold_dir/cold-scores.csv. Raises GoldError listing every gold
    problem, InputError for missing folders or a broken cold-scores file.
    """
    texts = read_texts(out / "text")
    if only is not None:
        texts = {d: t for d, t in texts.items() if d in only}
    gold = parse_gold(read_gold_rows(gold_dir), texts, str(gold_dir))
    systems = {name: load_system(out, *names) for name, names in SYSTEMS.items()}
    event_rows = storage.read_csv_rows(out / "events.csv")
    pax = {d: link_counts(r for r in event_rows if r["doc_id"] == d) for d in texts}
    return score_records(sorted(texts), systems, gold, load_cold(gold_dir), pax)


def score_records(
    docs: Sequence[str],
    systems: Mapping[str, Tables],
    gold: Mapping[str, Tables],
    cold: Mapping,
    pax: Mapping[str, dict],
    pairs: Mapping[str, Mapping[str, list]] | None = None,
) -> dict:
    """Score the records of `docs` (pure): the run scores its documents in memory, the
    `score` command the same records read back from disk.

    systems: {name: (events, timexes) by doc_id}; gold: {doc_id: (events, timexes)};
    cold: the recorded cold scores; pax: each document's PA-X link counts; pairs:
    {system: {doc_id: pairs}} already made (the run's, for its match columns), the others
    are made here, once per document. Returns {doc_id: {"events", "fields", "timexes":
    the pipeline's scores, "baseline": the same for the baseline, "cold": the recorded
    cold score or None, "pax"}, "_overall": the same pooled, with macro_f1, "_macro":
    {"all", "held_out": mean of each summary measure}, "_held_out", "_unscored" (doc_ids
    without gold), "_gold_without_output" (gold doc_ids not in `docs`)}.
    """
    scored = [d for d in sorted(docs) if d in gold]
    made = {
        name: {d: _pairs(tables, gold, d, (pairs or {}).get(name, {})) for d in scored}
        for name, tables in systems.items()
    }
    scores: dict = {
        d: {name: score_document([d], t, gold, made[name]) for name, t in systems.items()}
        for d in scored
    }
    scores["_overall"] = {
        name: with_macro(
            score_document(scored, t, gold, made[name]), [scores[d][name] for d in scored]
        )
        for name, t in systems.items()
    }
    for key in [*scored, "_overall"]:
        scores[key] = {**scores[key]["pipeline"], "baseline": scores[key]["baseline"]}
    for d in scored:
        scores[d]["cold"] = asdict(cold[d]) if d in cold else None
        scores[d]["pax"] = pax.get(d, link_counts(()))
    held_out = [d for d in scored if d in cold and cold[d].held_out == "yes"]
    scores["_held_out"] = held_out
    scores["_macro"] = {"all": macro(scores, scored), "held_out": macro(scores, held_out)}
    scores["_unscored"] = [d for d in sorted(docs) if d not in gold]
    scores["_gold_without_output"] = sorted(d for d in gold if d not in docs)
    return scores


def _pairs(tables: Tables, gold: Mapping[str, Tables], doc_id: str, known: Mapping) -> list:
    """The pairs of one document's system and gold events: `known`'s, else made now."""
    events, gold_events = tables[0], gold[doc_id][0]
    if events is None or gold_events is None:
        return []
    if doc_id in known:
        return list(known[doc_id])
    return pair_events(events.get(doc_id, ()), gold_events)


def score_document(
    docs: Sequence[str], tables: Tables, gold: Mapping[str, Tables], pairs: Mapping[str, list]
) -> dict:
    """Return the event, field and time-expression scores of `docs` pooled (micro), from
    each document's `pairs` of system and gold events.

    A part is None when the system table is missing or no doc has gold for it.
    """
    result: dict = {"events": None, "fields": None, "timexes": None}
    events, timexes = tables
    with_events = [d for d in docs if gold[d][0] is not None]
    if events is not None and with_events:
        mine, theirs, pooled = [], [], []
        for d in with_events:
            pooled += [(i + len(mine), j + len(theirs)) for i, j in pairs[d]]
            mine += events.get(d, ())
            theirs += gold[d][0]
        result.update(score_events(mine, theirs, pooled))
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


def read_gold_rows(gold_dir: Path) -> dict[str, dict[str, tuple[str, list]]]:
    """Read every gold file in `gold_dir` once: {doc_id: {suffix: (path, rows)}} (files with
    a header and no rows, templates not yet annotated, left out)."""
    found: dict[str, dict[str, tuple[str, list]]] = {}
    for suffix in GOLD_SUFFIXES:
        for path in storage.list_files(gold_dir, suffix):
            rows = storage.read_csv_rows(path)
            if rows:
                found.setdefault(path.name[: -len(suffix)], {})[suffix] = (str(path), rows)
    return found


def parse_gold(
    files: Mapping[str, Mapping[str, tuple[str, list]]],
    texts: Mapping[str, str],
    source: str = "gold",
) -> dict[str, Tables]:
    """Check and parse the gold rows `read_gold_rows` read; return {doc_id: (events, timexes)}.

    Offsets are checked against the document's text when `texts` has it. Raises one
    GoldError (named `source`, the gold folder) with the problems of all files.
    """
    gold: dict[str, list] = {}
    problems: list[str] = []
    for part, (suffix, parse) in enumerate(
        zip(GOLD_SUFFIXES, (parse_gold_events, parse_gold_timexes))
    ):
        for doc_id, parts in files.items():
            if suffix not in parts:
                continue
            source, rows = parts[suffix]
            try:
                records = _parse_file(parse, rows, source, doc_id, texts.get(doc_id))
            except GoldError as err:
                problems.extend(err.problems)
                continue
            gold.setdefault(doc_id, [None, None])[part] = records
    if problems:
        raise GoldError(source, problems)
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
            values[field.name] = storage.raw_cell(row.get(field.name) or "")
    return kind(**values)


def _by_doc(records: Iterable[Event | Timex]) -> dict[str, tuple]:
    """Group records by doc_id, keeping their order."""
    grouped: dict[str, list] = {}
    for record in records:
        grouped.setdefault(record.doc_id, []).append(record)
    return {doc_id: tuple(items) for doc_id, items in grouped.items()}
