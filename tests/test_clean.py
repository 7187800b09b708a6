"""Cleaning the PDF-to-text article: paragraphs, headings, footnotes, typography, pages."""

from __future__ import annotations

import re

import pytest
from conftest import ARTICLE

from pipeline.ingest.clean import (
    Piece,
    clean_document,
    is_,
    join_pieces,
    page_of,
    repair_typography,
)
from pipeline.models import Line, RawDocument
from pipeline.rules import load_jsonl

# Read off the article by hand: its section headings, in order.
HEADINGS = [
    "Abstract",
    "Introduction",
    "The Civil War in Tajikistan",
    "Lead-up to Negotiations: The Diagnostic Phase",
    "The Launch of Negotiations: The First Formula Phase",
    "Stalemated Negotiations: The Second Formula Phase",
    "Spurred Negotiations: The Third Formula Phase",
    "Path toward Final Agreement: The Detail Phase",
    "Conclusions: Explaining Process and Outcome",
]


def segment_texts(doc, kind):
    return [doc.text[s.char_start : s.char_end] for s in doc.segments if s.kind == kind]


def test_every_segment_is_its_span(article):
    for seg in article.segments:
        span = article.text[seg.char_start : seg.char_end]
        assert span and span == span.strip() and "\n" not in span
    starts = [s.char_start for s in article.segments]
    assert starts == sorted(starts)


def test_headings_are_the_sections(article):
    assert segment_texts(article, "heading") == HEADINGS
    sections = {s.section for s in article.segments if s.kind == "paragraph"}
    assert sections == set(HEADINGS)


def test_footnotes_leave_the_body(article):
    notes = segment_texts(article, "footnote")
    assert [n.split()[0] for n in notes] == ["1", "2", "3"]
    assert notes[1].startswith("2 Precisely speaking, some of them joined the observer group")
    assert notes[1].endswith("(Goryayev 2001: 34-35).")
    body = " ".join(segment_texts(article, "paragraph"))
    assert "Precisely speaking" not in body and "Earlier articles by the author" not in body


@pytest.mark.parametrize(
    "joined",
    [
        # across footnote 1, which fell between two lines of one sentence
        "the republic happened to contain many ethnic minorities inside of the border",
        # across footnote 2 and the superscript reference "2"
        "hosting successive rounds of talks. The presence of these third parties",
        "the structure of government in Tajikistan (UNSG 1994b). Although",
        # across the page-number line "- 8 -"
        "an agreement to hold the first meeting between Rakhmonov and Nuri prior to",
        # superscript ordinal split over three lines
        "in the form of the 201st Motorized Rifle Division and Border Troops",
        # line-end hyphens of real compounds are kept
        "with Piriz-Ballon acting as the chief international mediator",
        "on the central issue of power-sharing, the Tajik president",
        # em dash at a line end joins without a space
        "among regions\u2014made possible a settlement",
    ],
)
def test_sentences_are_joined(article, joined):
    assert joined in article.text


def test_typography_is_repaired(article):
    assert not re.search("[\u2015\u2016\u2017]|\\w\u2018\\w", article.text)
    assert "Tajikistan\u2019s structural" in article.text
    assert "Such a \u201cvalid spokesperson\u201d for the opposition" in article.text
    assert "the internal \u2018hurting stalemate,\u2019 produced" in article.text
    assert "- 8 -" not in article.text and "  " not in article.text


@pytest.mark.parametrize(
    ("before", "after", "page_before", "page_after"),
    [
        ("to hold the first meeting", "between Rakhmonov and Nuri prior", 8, 9),
        ("Nuri themselves intervened to take a major step", "forward in the negotiation", 12, 13),
        ("drawn 40 percent each from", "the negotiating parties and the remaining", 14, 15),
    ],
)
def test_pages_turn_at_page_numbers(article, before, after, page_before, page_after):
    text = article.text
    assert article.page_at(text.index(before)) == page_before
    assert article.page_at(text.index(after)) == page_after


def test_paragraph_starts(article):
    starts = segment_texts(article, "paragraph")
    for opening in [
        "After providing some brief background in",
        "Meanwhile, a process of various oppositi",
        "The softening of the government\u2019s posi",
        "On 27 June in Moscow, Rakhmonov and Nuri",
    ]:
        assert any(s.startswith(opening) for s in starts), opening
    # a sentence that merely follows a full-width line stays in its paragraph
    assert not any(s.startswith("Both sides were indeed represented") for s in starts)


def test_no_word_is_lost(article):
    raw = ARTICLE.read_text(encoding="utf-8")
    words = re.findall(r"[^\W\d_]{4,}", raw)
    cleaned = set(re.findall(r"[^\W\d_]{4,}", article.text))
    assert [w for w in words if w not in cleaned] == []


@pytest.mark.parametrize("rule", load_jsonl("layout.jsonl"), ids=lambda r: r["id"])
def test_layout_rule_examples(rule):
    assert is_(rule["id"], rule["example"])
    assert not is_(rule["id"], rule["counter"])


@pytest.mark.parametrize("rule", load_jsonl("typography.jsonl"), ids=lambda r: r["id"])
def test_typography_rule_examples(rule):
    text = rule["example"]
    doc = [text, "a \u2015quoted\u2016 word"] if rule["when"] == "mojibake" else [text]
    assert repair_typography(doc)[0] == rule["expected"]


def test_typography_mojibake_rules_need_the_signature():
    assert repair_typography(["a \u2015 bar"]) == ["a \u2015 bar"]


def test_markdown_emphasis_goes_but_underscores_inside_words_and_rules_stay():
    # wikipedia-farc: "the 1984 _La Uribe_ Agreement" (an encyclopaedia's italics)
    text = ["the _Proof of Life_ video, file_name_v2, a ______ rule, (_barrios_)"]
    assert repair_typography(text) == [
        "the Proof of Life video, file_name_v2, a ______ rule, (barrios)"
    ]


def test_dehyphenation_uses_the_document_vocabulary():
    pieces = (Piece("the negotia-", 1), Piece("tions went on", 1))
    assert join_pieces(pieces, frozenset({"negotiations"}))[0] == "the negotiations went on"
    assert join_pieces(pieces, frozenset())[0] == "the negotia-tions went on"


def test_page_interpolation():
    markers = [(40, 8), (200, 12)]
    assert page_of(40, markers) == 8 and page_of(41, markers) == 9
    assert page_of(200, markers) == 12 and page_of(201, markers) == 13
    assert page_of(0, markers) == 7
    assert page_of(100, []) == 1


def test_plain_paragraph_file():
    text = "A Title\n\nFirst paragraph. It goes on.\n\nSecond paragraph here.\n"
    lines = tuple(Line(t, None, n) for n, t in enumerate(text.split("\n"), 1))
    doc = clean_document(RawDocument("d", "d.txt", "txt", lines, 0))
    assert [s.kind for s in doc.segments] == ["heading", "paragraph", "paragraph"]
    assert doc.text == "A Title\n\nFirst paragraph. It goes on.\n\nSecond paragraph here.\n"
