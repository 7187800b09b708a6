"""Events of whole documents: slots, merging, offsets, and the same rules on other documents."""

from __future__ import annotations

import pytest
from conftest import CORPUS, SHARED, shared_file

from pipeline.ingest.clean import clean_document
from pipeline.ingest.source import ingest
from pipeline.models import ManifestEntry
from pipeline.process import load_document
from pipeline.process import process as process_document


def process(nlp, clean):
    """Run the spaCy stage and the event stage over one cleaned document."""
    from pipeline.events.extract import extract_events
    from pipeline.nlp.entities import extract_entities
    from pipeline.nlp.sides import cast_sides
    from pipeline.nlp.timexes import extract_timexes

    doc = nlp(clean.text)
    entities = cast_sides(doc, extract_entities(doc, clean.doc_id))
    return clean, extract_events(doc, clean, entities, extract_timexes(doc, clean.doc_id))


@pytest.fixture(scope="module")
def article_events(nlp, article):
    """(cleaned article, (mentions, events))."""
    return process(nlp, article)


@pytest.fixture(scope="module")
def shared_events(nlp):
    """doc_id -> (cleaned text, events) for the Oslo essay and the UN report."""
    files = {"oslo-accords": "oslo-accords.txt", "un-s-1995-105": "un-s-1995-105.pdf"}
    for name in files.values():
        shared_file(name)
    found = {}
    for doc_id, name in files.items():
        clean = load_document(SHARED, ManifestEntry(doc_id, name))[1]
        found[doc_id] = (clean, process(nlp, clean)[1][1])
    return found


def one(events, **fields):
    """The single event whose fields have the given values."""
    found = [e for e in events if all(getattr(e, k) == v for k, v in fields.items())]
    assert len(found) == 1, (fields, [(e.title, e.date_start, e.status) for e in found])
    return found[0]


def test_a_round_takes_its_dates_as_a_range(article_events):
    _, (_, events) = article_events
    third = one(events, event_type="meeting", round="3")
    assert (third.date_start, third.date_end, third.location, third.country) == (
        "1994-10-20",
        "1994-11-01",
        "Islamabad",
        "Pakistan",
    )
    assert third.date_text == "from 20 October to 1 November"


def test_a_described_place_resolves_through_the_gazetteer(article_events):
    _, (_, events) = article_events
    first_phase = one(events, event_type="meeting", date_start="1995-11")
    assert (first_phase.location, first_phase.country) == ("Ashgabat", "Turkmenistan")
    assert (first_phase.round, first_phase.date_mod, first_phase.date_end) == (
        "5",
        "END",
        "1995-12-22",
    )


def test_each_phase_of_a_continuous_round_is_an_event(article_events):
    _, (_, events) = article_events
    phases = [e for e in events if e.round == "5"]
    assert [e.date_start for e in phases] == ["1995-11", "1996-01-26", "1996-07"]
    assert {e.location for e in phases} == {"Ashgabat"}


def test_an_agreement_on_the_last_day_takes_that_day(article_events):
    _, (_, events) = article_events
    ceasefire = one(events, event_type="agreement", subtype="ceasefire", location="Tehran")
    assert (ceasefire.date_start, ceasefire.date_end) == ("1994-09-17", "1994-09-17")
    assert "On the last day of the meeting" in ceasefire.evidence
    meeting = one(events, event_type="meeting", date_start="1994-09-12")
    assert meeting.date_end == "1994-09-17"


def test_an_agreement_reached_at_a_meeting_takes_its_dates(article_events):
    _, (_, events) = article_events
    release = one(events, event_type="agreement", subtype="other", date_start="1994-09-12")
    assert (release.date_end, release.location) == ("1994-09-17", "Tehran")


def test_mentions_of_one_round_make_one_event(article_events):
    _, (mentions, events) = article_events
    moscow = one(events, event_type="meeting", round="1")
    texts = [m.text for m in mentions if m.event_id == moscow.event_id]
    assert texts.count("the Moscow round") == 2
    assert "formal negotiations" in texts and "the very first round" in texts
    assert (moscow.date_start, moscow.location, moscow.status) == ("1994-04-05", "Moscow", "held")


