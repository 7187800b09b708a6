"""Document time: a document's own date, and yearless dates never placed after it."""

from __future__ import annotations

import pytest
from conftest import load, shared_file

from pipeline.models import DocumentDate, ManifestEntry
from pipeline.nlp.doctime import _rules, date_in, document_date
from pipeline.nlp.timexes import extract_timexes

REPORT = DocumentDate("r", "", "1997-01-21", "masthead")


@pytest.mark.parametrize("rule", _rules(), ids=lambda r: r[0]["id"])
def test_rule_finds_its_example_and_not_its_counter(rule):
    row, pattern = rule
    assert date_in(row, pattern, row["example"]) == row["expected"]
    if "counter" in row:
        assert date_in(row, pattern, row["counter"]) == ""


def values(nlp, text, when):
    return {t.text: t.value_start for t in extract_timexes(nlp(text), "r", when)}


def test_a_yearless_date_is_never_after_the_report(nlp):
    text = (
        "S/1997/56 21 January 1997\n\nOn 10 December, the two leaders met. "
        "The summit began in Moscow on 21 December. On 23 December, they signed two "
        "documents. The next round began in Tehran on 6 January."
    )
    got = values(nlp, text, REPORT)
    assert got["10 December"] == "1996-12-10"
    assert got["21 December"] == "1996-12-21"  # no cascade into the wrong year
    assert got["23 December"] == "1996-12-23"
    assert got["6 January"] == "1997-01-06"
    undated = values(nlp, text, None)
    assert undated["10 December"] == "1997-12-10"  # what a document without its date gives


# (what the case shows, the text, its masthead date, a yearless date in it, its value)
AGAINST_THE_REPORT = [
    (
        "a report speaking of its future keeps the coming month",
        "The final agreement will be signed on 29 December 1996. The package is not "
        "expected to be finalized until late December.",
        "1996-11-26",
        "late December",
        "1996-12",
    ),
    (
        # S/2011/641 (scale corpus): the plan's horizon is no time the narrative reaches
        "a period reaching past the report moves no narrative",
        "On 11 July, Parliament approved the Strategic Development Plan for 2011-2030. On 14 "
        "February, Parliament again voted to postpone the debate.",
        "2011-10-14",
        "14 February",
        "2011-02-14",
    ),
    (
        # S/1997/56, paragraph 7: the date of a plan agreed lies ahead of the reference
        "a date the sides agreed to meet on may pass the report",
        "At the closing ceremony on 19 January, the two delegations issued a joint statement "
        "on the progress achieved during the round of talks (annex IV), agreeing to meet "
        "again on 26 February in either Moscow or Tehran.",
        "1997-01-21",
        "26 February",
        "1997-02-26",
    ),
    (
        "a date told as a fact does not",
        "At the closing ceremony on 19 January, the two delegations issued a joint statement. "
        "They had met on 26 February in either Moscow or Tehran.",
        "1997-01-21",
        "26 February",
        "1996-02-26",
    ),
]


@pytest.mark.parametrize(
    "text, doc_date, surface, value",
    [c[1:] for c in AGAINST_THE_REPORT],
    ids=[c[0] for c in AGAINST_THE_REPORT],
)
def test_a_yearless_date_against_the_reports_own_date(nlp, text, doc_date, surface, value):
    when = DocumentDate("r", "", doc_date, "masthead")
    assert values(nlp, text, when)[surface] == value


def test_a_title_year_starts_the_narrative_but_caps_nothing(nlp):
    when = DocumentDate("r", "", "1991", "title")
    got = values(nlp, "In March, Baker went to Damascus. In September 1993 they signed.", when)
    assert got["March"] == "1991-03"


def test_document_dates_of_real_documents():
    entry = ManifestEntry("un-s-1997-56", "un-s-1997-56.pdf", year="1997")
    clean = load(shared_file("un-s-1997-56.pdf"), "un-s-1997-56")
    found = document_date(entry, clean)
    assert (found.doc_date, found.source) == ("1997-01-21", "masthead")
    assert clean.text[found.char_start : found.char_end] == "21 January 1997"
    essay = ManifestEntry("portsmouth-treaty", "portsmouth-treaty.txt")
    clean = load(shared_file("portsmouth-treaty.txt"), "portsmouth-treaty")
    assert document_date(essay, clean).doc_date == "1905"
    farc = ManifestEntry("wikipedia-farc", "wikipedia-farc.txt", year="2019")
    clean = load(shared_file("wikipedia-farc.txt"), "wikipedia-farc")
    assert document_date(farc, clean) == DocumentDate("wikipedia-farc", "", "2019", "manifest")


def test_a_year_alone_caps_only_the_years_after_it(nlp):
    when = DocumentDate("r", "", "1997", "manifest")
    text = "The talks resumed in Tehran in April 1997. The leaders met from 16 to 18 May."
    assert values(nlp, text, when)["from 16 to 18 May"] == "1997-05-16"


def test_an_ocr_read_masthead_symbol_still_dates_the_report():
    row, pattern = _rules()[0]
    text = "GENERAL\n\n$/1997/415 30 May 1997\n\nORIGINAL: ENGLISH"  # "$" read for "S"
    assert date_in(row, pattern, text) == "1997-05-30"
