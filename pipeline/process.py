"""One document through every stage: read and clean it, then `process` it (pure) into a
DocResult. The orchestration of a document lives here; nlp.py only builds and runs spaCy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from spacy.language import Language

from pipeline import storage
from pipeline.evaluate.baselines import baseline_events, baseline_timexes, relative_base
from pipeline.events.extract import extract_events
from pipeline.ingest.clean import clean_document
from pipeline.ingest.ocr import Recogniser
from pipeline.ingest.source import ingest
from pipeline.models import (
    CleanDocument,
    DocumentDate,
    Entity,
    Event,
    ManifestEntry,
    Mention,
    PaxLink,
    RawDocument,
    Timex,
)
from pipeline.nlp import model as spacy_stage
from pipeline.nlp.doctime import document_date
from pipeline.nlp.entities import extract_entities
from pipeline.nlp.sides import cast_sides
from pipeline.nlp.timexes import find_timexes
from pipeline.pieces import Part, bounds, date_in_piece, join, piece_of


@dataclass(frozen=True)
class DocResult:
    """Everything the stages made of one document."""

    entry: ManifestEntry
    raw: RawDocument
    clean: CleanDocument
    document: DocumentDate | None = None
    entities: tuple[Entity, ...] = ()
    timexes: tuple[Timex, ...] = ()
    mentions: tuple[Mention, ...] = ()
    events: tuple[Event, ...] = ()
    baseline_timexes: tuple[Timex, ...] = ()
    baseline_events: tuple[Event, ...] = ()
    pax_links: tuple[PaxLink | None, ...] = ()  # one per event
    pax_unmentioned: tuple[tuple[str, ...], ...] = ()  # rows of pax_unmentioned.csv
    warnings: tuple[str, ...] = ()  # about the document (its layout, dropped dates, pieces)

    @property
    def pages(self) -> int:
        """Pages of the source (PDF) or the highest page seen (text)."""
        return self.raw.n_pages or max((p for _, p in self.clean.page_starts), default=1)

    @property
    def words(self) -> int:
        """Words (whitespace-separated) of the cleaned text."""
        return len(self.clean.text.split())


def read_document(
    path: Path, entry: ManifestEntry, data: bytes, ocr: Recogniser | None = None
) -> tuple[RawDocument, CleanDocument]:
    """Ingest and clean `data` (the bytes of `path`); InputError when it cannot be used.

    ocr reads the PDF pages that have no text layer (default: uncached). A text of any
    length is accepted: `process` takes a long one in pieces.
    """
    raw = ingest(entry.doc_id, str(path), data, ocr)
    return raw, clean_document(raw)


def load_document(
    corpus: Path, entry: ManifestEntry, ocr: Recogniser | None = None
) -> tuple[RawDocument, CleanDocument]:
    """Read, ingest and clean one corpus document; InputError when it cannot be used."""
    path = corpus / entry.file
    return read_document(path, entry, storage.read_source(path), ocr)


def process(
    entry: ManifestEntry,
    raw: RawDocument,
    clean: CleanDocument,
    nlp: Language,
    piece_chars: int | None = None,
) -> DocResult:
    """The DocResult of one cleaned document: its date, entities, time expressions,
    mentions, events and the naive baselines' output (no I/O).

    A text longer than `piece_chars` (default nlp.PIECE_CHARS; at most spaCy's
    max_length) is cut at paragraph boundaries (nlp.split_text) and each piece goes
    through spaCy and the later stages alone, so that memory is bounded by the piece,
    not the document; the pieces' records are moved into the whole text (pieces.join).
    The document's date is read once from the whole text and given to every piece.
    """
    limit = min(piece_chars or spacy_stage.PIECE_CHARS, nlp.max_length)
    when = document_date(entry, clean)
    base = relative_base(clean.text)
    spans = bounds(spacy_stage.split_text(clean.text, limit))
    whole = join(
        [(start, _part(nlp, piece_of(clean, start, end), date_in_piece(when, start), base))
         for start, end in spans]
    )  # fmt: skip
    note = (_pieces_note(len(clean.text), limit, len(spans)),) if len(spans) > 1 else ()
    return DocResult(
        entry,
        raw,
        clean,
        document=when,
        entities=whole.entities,
        timexes=whole.timexes,
        mentions=whole.mentions,
        events=whole.events,
        baseline_timexes=whole.baseline_timexes,
        baseline_events=whole.baseline_events,
        warnings=clean.warnings + note + whole.warnings,
    )


def _part(nlp: Language, piece: CleanDocument, when: DocumentDate, base: datetime) -> Part:
    """The records of one piece (offsets and ids into the piece) from its own spaCy parse;
    the Doc is dropped on return, so only one piece's Doc is alive at a time."""
    doc = spacy_stage.parse_one(nlp, piece.text)
    doc_id = piece.doc_id
    entities = cast_sides(doc, extract_entities(doc, doc_id))
    found = find_timexes(doc, doc_id, when)
    mentions, events = extract_events(doc, piece, entities, found.timexes)
    return Part(
        entities,
        found.timexes,
        mentions,
        events,
        baseline_timexes(doc, doc_id, base),
        baseline_events(doc, doc_id, found.timexes, entities, piece.page_at),
        found.warnings,
    )


def _pieces_note(size: int, limit: int, pieces: int) -> str:
    """The warning that a document was processed in pieces, and what that costs."""
    return (
        f"{size:,} characters, more than the {limit:,} processed at once: processed in "
        f"{pieces} pieces cut at blank lines, else full stops (mentions in different pieces are "
        "never merged into one event)"
    )
