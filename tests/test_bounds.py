"""Bounded cost and fuzzed input (issue 14): growing run-on sentences cost the same work
per word, a long text is parsed in pieces with its offsets, and the cleaner, the date
logic and the manifest reader never fail on arbitrary input."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.events import mention_dates, reading
from pipeline.events.extract import extract_events
from pipeline.ingest.clean import clean_document
from pipeline.ingest.source import ingest
from pipeline.models import InputError, Line, RawDocument
from pipeline.nlp.dates import NARRATIVE_YEARS, Ref, normalise
from pipeline.nlp.entities import extract_entities
from pipeline.nlp.model import MAX_SENTENCE, parse, split_text
from pipeline.nlp.timexes import extract_timexes, resolve
from pipeline.storage import read_manifest

MONTHS = ("January", "March", "May", "July", "September", "November")
PLACES = ("Tehran", "Moscow", "Geneva", "Oslo", "Vienna", "Islamabad", "Almaty")
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def clause(i: int) -> str:
    """One clause of a run-on sentence: a meeting and an agreement, each dated and placed."""
    return (
        f"the delegations met in {PLACES[i % 7]} on {i % 27 + 1} {MONTHS[i % 6]} {1950 + i % 50} "
        f"and signed an agreement to hold the next round in {PLACES[(i + 3) % 7]} on "
        f"{(i * 7) % 27 + 1} {MONTHS[(i + 2) % 6]} {1951 + i % 50}, while "
    )


def test_work_per_word_stays_flat_on_growing_run_on_sentences(nlp, monkeypatch):
    """Counted work (tokens scanned for actors, dates tested for agreed content) per word
    of a paragraph without a full stop stays flat as the paragraph grows 4-fold (before
    the bound it grew with the sentence: 160, 418, 871 per word)."""
    work = []
    actors, agreed = reading.actors, mention_dates.agreed_content

    def counted_actors(ctx, tokens):
        tokens = list(tokens)
        work.append(len(tokens))
        return actors(ctx, tokens)

    def counted_agreed(span, trigger):
        work.append(1)
        return agreed(span, trigger)

    monkeypatch.setattr(reading, "actors", counted_actors)
    monkeypatch.setattr(mention_dates, "agreed_content", counted_agreed)
    per_word = []
    for n in (10, 20, 40):
        text = "Talks\n\nThen " + "".join(clause(i) for i in range(n)) + "the talks ended.\n"
        clean = clean_document(ingest("x", "x.txt", text.encode()))
        doc = nlp(clean.text)
        assert max(len(s) for s in doc.sents) <= MAX_SENTENCE + 1
        work.clear()
        entities, timexes = extract_entities(doc, "x"), extract_timexes(doc, "x")
        _, events = extract_events(doc, clean, entities, timexes)
        assert len(events) >= 2 * n  # the meetings and agreements are all found
        per_word.append(sum(work) / len(clean.text.split()))
    assert per_word[-1] <= 1.3 * per_word[0], per_word


def test_a_long_text_is_parsed_in_pieces_with_its_offsets(nlp):
    paragraph = (
        "The delegations of the Government of Tajikistan and the opposition met in Tehran "
        "on 12 September 1994 and agreed on a temporary ceasefire."
    )
    text = "\n\n".join(f"{paragraph} Round {n} ended." for n in range(40)) + "\n"
    pieces = split_text(text, 1000)
    assert "".join(pieces) == text and len(pieces) > 5
    assert all(len(p) <= 1000 and p.endswith("\n\n") for p in pieces[:-1])
    (doc,) = parse(nlp, [text], limit=1000)
    whole = nlp(text)
    assert doc.text == text
    assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == [
        (e.start_char, e.end_char, e.label_) for e in whole.ents
    ]
    assert all(text[e.start_char : e.end_char] == e.text for e in doc.ents)


def test_a_line_longer_than_the_limit_is_cut_at_a_full_stop_or_space():
    text = "The parties met in Geneva. " * 100
    pieces = split_text(text, 500)
    assert "".join(pieces) == text
    assert all(p.endswith(". ") for p in pieces[:-1])
    assert split_text("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]


@pytest.mark.parametrize(
    "surface",
    ["2000 years earlier", "9000 years later", "1500 years earlier", "3000000 days later"],
)
def test_dates_outside_the_narrative_years_are_dropped(surface):
    assert resolve(surface, Ref("1994-05-04", "1994-05-04")) is None


@FUZZ
@given(
    count=st.integers(min_value=0, max_value=10**7),
    unit=st.sampled_from(["days", "weeks", "months", "years", "decades"]),
    direction=st.sampled_from(["later", "earlier", "after", "before"]),
    year=st.integers(min_value=1000, max_value=2999),
    month=st.integers(min_value=1, max_value=12),
    day=st.integers(min_value=1, max_value=28),
)
def test_relative_dates_stay_in_range(count, unit, direction, year, month, day):
    ref = f"{year:04d}-{month:02d}-{day:02d}"
    value = resolve(f"{count} {unit} {direction}", Ref(ref, ref))
    if value is not None and value.start:
        low, high = NARRATIVE_YEARS
        assert low <= int(value.start[:4]) <= high and low <= int(value.end[:4]) <= high
        assert value.start[: len(value.end)] <= value.end or len(value.start) != len(value.end)


@FUZZ
@given(st.text(max_size=60), st.sampled_from(["", "1994", "1994-05", "1994-05-04"]))
def test_any_surface_normalises_without_error(surface, ref):
    value = normalise(surface, Ref(ref, ref))
    if value is not None and value.start and value.end and len(value.start) == len(value.end):
        assert value.start <= value.end


LINES = st.lists(
    st.one_of(
        st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80),
        st.sampled_from(["", "- 0 -", "- 8 -", "Page 3 of 9", "1", "a)", "   Indented.", "___"]),
    ),
    max_size=40,
)


@FUZZ
@given(LINES)
def test_the_cleaner_keeps_offsets_inside_the_text(lines):
    raw = RawDocument("x", "x.txt", "txt", tuple(Line(t, None, n) for n, t in enumerate(lines)), 0)
    try:
        clean = clean_document(raw)
    except InputError as err:  # nothing left: the one-line refusal, no other exception
        assert "\n" not in str(err)
        return
    for segment in clean.segments:
        assert 0 <= segment.char_start <= segment.char_end <= len(clean.text)
        assert segment.page >= 1
    assert all(0 <= start <= len(clean.text) and page >= 1 for start, page in clean.page_starts)


@FUZZ
@given(st.binary(max_size=300) | st.text(max_size=300).map(lambda t: t.encode("utf-8")))
def test_the_manifest_reader_takes_any_bytes(tmp_path_factory, data):
    corpus = tmp_path_factory.mktemp("fuzz")
    (corpus / "manifest.csv").write_bytes(b"doc_id,file\n" + data)
    try:
        entries, _ = read_manifest(corpus)
    except InputError as err:
        assert "\n" not in str(err) and str(err).startswith(str(corpus / "manifest.csv"))
        return
    for entry in entries:
        assert "/" not in entry.doc_id and not entry.doc_id.startswith(".")
