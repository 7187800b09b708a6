"""Mention rules, word classes and modality cues: every example matches, on real sentences too."""

from __future__ import annotations

import re

import pytest

from pipeline.events.cues import load_cues
from pipeline.events.extract import extract_events
from pipeline.events.mentions import find_mentions, load_rules
from pipeline.models import CleanDocument, Segment
from pipeline.nlp.entities import extract_entities, resolve_place
from pipeline.nlp.sides import cast_sides
from pipeline.nlp.timexes import extract_timexes
from pipeline.rules import load_jsonl

RULES = load_rules()
CUES = load_cues()
LEXICON = load_jsonl("event_lexicon.jsonl")
DEFAULTS = ("held", "agreed")


def snippet(text: str) -> CleanDocument:
    """A one-paragraph cleaned document of `text`."""
    segment = Segment("snippet", 1, "paragraph", "", 1, 0, len(text))
    return CleanDocument("snippet", text, (segment,), ((0, 1),))


def read(nlp, text: str):
    """The mentions and events the pipeline finds in `text`."""
    doc = nlp(text)
    entities = cast_sides(doc, extract_entities(doc, "snippet"))
    timexes = extract_timexes(doc, "snippet")
    return extract_events(doc, snippet(text), entities, timexes)


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_matches_its_example_and_not_its_counter(nlp, rule):
    doc = nlp(rule.example)
    assert rule.id in {f.rule.id for f in find_mentions(doc)}, rule.example
    if rule.counter:
        doc = nlp(rule.counter)
        assert rule.id not in {f.rule.id for f in find_mentions(doc)}, rule.counter


@pytest.mark.parametrize("row", LEXICON, ids=[r["id"] for r in LEXICON])
def test_word_class_example_contains_a_form(nlp, row):
    doc = nlp(row["example"])
    lowered = f" {' '.join(t.lower_ for t in doc)} "
    found = {t.lower_ for t in doc} | {t.lemma_.lower() for t in doc}
    assert any(f in found or f" {f} " in lowered for f in row["forms"]), row["example"]


def _effect(mention) -> str:
    """A mention's status, "dropped" for one that tells no event."""
    return "dropped" if mention.status in ("", "reference") else mention.status


@pytest.mark.parametrize("cue", CUES, ids=[c.id for c in CUES])
def test_cue_gives_its_status_in_its_example_only(nlp, cue):
    mentions, _ = read(nlp, cue.example)
    assert [m for m in mentions if _given(cue, m)], [(m.text, m.status) for m in mentions]
    if cue.counter:
        mentions, _ = read(nlp, cue.counter)
        assert not [m for m in mentions if _given(cue, m)], cue.counter


def _given(cue, mention) -> bool:
    """Whether `mention` has the status the cue gives its type (a cue that leaves a type
    at its default, held or agreed, is not about that type)."""
    wanted = cue.meeting if mention.event_type == "meeting" else cue.agreement
    effects = (("meeting", cue.meeting), ("agreement", cue.agreement))
    about = {kind for kind, status in effects if status not in DEFAULTS}
    return _effect(mention) == wanted and mention.event_type in (about or {"meeting", "agreement"})


def test_rules_name_no_date_place_or_event_of_a_document():
    """Patterns and word classes are about the language, not about one document."""
    texts = [str(r.pattern) for r in RULES] + [" ".join(c.forms) for c in CUES]
    texts += [" ".join(row["forms"]) for row in LEXICON]
    for text in texts:
        assert not re.search(r"\b1[89]\d\d\b|\b20\d\d\b", text), text
        for word in re.findall(r"[A-Z][a-z]{3,}", text):
            assert resolve_place(word) is None, word


NO_AGREEMENT = [
    # a rejected proposal
    "The opposition presented a proposal to set up a State Soviet or Council of National "
    "Agreement, a transitional body that would consist of the representatives of the "
    "conflicting parties on a fifty-fifty basis. The government flatly rejected the proposal "
    "because it was not interested in any sort of power-sharing at this stage.",
    # an act on no agreement
    "The negotiation process was broken off in 1993 after no agreement was reached.",
]


@pytest.mark.parametrize("text", NO_AGREEMENT)
def test_no_agreement_in(nlp, text):
    _, events = read(nlp, text)
    assert not [e for e in events if e.event_type == "agreement"]


