"""A long document is processed in pieces (issue 14): cut at paragraph boundaries, each
piece through spaCy and the later stages alone (one piece's Doc alive at a time), every
record's offsets into the whole cleaned text, ids unique across pieces. The bound is
lowered here (20,000 characters instead of 200,000) so that real text stays fast."""

from __future__ import annotations

import csv
import weakref

import pytest
from conftest import ARTICLE

from pipeline.cli import main
from pipeline.ingest.clean import clean_document
from pipeline.ingest.source import ingest
from pipeline.models import ManifestEntry
from pipeline.nlp import model as spacy_stage
from pipeline.process import process

BOUND = 20_000
PLACES = (
    "Tehran", "Moscow", "Geneva", "Oslo", "Vienna", "Islamabad", "Almaty", "Ashgabat", "Bishkek",
    "Kabul", "Paris", "London", "Rome", "Madrid", "Cairo", "Ankara", "Beijing", "Tokyo",
    "Berlin", "Prague", "Warsaw", "Stockholm", "Helsinki", "Lisbon",
)  # fmt: skip
MONTHS = ("January", "March", "May", "July", "September", "November")


def read(path):
    """The raw and cleaned document of a file."""
    raw = ingest(path.stem, str(path), path.read_bytes())
    return raw, clean_document(raw)


@pytest.fixture(scope="module")
def article_in_pieces(nlp):
    """The article (54,000 characters) processed with pieces of at most 20,000."""
    raw, clean = read(ARTICLE)
    entry = ManifestEntry(raw.doc_id, ARTICLE.name)
    return clean, process(entry, raw, clean, nlp, piece_chars=BOUND)


def test_the_article_is_cut_into_pieces_and_says_so(article_in_pieces):
    clean, result = article_in_pieces
    pieces = spacy_stage.split_text(clean.text, BOUND)
    assert len(pieces) == 3 and all(p.endswith("\n\n") for p in pieces[:-1])
    (note,) = [w for w in result.warnings if "pieces" in w]
    assert note.startswith(f"{len(clean.text):,} characters, more than the 20,000")
    assert "processed in 3 pieces cut at blank lines, else full stops" in note


def test_every_offset_is_one_into_the_whole_text(article_in_pieces):
    clean, result = article_in_pieces
    text = clean.text
    spans = [(r.char_start, r.char_end, r.text) for r in result.entities + result.timexes]
    spans += [(r.char_start, r.char_end, r.text) for r in result.mentions]
    spans += [(r.char_start, r.char_end, r.text) for r in result.baseline_timexes]
    events = result.events + result.baseline_events
    spans += [(e.char_start, e.char_end, e.evidence) for e in events]
    assert all(text[start:end] == said for start, end, said in spans)
    last = len(text) - len(spacy_stage.split_text(text, BOUND)[-1])
    for records in (result.entities, result.timexes, result.mentions, result.events):
        assert max(r.char_start for r in records) > last  # the last piece gave records too


def test_pages_and_sections_come_from_the_whole_document(article_in_pieces):
    clean, result = article_in_pieces
    for event in result.events + result.baseline_events:
        assert event.page == clean.page_at(event.char_start)
    for event in result.events:
        (segment,) = [s for s in clean.segments if s.char_start <= event.char_start < s.char_end]
        assert event.section == segment.section
    assert len({e.page for e in result.events}) >= 8


def test_ids_are_unique_consecutive_and_linked_across_pieces(article_in_pieces):
    _, result = article_in_pieces
    assert [t.timex_id for t in result.timexes] == [
        f"T{n:04d}" for n in range(1, len(result.timexes) + 1)
    ]
    assert [m.mention_id for m in result.mentions] == [
        f"M{n:04d}" for n in range(1, len(result.mentions) + 1)
    ]
    assert [e.event_id for e in result.events] == [
        f"E{n:03d}" for n in range(1, len(result.events) + 1)
    ]
    assert [e.event_id for e in result.baseline_events] == [
        f"B{n:04d}" for n in range(1, len(result.baseline_events) + 1)
    ]
    by_id = {m.mention_id: m for m in result.mentions}
    events = {e.event_id for e in result.events}
    assert {m.event_id for m in result.mentions} - {""} == events
    for event in result.events:
        ids = event.mention_ids.split(";")
        assert any(by_id[i].event_id == event.event_id for i in ids)


def paragraph(n: int) -> str:
    """A self-contained paragraph: one meeting, fully dated, in its own place and year
    (for n < 24: later paragraphs repeat the places, and may tell the same meeting)."""
    place, month = PLACES[n % len(PLACES)], MONTHS[n % len(MONTHS)]
    return (
        f"Round {n + 1}. On {n % 27 + 1} {month} {1950 + n} the delegations of the Government "
        f"and the opposition met in {place} for a round of talks. The mediator, Ramiro "
        f"Piriz-Ballon of the United Nations, chaired the meeting in {place}."
    )


