"""Scoring against gold (guidelines §4) on small hand-made tables, gold checks, the baselines."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import astuple, fields
from pathlib import Path

import pytest
from conftest import load, shared_file

from pipeline.cli import main
from pipeline.evaluate import report
from pipeline.evaluate.baselines import baseline_events, baseline_timexes, first_keyword_type
from pipeline.evaluate.gold import GoldError, parse_gold_events, parse_gold_timexes
from pipeline.evaluate.reconcile import (
    MATCH_COLUMNS,
    can_pair,
    match_columns,
    missed_rows,
    pair_events,
    preference,
    score_events,
    score_timexes,
)
from pipeline.evaluate.scoring import score_outputs
from pipeline.models import Event, GoldEvent, GoldTimex, Timex
from pipeline.nlp.entities import extract_entities
from pipeline.nlp.timexes import extract_timexes
from pipeline.rules import load_jsonl

EVENT_COLUMNS = report.EVENT_COLUMNS


def event(eid="E1", kind="meeting", start="1994-04-05", end=None, **more) -> Event:
    """A system event; date_end defaults to date_start, status to held/signed."""
    values = dict(
        doc_id="d", event_id=eid, event_type=kind, title="talks",
        subtype="round" if kind == "meeting" else "protocol",
        status="held" if kind == "meeting" else "signed",
        date_start=start, date_end=start if end is None else end, date_mod="", date_text="",
        location="Moscow", country="", participants="", mediators="", round="", section="",
        evidence="", char_start=0, char_end=0, page=1, mention_ids="",
    )  # fmt: skip
    return Event(**{**values, **more})


def gold(gid="G1", kind="meeting", start="1994-04-05", end=None, **more) -> GoldEvent:
    """A gold event with the same defaults as `event`, not optional."""
    base = event(gid, kind, start, end)
    values = {f.name: getattr(base, f.name, "") for f in fields(GoldEvent)}
    return GoldEvent(**{**values, "gold_id": gid, "optional": False, **more})


def scored(system, gold_events):
    """Pair and score; return (pairs, scores)."""
    pairs = pair_events(system, gold_events)
    return pairs, score_events(system, gold_events, pairs)


def counts(scores, kind="all"):
    block = scores["events"][kind]
    return block["tp"], block["fp"], block["fn"]


# --- events -------------------------------------------------------------------


def test_perfect():
    system = [event("E1"), event("E2", "agreement", "1994-04-06")]
    golds = [gold("G1"), gold("G2", "agreement", "1994-04-06")]
    pairs, scores = scored(system, golds)
    assert pairs == [(0, 0), (1, 1)]
    assert scores["events"]["all"] == {
        "tp": 2, "fp": 0, "fn": 0, "precision": 1.0, "recall": 1.0, "f1": 1.0
    }  # fmt: skip
    assert scores["fields"] == {
        "pairs": 2, "date_start": 1.0, "date_end": 1.0, "location": 1.0, "subtype": 1.0,
        "status": 1.0, "participants_jaccard": 1.0,
    }  # fmt: skip


def test_one_missed_and_its_missed_row():
    system = [event("E1")]
    golds = [gold("G1"), gold("G2", "agreement", "1995-01-01")]
    pairs, scores = scored(system, golds)
    assert counts(scores) == (1, 0, 1)
    assert scores["events"]["all"]["recall"] == 0.5
    assert counts(scores, "agreement") == (0, 0, 1)
    rows = missed_rows(system, golds, pairs)
    assert [r["gold_id"] for r in rows] == ["G2"]
    assert tuple(rows[0]) == report.GOLD_EVENT_COLUMNS and rows[0]["optional"] == "0"


def test_one_spurious():
    system = [event("E1"), event("E2", start="1996-01-01")]
    pairs, scores = scored(system, [gold("G1")])
    assert counts(scores) == (1, 1, 0)
    assert scores["events"]["all"]["precision"] == 0.5
    assert [r["match"] for r in match_columns(system, [gold("G1")], pairs)] == [
        "matched",
        "spurious",
    ]


def test_optional_event_neither_earns_nor_costs():
    optional = gold("G2", "agreement", "1994-06-01", optional=True)
    system = [event("E1"), event("E2", "agreement", "1994-06-01")]
    pairs, scores = scored(system, [gold("G1"), optional])
    assert pairs == [(0, 0), (1, 1)]
    assert counts(scores) == (1, 0, 0)
    assert match_columns(system, [gold("G1"), optional], pairs)[1]["match"] == "unscored"
    _, unmatched = scored([event("E1")], [gold("G1"), optional])
    assert counts(unmatched) == (1, 0, 0)


def test_an_optional_event_never_takes_the_match_of_a_scored_one():
    # The optional gold fits better by title; pairing with it would cost a true positive.
    system = [event("E1", title="consultations with officials")]
    golds = [
        gold("G1", title="talks"),
        gold("G2", title="consultations with officials", optional=True),
    ]
    pairs, scores = scored(system, golds)
    assert pairs == [(0, 0)]
    assert counts(scores) == (1, 0, 0)


def test_partial_date_covers_its_month_only():
    golds = [gold("G1", start="1994-04")]
    assert scored([event(start="1994-04-30")], golds)[0] == [(0, 0)]
    assert scored([event(start="1994-05-01")], golds)[0] == []


def test_empty_date_end_is_the_start():
    golds = [gold("G1", start="1994-04-05", end="")]
    assert scored([event(start="1994-04-05", end="")], golds)[0] == [(0, 0)]
    assert scored([event(start="1994-04-01", end="1994-04-10")], golds)[0] == [(0, 0)]
    assert scored([event(start="1994-04-06")], golds)[0] == []  # not open-ended


def test_titles_decide_between_agreements_on_one_day_at_one_place():
    military, political = "Protocol on Military Issues", "Protocol on Political Issues"
    golds = [gold("G1", "agreement", title=military), gold("G2", "agreement", title=political)]
    system = [event("E1", "agreement", title=political), event("E2", "agreement", title="military")]
    pairs, scores = scored(system, golds)
    assert pairs == [(0, 1), (1, 0)]
    assert counts(scores) == (2, 0, 0)


def test_planned_meetings_are_unscored_on_both_sides():
    planned = event("E1", status="planned")
    pairs, scores = scored([planned], [gold("G1")])
    assert counts(scores) == (0, 0, 1)  # a planned claim does not recall a held meeting
    assert match_columns([planned], [gold("G1")], pairs)[0]["match"] == "unscored"
    assert counts(scored([], [gold("G1", status="cancelled")])[1]) == (0, 0, 0)
    assert counts(scored([event("E1")], [gold("G1", status="planned")])[1]) == (0, 0, 0)


def test_planned_system_event_never_takes_the_gold_from_a_held_one():
    system = [event("E1", status="planned"), event("E2", start="1994-04-01", end="1994-04-30")]
    pairs, scores = scored(system, [gold("G1")])
    assert pairs == [(1, 0)]
    assert counts(scores) == (1, 0, 0)


def test_locations_must_agree_for_meetings_only():
    assert scored([event(location="Tehran")], [gold()])[0] == []
    assert scored([event(location="moscow")], [gold()])[0] == [(0, 0)]
    assert scored([event(location="")], [gold()])[0] == [(0, 0)]
    agreement = scored([event(kind="agreement", location="Tehran")], [gold(kind="agreement")])
    assert agreement[0] == [(0, 0)]
    assert agreement[1]["fields"]["location"] == 0.0


def test_an_event_with_no_date_is_never_paired():
    _, scores = scored([event(start="", end="")], [gold()])
    assert counts(scores) == (0, 1, 1)
    assert counts(scored([event()], [gold(start="", end="")])[1]) == (0, 1, 1)


def test_assignment_beats_greedy_closest_date():
    golds = [
        gold("G1", "agreement", "1994-04-20", "1994-05-02"),
        gold("G2", "agreement", "1994-05", "1994-05"),
    ]
    system = [
        event("E1", "agreement", "1994-05", "1994-05"),  # fits G2 exactly, but also G1
        event("E2", "agreement", "1994-05-20", "1994-05-25"),  # fits only G2
    ]
    assert pair_events(system, golds) == [(0, 0), (1, 1)]
    candidates = [(i, j) for i in range(2) for j in range(2) if can_pair(system[i], golds[j])]
    candidates.sort(key=lambda p: -preference(system[p[0]], golds[p[1]]))
    greedy: list[tuple[int, int]] = []
    for i, j in candidates:
        if all(i != a and j != b for a, b in greedy):
            greedy.append((i, j))
    assert greedy == [(0, 1)]  # closest first takes E1-G2 and strands E2


def test_fields_and_match_columns():
    system = [event(date_end="", location="moscow", participants="A;B", status="held")]
    golds = [gold(participants="B;C")]
    pairs, scores = scored(system, golds)
    assert scores["fields"]["date_end"] == 0.0 and scores["fields"]["location"] == 0.0
    assert scores["fields"]["participants_jaccard"] == 0.3333
    row = match_columns(system, golds, pairs)[0]
    assert tuple(row) == MATCH_COLUMNS
    assert row == {
        "gold_id": "G1", "match": "matched", "ok_date_start": 1, "ok_date_end": 0,
        "ok_location": 0, "ok_subtype": 1, "ok_status": 1,
    }  # fmt: skip
    assert match_columns([event(start="1990")], golds, [])[0]["ok_date_start"] == ""


def test_no_pairs_give_zero_scores_and_no_field_shares():
    _, scores = scored([], [])
    assert scores["events"]["all"]["f1"] == 0.0
    assert scores["fields"]["date_start"] is None


# --- time expressions -------------------------------------------------------------


def timex(start, end, value="1994-04-05", doc="d") -> Timex:
    return Timex(doc, "T1", start, end, "x", "DATE", value, value, "", "")


def gold_timex(start, end, value="1994-04-05", doc="d") -> GoldTimex:
    return GoldTimex(doc, start, end, "x", "DATE", value, value, "")


def test_timex_strict_relaxed_and_values():
    golds = [gold_timex(3, 15), gold_timex(40, 43, "1994-05"), gold_timex(60, 64, "1995")]
    system = [timex(3, 15), timex(37, 43, "1994-06"), timex(80, 90)]
    scores = score_timexes(system, golds)
    assert scores["strict"] == {
        "tp": 1, "fp": 2, "fn": 2, "precision": 0.3333, "recall": 0.3333, "f1": 0.3333
    }  # fmt: skip
    assert (scores["relaxed"]["tp"], scores["relaxed"]["fp"], scores["relaxed"]["fn"]) == (2, 1, 1)
    assert scores["value_accuracy"] == 0.5


def test_relaxed_matching_is_one_to_one_and_within_a_document():
    scores = score_timexes([timex(0, 30)], [gold_timex(0, 10), gold_timex(12, 30)])
    assert scores["relaxed"]["tp"] == 1 and scores["relaxed"]["fn"] == 1
    other_doc = score_timexes([timex(0, 10, doc="e")], [gold_timex(0, 10)])
    assert other_doc["relaxed"]["tp"] == 0 and other_doc["strict"]["tp"] == 0


# --- gold checks ---------------------------------------------------------------------


def csv_rows(columns, rows) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(report.csv_text(columns, rows))))


def gold_row(gid="G001", start="1994-04-05", end="1994-04-05", subtype="round"):
    return ["d", gid, "meeting", subtype, "held", "t", start, end, "", "Moscow", "Russia",
            "", "", "1", "evidence", "0"]  # fmt: skip


def test_bad_events_gold_lists_every_problem_with_file_and_line():
    rows = csv_rows(
        report.GOLD_EVENT_COLUMNS,
        [
            gold_row(),
            gold_row("G002", start="1994-13-01"),
            gold_row("G003", start="1994-05-02", end="1994-05-01"),
            gold_row("G001", start="1994-06-01", end="1994-06-01"),
            gold_row("G005", subtype="negotiation"),
        ],
    )
    with pytest.raises(GoldError) as caught:
        parse_gold_events(rows, "annotations/d.events.csv")
    problems = caught.value.problems
    assert str(caught.value).splitlines() == list(problems)
    expected = {3: "not an ISO date", 4: "is after date_end", 5: "duplicate gold_id", 6: "subtype"}
    assert len(problems) == len(expected)
    for problem, (line, words) in zip(problems, expected.items()):
        assert problem.startswith(f"annotations/d.events.csv:{line}: ") and words in problem


def test_good_gold_parses_and_the_real_files_pass():
    parsed = parse_gold_events(csv_rows(report.GOLD_EVENT_COLUMNS, [gold_row()]), "x")
    assert parsed[0].optional is False and parsed[0].round == "1"
    root = Path(__file__).resolve().parents[1] / "annotations"
    annotated = 0
    for path in sorted(root.glob("*.events.csv")):
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
        events = parse_gold_events(rows, str(path))  # an empty template (from `add`) gives ()
        assert {e.doc_id for e in events} <= {path.name.removesuffix(".events.csv")}
        annotated += bool(events)
    assert annotated >= 1


def test_timex_gold_offsets_must_point_at_their_text():
    text = "The talks opened on 5 April 1994 in Moscow."
    good = ["d", 20, 32, "5 April 1994", "DATE", "1994-04-05", "1994-04-05", ""]
    shifted = ["d", 19, 31, "5 April 1994", "DATE", "1994-04-05", "1994-04-05", ""]
    duration = ["d", 0, 3, "The", "DURATION", "1994", "", ""]
    rows = csv_rows(report.GOLD_TIMEX_COLUMNS, [good, shifted, duration])
    with pytest.raises(GoldError) as caught:
        parse_gold_timexes(rows, "g.timexes.csv", text)
    assert caught.value.problems[0].startswith("g.timexes.csv:3: text '5 April 1994' differs")
    assert caught.value.problems[1].startswith("g.timexes.csv:4: a DURATION has no calendar")
    parsed = parse_gold_timexes(rows[:1], "g.timexes.csv", text)
    assert parsed == (
        GoldTimex("d", 20, 32, "5 April 1994", "DATE", "1994-04-05", "1994-04-05", ""),
    )


# --- the score command ------------------------------------------------------------


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def gold_csv(*events: GoldEvent) -> str:
    rows = ([*astuple(g)[:-1], int(g.optional)] for g in events)
    return report.csv_text(report.GOLD_EVENT_COLUMNS, rows)


@pytest.fixture
def scored_dirs(tmp_path):
    """outputs/ with three documents and pipeline tables only; gold for two, a template for one."""
    out, gold_dir = tmp_path / "out", tmp_path / "gold"
    for doc in ("d1", "d2", "d3"):
        write(out / "text" / f"{doc}.txt", "On 5 April 1994 they met in Moscow.")
    system = [event(doc_id="d1"), event("E2", doc_id="d1", start="1999"), event(doc_id="d2")]
    write(out / "events.csv", report.table(EVENT_COLUMNS, system))
    write(out / "timexes.csv", report.table(report.TIMEX_COLUMNS, [timex(3, 15, doc="d2")]))
    write(gold_dir / "d1.events.csv", gold_csv(gold(doc_id="d1")))
    write(gold_dir / "d2.events.csv", gold_csv(gold(doc_id="d2"), gold("G2", doc_id="d2")))
    timex_row = ["d2", 3, 15, "5 April 1994", "DATE", "1994-04-05", "1994-04-05", ""]
    write(gold_dir / "d2.timexes.csv", report.csv_text(report.GOLD_TIMEX_COLUMNS, [timex_row]))
    write(gold_dir / "d3.events.csv", report.csv_text(report.GOLD_EVENT_COLUMNS, []))
    return out, gold_dir


def test_score_outputs_pools_documents_and_lists_the_unscored(scored_dirs):
    scores = score_outputs(*scored_dirs)
    assert scores["_unscored"] == ["d3"] and scores["_gold_without_output"] == []
    assert counts(scores["d1"]) == (1, 1, 0)
    assert counts(scores["d2"]) == (1, 0, 1)
    overall = scores["_overall"]
    assert counts(overall) == (2, 1, 1)
    assert overall["events"]["all"]["f1"] == 0.6667
    assert overall["events"]["all"]["macro_f1"] == 0.6667  # both documents have F1 2/3
    assert scores["d1"]["timexes"] is None  # d1 has no time-expression gold
    assert overall["timexes"]["strict"]["tp"] == 1
    assert scores["d1"]["baseline"] == {"events": None, "fields": None, "timexes": None}


def test_score_command_writes_json_and_markdown(scored_dirs, capsys):
    out, gold_dir = scored_dirs
    assert main(["score", "--out", str(out), "--gold", str(gold_dir)]) == 0
    first = (out / "scores.json").read_bytes()
    assert json.loads(first)["_overall"]["events"]["all"]["tp"] == 2
    markdown = (out / "scores.md").read_text(encoding="utf-8")
    assert capsys.readouterr().out == markdown
    assert "| measure | pipeline | baseline | gain |" in markdown and "## d2" in markdown
    assert "| d1 | no | 0.500 | 1.000 | 0.667 |" in markdown  # the side-by-side summary row
    assert main(["score", "--out", str(out), "--gold", str(gold_dir)]) == 0
    assert (out / "scores.json").read_bytes() == first


def test_cold_scores_are_recorded_once_and_never_rewritten(scored_dirs, capsys):
    out, gold_dir = scored_dirs
    cold = gold_dir / "cold-scores.csv"
    assert main(["score", "--out", str(out), "--gold", str(gold_dir), "--record-cold"]) == 0
    recorded = cold.read_bytes()
    rows = list(csv.DictReader(io.StringIO(recorded.decode("utf-8"))))
    assert [(r["doc_id"], r["held_out"], r["events_f1"]) for r in rows] == [
        ("d1", "yes", "0.6667"),
        ("d2", "yes", "0.6667"),
    ]  # d3 has an empty template: no score, no cold row
    markdown = (out / "scores.md").read_text(encoding="utf-8")
    assert "| d1 | yes | 0.500 | 1.000 | 0.667 |" in markdown
    assert "| macro, 2 held out |" in markdown
    # the system gets better: the current score moves, the cold one stays
    system = [event(doc_id="d1"), event(doc_id="d2"), event("E3", doc_id="d2", start="1994")]
    write(out / "events.csv", report.table(EVENT_COLUMNS, system))
    assert main(["score", "--out", str(out), "--gold", str(gold_dir), "--record-cold"]) == 0
    assert cold.read_bytes() == recorded
    scores = json.loads((out / "scores.json").read_text(encoding="utf-8"))
    assert scores["d1"]["events"]["all"]["f1"] == 1.0
    assert scores["d1"]["cold"]["events_f1"] == 0.6667
    assert scores["_macro"]["held_out"]["cold events F1"] == 0.6667


def test_a_broken_cold_scores_file_is_one_line_error(scored_dirs, capsys):
    out, gold_dir = scored_dirs
    header = "doc_id,recorded,version,held_out,events_precision,events_recall,events_f1,"
    header += "meeting_f1,agreement_f1,time_relaxed_f1,value_accuracy,note\n"
    write(gold_dir / "cold-scores.csv", header + "d1,2026-01-01,0.1.0,maybe,1,1,1,1,1,1,1,\n")
    assert main(["score", "--out", str(out), "--gold", str(gold_dir)]) == 2
    error = capsys.readouterr().err.strip()
    where = gold_dir / "cold-scores.csv"
    assert error == f"error: {where}:2: held_out must be yes or no, not 'maybe'"


def test_only_the_documents_named_are_scored(scored_dirs):
    scores = score_outputs(*scored_dirs, only=["d2"])
    assert [d for d in scores if not d.startswith("_")] == ["d2"]
    assert counts(scores["_overall"]) == (1, 0, 1)


def test_score_command_reports_bad_gold_and_exits_2(scored_dirs, capsys):
    out, gold_dir = scored_dirs
    bad = gold_csv(gold(doc_id="d1", date_start="1994-02-30"), gold("G2", doc_id="d2"))
    write(gold_dir / "d1.events.csv", bad)
    assert main(["score", "--out", str(out), "--gold", str(gold_dir)]) == 2
    errors = capsys.readouterr().err.splitlines()
    path = gold_dir / "d1.events.csv"
    assert errors[0].startswith(f"error: {path}:2: date_start '1994-02-30' is not an ISO date")
    assert errors[1] == f"error: {path}:3: doc_id 'd2' does not match the file name (d1)"
    assert not (out / "scores.json").exists()


def test_render_scores_md_shows_gain():
    block = {"tp": 1, "fp": 0, "fn": 1, "precision": 1.0, "recall": 0.5, "f1": 0.6667}
    ours = {"events": {k: block for k in ("all", "meeting", "agreement")}, "fields": None}
    theirs = {**ours, "events": {k: {**block, "f1": 0.5} for k in ("all", "meeting", "agreement")}}
    text = report.render_scores_md({"d": {**ours, "baseline": theirs}})
    assert "| events all: F1 | 0.667 | 0.500 | +0.167 |" in text
    assert "| time value accuracy | – | – | – |" in text
    assert report.scores_json({"b": 1, "a": 2}) == '{\n  "a": 2,\n  "b": 1\n}\n'


# --- baselines ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_sentences():
    """Two sentences of the shared article: the first round's date, and a citation."""
    text = load(shared_file("tajik-negotiations.txt")).text
    dated = re.search(r"The Tajik government and the opposition entered[^.]*\.", text)
    cited = re.search(r"The possibility of initiating negotiations[^.]*\(Jonson 1998: 9\)\.", text)
    return f"{dated.group(0)} {cited.group(0)}"


