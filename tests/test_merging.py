"""The event stage's steps: reading makes frozen records, merging works on them alone over
the whole document; and the merging rules on sentences of real documents."""

from __future__ import annotations

import dataclasses
import pickle

import pytest
from spacy.tokens import Doc, Span, Token

from pipeline.entities import extract_entities
from pipeline.events import extract_events, merge
from pipeline.reading import read_document
from pipeline.timexes import extract_timexes


def spacy_objects(value, seen=None):
    """Every spaCy Doc, Span or Token reachable from `value` (dataclasses, tuples, sets,
    mappings)."""
    seen = set() if seen is None else seen
    if id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, (Doc, Span, Token)):
        yield value
    elif dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            yield from spacy_objects(getattr(value, field.name), seen)
    elif isinstance(value, dict):
        for item in value.items():
            yield from spacy_objects(item, seen)
    elif isinstance(value, (tuple, list, set, frozenset)):
        for item in value:
            yield from spacy_objects(item, seen)


@pytest.fixture(scope="module")
def article_reading(nlp, article):
    """The reading of the article and what it was read from."""
    doc = nlp(article.text)
    entities, timexes = extract_entities(doc, article.doc_id), extract_timexes(doc, article.doc_id)
    return read_document(doc, article, entities, timexes), (doc, entities, timexes)


def test_reading_gives_frozen_records_without_the_doc(article_reading):
    story, _ = article_reading
    assert story.readings and story.clauses
    assert not list(spacy_objects(story))
    with pytest.raises(dataclasses.FrozenInstanceError):
        story.readings[0].status = "held"  # type: ignore[misc]


def test_merging_works_on_the_records_alone_and_changes_none(article_reading, article):
    story, (doc, entities, timexes) = article_reading
    copy = pickle.loads(pickle.dumps(story))  # no Doc travels with the records
    events = merge(copy)
    assert events == merge(story) and copy == story
    assert len(events) == len(extract_events(doc, article, entities, timexes)[1])
    assert all(e.readings and e.key >= 0 for e in events)
