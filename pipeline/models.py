"""Typed records passed between stages. Every offset is into the cleaned text."""

from __future__ import annotations

from dataclasses import dataclass, fields


class InputError(Exception):
    """A source or gold file that cannot be used; str() is a one-line message."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class ManifestEntry:
    """One row of corpus/manifest.csv (or a file found beside it)."""

    doc_id: str
    file: str
    title: str = ""
    author: str = ""
    year: str = ""
    language: str = "en"
    source: str = ""


@dataclass(frozen=True)
class Line:
    """One physical line of a source document, before cleaning.

    text: the line without its newline. An empty (or whitespace-only) line is
    a layout break. page: 1-based page, or None when the source gives no pages
    (plain text; cleaning infers them from page-number lines). number: 1-based
    line number in the file (text) or on the page (PDF). zone: "body" or
    "footnote" (PDF ingestion separates footnote areas; in text files
    cleaning finds them).
    """

    text: str
    page: int | None
    number: int
    zone: str = "body"


@dataclass(frozen=True)
class OcrWord:
    """A word recognised on a page image: box in PDF points (origin top left).

    top/bottom are those of its text line, size the line's estimated font size
    in points, confidence the engine's (0-100), line the text line's index.
    """

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    confidence: float
    line: int


@dataclass(frozen=True)
class OcrPage:
    """What OCR read on one page (1-based): words, mean confidence, a warning or ""."""

    page: int
    words: tuple[OcrWord, ...]
    confidence: float
    warning: str = ""


@dataclass(frozen=True)
class RawDocument:
    """A document as read from disk: its lines, how many pages it has, its OCR'd pages."""

    doc_id: str
    path: str
    kind: str  # "txt" | "pdf"
    lines: tuple[Line, ...]
    n_pages: int
    ocr: tuple[OcrPage, ...] = ()  # pages without a text layer, read by OCR


@dataclass(frozen=True)
class DocumentInfo:
    """One row of documents.csv: a document's pages and which of them OCR read.

    ocr_pages, ocr_warned: ;-separated page numbers (all pages OCR'd; those
    with a warning). ocr_confidence: the engine's mean word confidence (0-100)
    over the OCR'd pages that gave text, "" when there are none.
    """

    doc_id: str
    kind: str
    pages: int
    ocr_pages: str
    ocr_confidence: str
    ocr_warned: str


@dataclass(frozen=True)
class Segment:
    """A heading, paragraph or footnote of the cleaned text."""

    doc_id: str
    segment_id: int
    kind: str  # "heading" | "paragraph" | "footnote"
    section: str
    page: int
    char_start: int
    char_end: int


@dataclass(frozen=True)
class CleanDocument:
    """The cleaned text of one document with its segments and page map.

    page_starts: (char_offset, page) pairs, ascending; the page of offset o is
    the page of the last pair whose offset is <= o.
    """

    doc_id: str
    text: str
    segments: tuple[Segment, ...]
    page_starts: tuple[tuple[int, int], ...]
    warnings: tuple[str, ...] = ()  # about the source's layout ("- 0 -" numbers no page)

    def page_at(self, offset: int) -> int:
        """Return the page on which character `offset` of the text lies."""
        page = self.page_starts[0][1] if self.page_starts else 1
        for start, number in self.page_starts:
            if start > offset:
                break
            page = number
        return page


@dataclass(frozen=True)
class Entity:
    """A named person, organisation, place or state found in the text."""

    doc_id: str
    char_start: int
    char_end: int
    text: str
    label: str  # PERSON | ORG | GPE | LOC | NORP ...
    canonical: str
    side: str  # government | opposition | mediator | third_party | ""
    source: str  # "model" | "gazetteer"


@dataclass(frozen=True)
class Timex:
    """A time expression with its normalised ISO value (guidelines §3)."""

    doc_id: str
    timex_id: str
    char_start: int
    char_end: int
    text: str
    type: str  # DATE | RANGE | DURATION
    value_start: str
    value_end: str
    mod: str  # START | MID | END | APPROX | ""
    anchor: str  # ISO reference date used, "" when explicit
    # what the date does in the narrative: narrative (moves it) | document (the document's
    # own date in its masthead) | modifier ("the November
    # 1994 election") | attribute ("the treaty of October 1994") | citation (the date of a
    # cited document) | deadline | counted ("two months earlier") | duration
    role: str = "narrative"