def test_failing_to_seal_an_agreement_is_none(nlp):
    text = (
        "Amid deepening tensions, the Tajik parties met in Tehran on 18 June for the second round "
        "of negotiations. They focused on reaching an agreement on a ceasefire, and although they "
        "were eventually able to agree on the temporary nature of the ceasefire, as well as on "
        "what kind of hostile activities were to be prohibited, they failed to seal the agreement "
        "due to the difference over the timing of its effectuation (Panfilov 1994)."
    )
    _, events = read(nlp, text)
    assert [e.event_type for e in events] == ["meeting"]


def test_coming_close_to_agreement_is_none(nlp):
    text = (
        "Also at the second Ashgabat talks, the two sides came close to reaching agreement on the "
        "consultative forum of the peoples of Tajikistan, but differences over when it should "
        "convene prevented any actual agreement."
    )
    mentions, events = read(nlp, text)
    assert [m for m in mentions if m.event_type == "agreement"]
    assert not [e for e in events if e.event_type == "agreement"]


def test_a_summit_prevented_from_taking_place_is_cancelled(nlp):
    text = (
        "The Tajik parties demonstrated their renewed commitment to accommodation at a "
        "preparatory working meeting of experts in Tehran on 9–17 October 1996, where they tried "
        "to prepare a draft agreement for signature by Rakhmonov and Nuri at their Moscow "
        "meeting scheduled for mid-October. Unfortunately, the parties failed to complete the "
        "draft agreement due to their differences over the exact nature of CNR, which prevented "
        "the Rakhmonov-Nuri summit from taking place as scheduled (UNSG 1996c)."
    )
    _, events = read(nlp, text)
    by_status = {e.status: e for e in events}
    assert (by_status["held"].location, by_status["held"].date_start) == ("Tehran", "1996-10-09")
    cancelled = by_status["cancelled"]
    assert (cancelled.location, cancelled.date_start, cancelled.date_mod) == (
        "Moscow",
        "1996-10",
        "MID",
    )
    assert {e.status for e in events} == {"held", "cancelled"}  # no agreement


def test_initialling_a_draft_agreement_is_initialled(nlp):
    text = (
        "At their meeting on 10–11 December 1996 in Khusdeh, northern Afghanistan, the two "
        "leaders initialed the text of a draft agreement that their delegates had left "
        "unfinished in Tehran two months earlier, while pledging to halt ongoing fighting."
    )
    _, events = read(nlp, text)
    statuses = sorted((e.event_type, e.subtype, e.status) for e in events)
    assert statuses == [
        ("agreement", "ceasefire", "agreed"),
        ("agreement", "protocol", "initialled"),
        ("meeting", "summit", "held"),
    ]
    assert {e.date_start for e in events} == {"1996-12-10"}


def test_a_single_side_agreeing_is_no_agreement(nlp):
    _, events = read(nlp, "In May 1997 the Tajik government finally agreed to accord powers.")
    assert not events


def test_planned_rounds_are_not_held(nlp):
    mentions, _ = read(nlp, "The parties agreed to hold the next round in Moscow in May 1995.")
    rounds = [m for m in mentions if m.event_type == "meeting"]
    assert rounds and {m.status for m in rounds} == {"planned"}


def test_named_meetings_are_events(nlp):
    text = "The Camp David Summit, held from 5 to 17 September 1978, produced two frameworks."
    _, events = read(nlp, text)
    assert [(e.event_type, e.date_start, e.location) for e in events][:1] == [
        ("meeting", "1978-09-05", "Camp David")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "In 1982, the movement held its Seventh Guerrilla Conference in the mountains.",
        "In May 1994, observers from the Organization of the Islamic Conference arrived in Kabul.",
        # wikipedia-farc, un-s-1995-1024-ocr: a briefing of the press
        "On 18 October 2012 the delegations gave a joint-press conference in Oslo.",
        "On 21 November 1995 the delegation held the first press conference in Dushanbe.",
    ],
)
def test_a_gathering_that_is_not_a_meeting_of_sides_is_none(nlp, text):
    _, events = read(nlp, text)
    assert not [e for e in events if e.event_type == "meeting"]