def test_baseline_timexes_find_dates_and_citation_years(nlp, real_sentences):
    doc = nlp(real_sentences)
    found = baseline_timexes(doc, "tajik")
    assert any("5 April 1994" in t.text and t.value_start == "1994-04-05" for t in found)
    citation = real_sentences.index("1998")
    assert any(t.char_start == citation and t.text == "1998" for t in found)  # its weakness
    assert all(real_sentences[t.char_start : t.char_end] == t.text for t in found)
    assert not any(t.text == "1998" for t in extract_timexes(doc, "tajik"))  # the pipeline's gain


def test_baseline_events_take_the_first_date_and_place(nlp, real_sentences):
    doc = nlp(real_sentences)
    found = baseline_events(
        doc, "tajik", extract_timexes(doc, "tajik"), extract_entities(doc, "tajik")
    )
    first = found[0]
    assert (first.event_type, first.status, first.date_start, first.location) == (
        "meeting", "held", "1994-04-05", "Moscow"
    )  # fmt: skip
    assert found[1].date_start == "" and len(found) == 2
    golds = [gold(doc_id="tajik", title="First round of inter-Tajik talks", subtype="round")]
    assert counts(scored(list(found), golds)[1]) == (1, 1, 0)


def test_baseline_keywords_examples():
    for record in load_jsonl("baseline_keywords.jsonl"):
        assert set(record) == {"id", "event_type", "keyword", "example"}
        assert first_keyword_type(record["example"]) == record["event_type"], record["id"]
        assert record["keyword"].lower() in record["example"].lower()


def test_baseline_relative_base_makes_dates_reproducible(nlp):
    doc = nlp("The envoy arrived in March. The talks of May 1996 followed.")
    first = baseline_timexes(doc, "x")
    assert [t.value_start for t in first] == [t.value_start for t in baseline_timexes(doc, "x")]
    assert all(t.value_start.startswith("1996") for t in first)
