"""One document through every stage: read and clean it, then `process` it (pure) into a
DocResult. The orchestration of a document lives here; nlp.py only builds and runs spaCy."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language

from . import nlp as spacy_stage
from . import storage
from .baselines import baseline_events, baseline_timexes
from .clean import clean_document
from .doctime import document_date
from .entities import extract_entities
from .events import extract_events
from .ingest import ingest
from .models import (
    CleanDocument,
    DocumentDate,
    Entity,
    Event,
    InputError,
    ManifestEntry,
    Mention,
    PaxLink,
    RawDocument,
    Timex,
)
from .ocr import Recogniser
from .sides import cast_sides
from .timexes import extract_timexes


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

    ocr reads the PDF pages that have no text layer (default: uncached).
    """
    raw = ingest(entry.doc_id, str(path), data, ocr)
    clean = clean_document(raw)
    limit = spacy_stage.MAX_TEXT_CHARS
    if len(clean.text) > limit:
        size = f"{len(clean.text):,} characters of text, more than the {limit:,}"
        raise InputError(str(path), f"too long: {size} one run holds in memory; split it")
    return raw, clean


def load_document(
    corpus: Path, entry: ManifestEntry, ocr: Recogniser | None = None
) -> tuple[RawDocument, CleanDocument]:
    """Read, ingest and clean one corpus document; InputError when it cannot be used."""
    path = corpus / entry.file
    return read_document(path, entry, storage.read_source(path), ocr)


def process(
    entry: ManifestEntry, raw: RawDocument, clean: CleanDocument, nlp: Language
) -> DocResult:
    """The DocResult of one cleaned document: its date, entities, time expressions,
    mentions, events and the naive baselines' output, from one spaCy parse (no I/O)."""
    doc = next(spacy_stage.parse(nlp, [clean.text]))
    doc_id = entry.doc_id
    when = document_date(entry, clean)
    entities = cast_sides(doc, extract_entities(doc, doc_id))
    timexes = extract_timexes(doc, doc_id, when)
    mentions, events = extract_events(doc, clean, entities, timexes)
    return DocResult(
        entry,
        raw,
        clean,
        document=when,
        entities=entities,
        timexes=timexes,
        mentions=mentions,
        events=events,
        baseline_timexes=baseline_timexes(doc, doc_id),
        baseline_events=baseline_events(doc, doc_id, timexes, entities, clean.page_at),
    )