def test_pieces_that_do_not_interact_give_the_records_of_the_whole_text(nlp):
    text = "Talks\n\n" + "\n\n".join(paragraph(n) for n in range(24)) + "\n"
    raw = ingest("rounds", "rounds.txt", text.encode("utf-8"))
    clean = clean_document(raw)
    entry = ManifestEntry("rounds", "rounds.txt")
    whole = process(entry, raw, clean, nlp)
    pieces = process(entry, raw, clean, nlp, piece_chars=1_500)
    assert len(spacy_stage.split_text(clean.text, 1_500)) >= 4
    assert len(whole.events) >= 24 and not any("pieces" in w for w in whole.warnings)
    assert any("pieces" in w for w in pieces.warnings)
    for name in ("entities", "timexes", "mentions", "events", "baseline_timexes"):
        assert getattr(pieces, name) == getattr(whole, name), name
    assert pieces.baseline_events == whole.baseline_events


def test_the_document_date_is_read_once_and_given_to_every_piece(nlp):
    """A report's masthead (in the first piece) dates it; a yearless date opening a later
    piece is placed before the report, as in the whole text, not dropped for want of a
    reference. The masthead date is the document's own date in the first piece only."""
    undated = [paragraph(n).split(". ", 2)[2] for n in range(6)]  # "The mediator, ..."
    tail = "\n\nOn 20 December the delegations met in Moscow for a round of talks.\n"
    text = "S/1997/56 21 January 1997\n\n" + "\n\n".join(undated) + tail
    raw = ingest("report", "report.txt", text.encode("utf-8"))
    clean = clean_document(raw)
    result = process(ManifestEntry("report", "report.txt"), raw, clean, nlp, piece_chars=600)
    pieces = spacy_stage.split_text(clean.text, 600)
    assert len(pieces) == 2 and pieces[1].startswith("On 20 December")
    assert result.document.doc_date == "1997-01-21" and result.document.source == "masthead"
    own = [t for t in result.timexes if t.role == "document"]
    assert [(t.char_start, t.value_start) for t in own] == [(10, "1997-01-21")]
    (december,) = [t for t in result.timexes if t.text == "20 December"]
    assert december.value_start == "1996-12-20"
    whole = process(ManifestEntry("report", "report.txt"), raw, clean, nlp)
    assert [(t.char_start, t.value_start) for t in whole.timexes] == [
        (t.char_start, t.value_start) for t in result.timexes
    ]
    assert clean.text[december.char_start : december.char_end] == "20 December"


def test_only_one_pieces_doc_is_alive_at_a_time(nlp, monkeypatch):
    text = "Talks\n\n" + "\n\n".join(paragraph(n) for n in range(12)) + "\n"
    raw = ingest("rounds", "rounds.txt", text.encode("utf-8"))
    clean = clean_document(raw)
    parsed, alive = [], []
    parse_one = spacy_stage.parse_one

    def counted(model, piece):
        alive.append(sum(ref() is not None for ref in parsed))
        doc = parse_one(model, piece)
        parsed.append(weakref.ref(doc))
        return doc

    monkeypatch.setattr(spacy_stage, "parse_one", counted)
    result = process(ManifestEntry("rounds", "rounds.txt"), raw, clean, nlp, piece_chars=1_000)
    assert len(parsed) >= 3 and alive == [0] * len(parsed)
    assert len(result.events) >= 12


def rows(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_a_long_line_without_blank_lines_goes_through_run(tmp_path, capsys, monkeypatch):
    """A text of one line (issue 14's "5 MB line", here 30 times the bound) is cut at full
    stops and processed; the run says so and exits 0, the other document is processed."""
    monkeypatch.setattr(spacy_stage, "PIECE_CHARS", 1_000)
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    corpus.mkdir()
    line = " ".join(paragraph(n) for n in range(160))
    (corpus / "line.txt").write_text(line + "\n", encoding="utf-8")
    (corpus / "good.txt").write_text("Talks\n\n" + paragraph(3) + "\n", encoding="utf-8")
    assert main(["run", "--corpus", str(corpus), "--out", str(out), "--gold", "none"]) == 0
    err = capsys.readouterr().err
    assert f"line.txt: {len(line) + 1:,} characters, more than the 1,000 processed" in err
    text = (out / "text" / "line.txt").read_text(encoding="utf-8")
    assert "\n\n" not in text and len(text) > 30 * 1_000
    for table in ("entities.csv", "timexes.csv", "mentions.csv"):
        found = [r for r in rows(out / table) if r["doc_id"] == "line"]
        assert found and all(
            text[int(r["char_start"]) : int(r["char_end"])] == r["text"] for r in found
        )
    events = [r for r in rows(out / "events.csv") if r["doc_id"] == "line"]
    assert len(events) >= 160 and len({e["event_id"] for e in events}) == len(events)
    assert {r["doc_id"] for r in rows(out / "events.csv")} == {"line", "good"}
    again = tmp_path / "again"
    assert main(["run", "--corpus", str(corpus), "--out", str(again), "--no-cache"]) == 0
    for table in ("events.csv", "mentions.csv", "timexes.csv", "entities.csv"):
        assert (again / table).read_bytes() == (out / table).read_bytes()  # deterministic