def test_a_masthead_date_dates_no_event(nlp):
    from pipeline.models import DocumentDate

    text = (
        "S/1995/1024 8 December 1995\n\nThe two sides signed a protocol on the principles. "
        "The talks opened in Ashgabat on 30 November."
    )
    doc = nlp(text)
    when = DocumentDate("snippet", "", "1995-12-08", "masthead", 12, 27)
    timexes = extract_timexes(doc, "snippet", when)
    _, events = extract_events(doc, snippet(text), extract_entities(doc, "snippet"), timexes)
    assert [t.role for t in timexes] == ["document", "narrative"]
    assert [e.date_start for e in events] == ["1995-11-30"]  # nothing takes the masthead's date


AGREEMENT_COUNTS = [
    # documents coordinated in one agreement's phrase are separate events (guidelines §1)
    (
        "On 21 February 1997 the two leaders reached agreement on the Charter of the "
        "Commission and on an additional protocol concerning senior government posts.",
        2,
    ),
    # a name in apposition to a document is the same document
    (
        "The secret negotiations produced the Israeli-Palestinian Declaration of Principles "
        "(the so-called \u201cOslo Accord\u201d) of September 1993.",
        1,
    ),
]


@pytest.mark.parametrize(("text", "count"), AGREEMENT_COUNTS)
def test_agreements_in_one_sentence(nlp, text, count):
    _, events = read(nlp, text)
    assert len([e for e in events if e.event_type == "agreement"]) == count


MEETING_STATUSES = [
    # a meeting at which a document is "to be signed" lies ahead
    (
        "On 11 December the two leaders initialled the text of a draft agreement to be "
        "signed at the formal meeting in Moscow.",
        "planned",
    ),
    # the setting of an act still to come was held
    (
        "The parties needed to find ways to restore an effective ceasefire in the third "
        "phase of the Ashgabat talks in July 1996.",
        "held",
    ),
]


@pytest.mark.parametrize(("text", "expected"), MEETING_STATUSES)
def test_meeting_status_in_a_setting(nlp, text, expected):
    mentions, _ = read(nlp, text)
    assert [m.status for m in mentions if m.event_type == "meeting"] == [expected]


def test_a_document_only_discussed_is_not_signed(nlp):
    text = (
        "On 13 January 1997 the parties signed a protocol on refugees and discussed in detail "
        "a protocol on political problems."
    )
    _, events = read(nlp, text)
    signed = [e for e in events if e.event_type == "agreement" and e.status == "signed"]
    assert [e.title for e in signed] == ["Protocol on refugees"]


def test_coming_to_an_agreement_is_an_agreement(nlp):
    # wikipedia-farc: "come to an agreement" is the light-verb form of "reach an agreement"
    text = (
        "On 6 November 2013 the Colombian government and FARC announced that they had come "
        "to an agreement regarding the participation of political opposition and would begin "
        "discussing their next issue, the illicit drug trade."
    )
    _, events = read(nlp, text)
    assert [(e.event_type, e.status, e.date_start) for e in events] == [
        ("agreement", "agreed", "2013-11-06")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # un-s-1995-1024-ocr: a finite past "arranged a meeting between" tells a meeting held
        (
            "On 17 September, UNMOT arranged a meeting between members of the Joint "
            "Commission and the opposition's field commander for the area.",
            "held",
        ),
        # tajik-negotiations: arranging still to be done is planned
        (
            "Nonetheless, the sides agreed to try and arrange a meeting between Rakhmonov "
            "and Nuri in Moscow.",
            "planned",
        ),
    ],
)
def test_an_arranged_meeting_is_held_only_in_the_past(nlp, text, expected):
    mentions, _ = read(nlp, text)
    assert [m.status for m in mentions if m.event_type == "meeting"] == [expected]


def test_a_party_agreeing_with_its_mediator_is_no_unilateral_act(nlp):
    # camp-david: the mediator and one party agree on the text the other party then accepts
    text = (
        "Carter mediated between Egypt and Israel. After three days of intensive talks with the "
        "Israelis, the U.S. and Israeli delegations agreed to a treaty text on March 13, 1979."
    )
    _, events = read(nlp, text)
    deals = [(e.status, e.date_start) for e in events if e.event_type == "agreement"]
    assert deals == [("agreed", "1979-03-13")]
