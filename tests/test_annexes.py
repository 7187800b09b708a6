"""Annexes that reproduce a document told in the body, and drafts (issue 10, item 3)."""

from __future__ import annotations

import pytest
from conftest import SHARED, shared_file
from test_events import process
from test_mentions import read

from pipeline.models import ManifestEntry
from pipeline.process import load_document


@pytest.fixture(scope="module")
def report(nlp):
    """(mentions, events) of the UN report whose annexes reproduce its agreements."""
    shared_file("un-s-1997-56.pdf")
    clean = load_document(SHARED, ManifestEntry("un-s-1997-56", "un-s-1997-56.pdf"))[1]
    return clean, process(nlp, clean)[1]


def test_an_annex_reproducing_a_protocol_dates_the_body_mention(report):
    # body: "The parties also signed a protocol on refugees (annex III)"; annex III's
    # title: "Protocol on refugees, signed in Tehran on 13 January 1997"
    clean, (mentions, events) = report
    refugees = [e for e in events if "refugees" in e.evidence and e.status == "signed"]
    assert [(e.date_start, e.location) for e in refugees] == [("1997-01-13", "Tehran")]
    title = clean.text.index("Protocol on refugees, signed in Tehran")
    in_title = [m for m in mentions if title <= m.char_start < title + 60]
    assert in_title and all(m.status == "reference" for m in in_title)  # no second row


def test_an_annex_title_that_is_a_line_of_its_own_past_the_language_note_dates_it(report):
    # annex II: "[Original: Russian]", then a title too long for a heading: "Protocol on
    # settlement of the military and political situation in the areas of confrontation,
    # signed in northern Afghanistan on 11 December 1996"; the body cites "(annex II)"
    clean, (mentions, events) = report
    ceasefires = [e for e in events if e.subtype == "ceasefire" and e.status == "signed"]
    assert [(e.date_start, e.location) for e in ceasefires] == [("1996-12-11", "Khusdeh")]
    title = clean.text.index("Protocol on settlement of the military")
    in_title = [m for m in mentions if title <= m.char_start < title + 160]
    assert in_title and all(m.status == "reference" for m in in_title)  # no second row


def test_a_draft_is_no_agreement_reached(nlp):
    # un-s-1997-56: "they reviewed a draft protocol ..."; camp-david: "... produced a draft
    # treaty text"
    for text in (
        "In this context, they reviewed a draft protocol on political problems.",
        "Middle East experts produced a draft treaty text, which served as the basis for "
        "the negotiations.",
    ):
        mentions, events = read(nlp, text)
        drafts = [m for m in mentions if "draft" in m.text]
        assert drafts and all(m.status == "reference" for m in drafts), text
        assert not [e for e in events if e.event_type == "agreement"], text


def test_a_draft_signed_is_no_signing_but_initialling_one_is_an_event(nlp):
    _, events = read(nlp, "On 12 May 1995 the parties signed the draft declaration.")
    assert not [e for e in events if e.status == "signed"]
    _, events = read(
        nlp,
        "On 11 December 1996, President Rakhmonov and Mr. Nuri initialled the text of a draft "
        "agreement to be signed at the formal meeting in Moscow.",
    )
    assert [e.status for e in events if e.event_type == "agreement"] == ["initialled"]