@dataclass(frozen=True)
class TimexFindings:
    """The time expressions of a text and warnings about the ones dropped (impossible dates)."""

    timexes: tuple[Timex, ...]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mention:
    """One textual mention of a meeting or an agreement, and the rule that found it."""

    doc_id: str
    mention_id: str
    event_type: str  # meeting | agreement
    subtype: str
    status: str
    char_start: int
    char_end: int
    text: str
    rule_id: str
    event_id: str = ""  # the event it was merged into


@dataclass(frozen=True)
class Event:
    """One meeting or agreement (guidelines §1-2) with the mentions that make it."""

    doc_id: str
    event_id: str
    event_type: str
    subtype: str
    status: str
    title: str
    date_start: str
    date_end: str
    date_mod: str
    date_text: str
    location: str
    country: str
    participants: str  # ;-separated canonical names
    mediators: str
    round: str
    section: str
    evidence: str
    char_start: int  # offsets of the evidence
    char_end: int
    page: int
    mention_ids: str  # ;-separated


@dataclass(frozen=True)
class GoldEvent:
    """One row of annotations/<doc_id>.events.csv."""

    doc_id: str
    gold_id: str
    event_type: str
    subtype: str
    status: str
    title: str
    date_start: str
    date_end: str
    date_mod: str
    location: str
    country: str
    participants: str
    mediators: str
    round: str
    evidence: str
    optional: bool


@dataclass(frozen=True)
class GoldTimex:
    """One row of annotations/<doc_id>.timexes.csv."""

    doc_id: str
    char_start: int
    char_end: int
    text: str
    type: str
    value_start: str
    value_end: str
    mod: str


@dataclass(frozen=True)
class DocumentDate:
    """One row of documents.csv: the date a document speaks from (doctime.py).

    doc_date: ISO at the precision found ("1997-01-21", "1905"), "" when unknown;
    source: masthead | title | manifest | "".
    """

    doc_id: str
    title: str
    doc_date: str
    source: str
    char_start: int | None = None  # offsets of a masthead date in the cleaned text
    char_end: int | None = None


@dataclass(frozen=True)
class ColdScore:
    """One row of annotations/cold-scores.csv: the first score a document ever got.

    Recorded once (`score --record-cold`) and never rewritten, so that the
    macro over held-out documents stays the honest estimate for the next one.
    held_out: "yes" when the rules had not been written against this gold
    (the development article is "no"). Scores are empty where there was no gold.
    """

    doc_id: str
    recorded: str  # ISO date
    version: str  # pipeline version that made the score
    held_out: str
    events_precision: float | None
    events_recall: float | None
    events_f1: float | None
    meeting_f1: float | None
    agreement_f1: float | None
    time_relaxed_f1: float | None
    value_accuracy: float | None
    note: str = ""


def field_names(record: type) -> tuple[str, ...]:
    """The field names of a record type, in order: the columns of its table (astuple order)."""
    return tuple(f.name for f in fields(record))


@dataclass(frozen=True)
class PaxAgreement:
    """One agreement of a PA-X register (pax-agreements.csv): the fields matching needs.

    countries: the ISO alpha-3 codes of Loc1ISO and Loc2ISO (those given).
    """

    pax_id: str
    name: str
    date: str  # ISO YYYY-MM-DD (the register's DD/MM/YYYY)
    process: str
    conflict: str
    countries: tuple[str, ...]


@dataclass(frozen=True)
class PaxLink:
    """The PA-X agreement an agreement event is linked to, and how its dates compare.

    days: PA-X date minus the nearest day of the event's date span (0 inside it).
    by_name: False when the link rests on the day and the peace process alone.
    """

    pax_id: str
    pax_name: str
    pax_date: str
    match: str  # exact | close | conflict
    days: int
    by_name: bool
