"""Tokenizer infixes (resources/tokenizer.jsonl): every example gives its tokens, and an
encyclopaedia's reference mark ends the sentence its stop ends."""

from __future__ import annotations

import pytest
from test_mentions import read

from pipeline.rules import load_jsonl

INFIXES = load_jsonl("tokenizer.jsonl")


@pytest.mark.parametrize("row", INFIXES, ids=[r["id"] for r in INFIXES])
def test_infix_example_gives_its_tokens(nlp, row):
    assert [t.text for t in nlp.tokenizer(row["example"])] == list(row["tokens"])


def test_numbers_and_abbreviations_keep_their_tokens(nlp):
    assert [t.text for t in nlp.tokenizer("U.S. troops, 5.5 km, (see [4])")] == [
        "U.S.", "troops", ",", "5.5", "km", ",", "(", "see", "[", "4", "]", ")",
    ]  # fmt: skip


def test_a_reference_mark_after_a_stop_ends_the_sentence(nlp):
    # wikipedia-farc: the announcement of the peace deal follows a reference mark
    text = (
        "This accord was seen as a historic step to ending the war that has gone on for fifty "
        "years.[30] On 25 August 2016, the Colombian president, Juan Manuel Santos, announced "
        "that four years of negotiation had secured a peace deal with FARC."
    )
    assert len(list(nlp(text).sents)) == 2
    _, events = read(nlp, text)
    deals = [(e.title, e.date_start) for e in events if e.event_type == "agreement"]
    assert deals == [("Peace deal", "2016-08-25")]