def test_a_document_initialled_then_signed_is_two_events(article_events):
    _, (_, events) = article_events
    named = [e for e in events if e.title == "Khusdeh agreement"]
    assert [(e.status, e.date_start) for e in named] == [
        ("initialled", "1996-12-10"),
        ("signed", "1996-12-23"),
    ]
    assert named[1].location == "Moscow"


def test_agreements_keep_the_names_the_text_gives_them(article_events):
    _, (_, events) = article_events
    titles = {e.title for e in events if e.event_type == "agreement"}
    assert "Protocol on Military Issues" in titles
    assert (
        "General Agreement on the Establishment of Peace and National Accord in Tajikistan"
        in titles
    )


def test_offsets_give_the_evidence_and_the_mentions(article_events):
    clean, (mentions, events) = article_events
    for event in events:
        assert clean.text[event.char_start : event.char_end] == event.evidence
        assert event.page == clean.page_at(event.char_start)
    for mention in mentions:
        assert clean.text[mention.char_start : mention.char_end] == mention.text


def test_every_mention_id_is_on_its_event(article_events):
    _, (mentions, events) = article_events
    by_event = {e.event_id: set(e.mention_ids.split(";")) for e in events}
    for mention in mentions:
        if mention.event_id:
            assert mention.mention_id in by_event[mention.event_id]
    assert [e.event_id for e in events] == [f"E{n:03d}" for n in range(1, len(events) + 1)]
    assert [e.char_start for e in events] != []


def test_oslo_declaration_of_principles(shared_events):
    clean, events = shared_events["oslo-accords"]
    dop = one(events, event_type="agreement", date_start="1993-09-13")
    assert dop.title.startswith("Declaration of Principles")
    assert (dop.status, dop.location, dop.country) == ("signed", "Washington", "United States")
    assert clean.text[dop.char_start : dop.char_end] == dop.evidence


def test_oslo_meetings_are_dated_and_placed(shared_events):
    _, events = shared_events["oslo-accords"]
    camp_david = one(events, event_type="meeting", location="Camp David")
    assert (camp_david.date_start, camp_david.subtype) == ("2000-07", "summit")
    assert one(events, event_type="agreement", title="Hebron Protocol").date_start == "1997-01"


def test_un_report_ceasefire_agreement(shared_events):
    clean, events = shared_events["un-s-1995-105"]
    ceasefire = one(events, event_type="agreement", date_start="1994-09-17")
    assert ceasefire.title.startswith("Agreement on a Temporary Cease-Fire")
    assert (ceasefire.subtype, ceasefire.status, ceasefire.location) == (
        "ceasefire",
        "signed",
        "Tehran",
    )
    assert clean.text[ceasefire.char_start : ceasefire.char_end] == ceasefire.evidence


def test_un_report_rounds_and_consultations(shared_events):
    _, events = shared_events["un-s-1995-105"]
    third = one(events, event_type="meeting", round="3")
    assert (third.date_start, third.date_mod, third.location) == ("1994-10", "END", "Islamabad")
    fourth = one(events, event_type="meeting", round="4")
    assert fourth.status == "planned"  # blocked, never held in the report
    tehran = one(events, event_type="meeting", location="Tehran")
    assert (tehran.date_start, tehran.date_end, tehran.subtype) == (
        "1995-01-12",
        "1995-01-15",
        "mediation",
    )


def test_processing_a_document_adds_mentions_and_events(nlp):
    """process() runs the event stage on the Doc it builds (one per document)."""
    entry = ManifestEntry("tajik-negotiations", "tajik-negotiations.txt")
    annotated = process_document(entry, *load_document(CORPUS, entry), nlp)
    assert annotated.events and annotated.mentions
    assert {e.doc_id for e in annotated.events} == {"tajik-negotiations"}


def test_two_dates_as_near_to_a_mention_do_not_stop_its_reading(nlp):
    # from a UN report (S/2009/504): "5 May" and "1999" stand as near to "Agreement"
    text = (
        "UNMIT also provided support for public information campaigns relating to important "
        "events such as the anniversary of the 5 May Agreement of 1999, the tenth anniversary "
        "of the popular consultation and the upcoming village elections.\n"
    )
    clean = clean_document(ingest("unmit", "unmit.txt", text.encode("utf-8")))
    mentions, _ = process(nlp, clean)[1]
    assert [m.text for m in mentions if "Agreement" in m.text]
