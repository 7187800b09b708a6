"""The whole pipeline on each real document, scored against its gold: floors that CI guards.

Floors sit a little under the level reached (annotations/README.md §9, §10), so a
regression on any one document fails the suite. A document without time-expression
gold (None) has no time floor.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from conftest import CORPUS, SHARED

from pipeline.evaluate.gold import parse_gold_events, parse_gold_timexes
from pipeline.evaluate.reconcile import pair_events, score_events, score_timexes
from pipeline.events.extract import extract_events
from pipeline.models import ManifestEntry
from pipeline.nlp.doctime import document_date
from pipeline.nlp.entities import extract_entities
from pipeline.nlp.sides import cast_sides
from pipeline.nlp.timexes import extract_timexes
from pipeline.run import load_document
from pipeline.storage import read_manifest

GOLD = Path(__file__).resolve().parents[1] / "annotations"

# doc_id, folder, file, event F1 floor, relaxed time F1 floor, value accuracy floor
DOCUMENTS = [
    ("tajik-negotiations", CORPUS, "tajik-negotiations.txt", 0.95, 0.95, 0.95),
    ("oslo-accords", SHARED, "oslo-accords.txt", 0.95, 0.95, 0.95),
    ("un-s-1995-105", SHARED, "un-s-1995-105.pdf", 0.85, 0.90, 0.95),
    ("un-s-1997-56", SHARED, "un-s-1997-56.pdf", 0.95, None, None),
    ("camp-david", SHARED, "camp-david.txt", 0.90, None, None),
    ("un-a-51-695", SHARED, "un-a-51-695.pdf", 0.95, 0.92, 0.95),
    ("un-s-1995-1024-ocr", SHARED, "un-s-1995-1024-ocr.pdf", 0.80, 0.92, 0.85),
    ("un-s-1997-198", SHARED, "un-s-1997-198.pdf", 0.95, 0.93, 0.93),
    ("madrid-conference", SHARED, "madrid-conference.txt", 0.86, 0.93, 0.95),
    ("salt-talks", SHARED, "salt-talks.txt", 0.95, 0.90, 0.95),
    ("portsmouth-treaty", SHARED, "portsmouth-treaty.txt", 0.95, 0.90, 0.95),
    ("wikipedia-farc", SHARED, "wikipedia-farc.txt", 0.85, None, None),
]


def gold_rows(doc_id: str, part: str) -> list[dict[str, str]]:
    with (GOLD / f"{doc_id}.{part}.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module", params=DOCUMENTS, ids=lambda d: d[0])
def scored(request, nlp):
    doc_id, folder, name, *floors = request.param
    if not (folder / name).exists():
        pytest.skip(f"{folder / name} is absent (the shared corpus is not beside this checkout)")
    entry = next(e for e in read_manifest(CORPUS)[0] if e.doc_id == doc_id)
    _, clean = load_document(folder, ManifestEntry(doc_id, name))
    doc = nlp(clean.text)
    when = document_date(entry, clean)
    entities = cast_sides(doc, extract_entities(doc, doc_id))
    timexes = extract_timexes(doc, doc_id, when)
    mentions, events = extract_events(doc, clean, entities, timexes)
    gold_events = parse_gold_events(gold_rows(doc_id, "events"), doc_id, clean.text)
    event_scores = score_events(events, gold_events, pair_events(events, gold_events))
    time_scores = None
    if floors[1] is not None:
        gold_timexes = parse_gold_timexes(gold_rows(doc_id, "timexes"), doc_id, clean.text)
        time_scores = score_timexes(timexes, gold_timexes)
    return event_scores, time_scores, floors, (clean, mentions, events)


def test_event_f1_floor(scored):
    events, _, (event_floor, _, _), _ = scored
    assert events["events"]["all"]["f1"] >= event_floor, events["events"]


def test_paired_events_have_their_gold_start_date(scored):
    # issue 10's bar for every document: date_start exact on >= 85 % of paired events
    events = scored[0]
    assert events["fields"]["date_start"] >= 0.85, events["fields"]


def test_time_expression_floors(scored):
    _, timexes, (_, relaxed_floor, value_floor), _ = scored
    if relaxed_floor is None:
        pytest.skip("no time-expression gold for this document")
    assert timexes["relaxed"]["f1"] >= relaxed_floor, timexes
    assert timexes["value_accuracy"] >= value_floor, timexes


def test_mentions_and_evidence_are_clean_spans(scored):
    clean, mentions, events = scored[3]
    for mention in mentions:
        assert clean.text[mention.char_start : mention.char_end] == mention.text
        assert mention.text[0].isalnum() or mention.text[0] in '\u201c"\u2018(', mention
        assert mention.text == mention.text.strip(), mention
    for event in events:
        assert clean.text[event.char_start : event.char_end] == event.evidence
        assert event.page == clean.page_at(event.char_start)


def test_agreements_of_a_round_take_its_start_and_an_annexed_protocol_its_own_day(scored):
    # un-s-1997-56: the Tehran talks "began after a one-day delay on 6 January"; what the
    # parties agreed there starts with the round, while the protocol on refugees, whose
    # annex is headed "Protocol on refugees, signed in Tehran on 13 January 1997", takes
    # that day (gold A10, A11, A12)
    clean, _, events = scored[3]
    if clean.doc_id != "un-s-1997-56":
        pytest.skip("a sentence of un-s-1997-56")
    refugees = [(e.date_start, e.date_end) for e in events if e.title == "Protocol on refugees"]
    assert refugees == [("1997-01-13", "1997-01-13")], refugees
    substantive = [e.date_start for e in events if "three out of four" in e.title]
    assert substantive == ["1997-01-06"], substantive
