"""Read the slots of a mention from its sentence: round, phase, sides, and the attachment
rules its date (mention_dates.py) and places (places.py) are read by.

Dates come from the time expressions of timexes.py. A time expression or a place
belongs to a mention when it stands in the mention's own phrase ("the meeting
between ... held in Tehran in November") or in the clause the mention is an argument
of ("met in Tehran on 18 June for the second round"), never in a relative clause
about something else nor when it is a deadline ("until February 1995").
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import takewhile

from spacy.tokens import Doc, Span, Token

from pipeline.events.cues import forms
from pipeline.events.mentions import Found, determined, lexicon, words
from pipeline.events.modality import predicate
from pipeline.models import Entity, Timex
from pipeline.nlp.periods import interval

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
ACTOR_SIDES = frozenset({"government", "opposition", "mediator", "third_party"})


@dataclass(frozen=True)
class When:
    """A date slot: ISO start and end (end "" when the text dates only a start), its
    modifier and its text. role: "whole" or "end" ("ending on 22 December")."""

    start: str
    end: str
    mod: str
    text: str
    role: str = "whole"


@dataclass(frozen=True)
class Where:
    """A place slot: the location (below country level, else "") and its country."""

    location: str
    country: str


@dataclass(frozen=True)
class Context:
    """A parsed document with what slots are read from: entities by token, time
    expressions with their tokens, the two conflict sides' canonical bodies, and the
    side of every token of an actor."""

    doc: Doc
    entities: Mapping[int, Entity]
    timexes: tuple[tuple[Timex, Span], ...]
    bodies: Mapping[str, str]
    sides: Mapping[int, str]


def build_context(doc: Doc, entities: Sequence[Entity], timexes: Sequence[Timex]) -> Context:
    """Index entities and time expressions by the tokens of `doc`."""
    by_token = {}
    for ent in entities:
        span = doc.char_span(ent.char_start, ent.char_end, alignment_mode="expand")
        by_token.update({t.i: ent for t in span or ()})
    spans = [(t, doc.char_span(t.char_start, t.char_end, alignment_mode="expand")) for t in timexes]
    found = tuple((t, s) for t, s in spans if s is not None)
    sides = {i: e.side for i, e in by_token.items() if e.side}
    return Context(doc, by_token, found, side_bodies(entities), sides)


def side_bodies(entities: Iterable[Entity]) -> dict[str, str]:
    """The canonical body of each conflict side: its most frequent ORG or GPE actor."""
    counts = Counter(
        (e.side, e.canonical)
        for e in entities
        if e.side in ("government", "opposition") and e.label in ("ORG", "GPE")
    )
    bodies: dict[str, str] = {}
    for (side, canonical), _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        bodies.setdefault(side, canonical)
    return bodies


def during(when: When | None, meeting: When | None) -> bool:
    """Whether a date falls in a meeting's dates; a meeting dated by its opening day only
    runs on through that month ("were to meet on 19 December" ... "on 23 December")."""
    if when is None or meeting is None or not when.start:
        return False
    if overlaps(when, meeting):
        return True
    open_end = not meeting.end and len(meeting.start) == 10
    return open_end and when.start[:7] == meeting.start[:7] and when.start > meeting.start


def overlaps(a: When | None, b: When | None) -> bool:
    """Whether two date slots overlap (False when either is missing)."""
    if a is None or b is None or not a.start or not b.start:
        return False
    first, second = interval(a.start, a.end), interval(b.start, b.end)
    return bool(first and second) and first[0] <= second[1] and second[0] <= first[1]


def phrase_tokens(trigger: Token) -> set[int]:
    """The tokens of a noun mention's own phrase: its subtree without what is apposed or
    coordinated to it, and without relative clauses that tell another event ("an
    agreement that their delegates had left unfinished in Tehran")."""
    if trigger.pos_ == "VERB":
        return {trigger.i}
    keep_verbs = words("occur_verb") | forms("planned") | forms("planned_governor")
    apart = {t.i for c in trigger.children if c.dep_ in ("appos", "conj", "cc") for t in c.subtree}
    tokens = set()
    for token in trigger.subtree:
        clause = next((a for a in [token, *token.ancestors] if a.dep_ == "relcl"), None)
        inside = clause is not None and trigger in clause.ancestors
        if token.i not in apart and (not inside or clause.lemma_ in keep_verbs):
            tokens.add(token.i)
    return tokens


def clause_heads(trigger: Token) -> set[int]:
    """The verbs whose dates and places are the mention's: its predicate with the
    participles on it ("..., held in Moscow from ...", "..., ending on 22 December")
    and the verbs above it, out of no relative, coordinated or subordinate ("as",
    "although") clause. None when the mention is buried in the phrase of another noun
    ("the implementation of the Wye Memorandum")."""
    if not _argument(trigger):
        return set()
    current = predicate(trigger)
    heads = {current.i} | {c.i for c in current.children if _participle(c)}
    while current.head.i != current.i and not _boundary(current):
        current = predicate(current.head)
        heads.add(current.i)
    return heads


def _argument(trigger: Token) -> bool:
    """True when only prepositional phrases ("placed on the agenda at the summit") and
    words like "opening", "day", "phase" stand between the mention and its predicate,
    not the subject or object of another word ("the implementation of the Memorandum")."""
    current = trigger
    while current.head.pos_ not in ("VERB", "AUX") and current.head.i != current.i:
        current = current.head
        noun = current.pos_ in ("NOUN", "PROPN") and current.dep_ != "pobj"
        if noun and current.lower_ not in words("transparent_noun"):
            return False
    # the word on the verb: the mention, a preposition or a word like "opening"
    on_verb = current.i == trigger.i or current.pos_ == "ADP"
    return on_verb or current.lower_ in words("transparent_noun") or current.pos_ in ("VERB", "AUX")


def _boundary(verb: Token) -> bool:
    """True for the head verb of a relative, coordinated or subordinate clause."""
    marked = any(c.dep_ == "mark" for c in verb.children)
    return verb.dep_ in ("relcl", "conj") or (verb.dep_ in ("advcl", "ccomp") and marked)


def _participle(token: Token) -> bool:
    """A participle clause without subject or subordinator hung on a verb."""
    own = {c.dep_ for c in token.children}
    return (
        token.dep_ in ("advcl", "acl")
        and token.tag_ in ("VBN", "VBG", "VBD")
        and not (own & {"nsubj", "nsubjpass", "mark", "aux"})
    )


def anchor(token: Token) -> Token:
    """The first word above `token` that is no preposition, no part of a date and no
    delay noun on a preposition ("began after a one-day delay on 6 January": the day
    it began, though the parser hangs the date on the noun)."""
    current = token.head
    while current.head.i != current.i and (
        current.pos_ == "ADP" or current.ent_type_ == "DATE" or _delay(current)
    ):
        current = current.head
    return _misparsed_root(current)


def _misparsed_root(token: Token) -> Token:
    """The verb before a person's name the parser made the sentence's root ("signed by
    ... and Prime Minister Menachem Begin in September 1978, established ...": "Begin"
    read as the verb), else `token`: a date or place after a name is told of the verb
    whose argument the name is."""
    if token.dep_ != "ROOT" or token.pos_ != "PROPN" or token.ent_type_ != "PERSON":
        return token
    before = [t for t in token.sent if t.i < token.i and t.pos_ == "VERB"]
    return before[-1] if before else token


def _delay(token: Token) -> bool:
    return token.dep_ == "pobj" and token.lower_ in words("delay_noun")


def attachment_rank(root: Token, trigger: Token, phrase: set[int], heads: set[int]) -> int:
    """2 when a date or place word stands on the mention itself (or on the verbs of its
    phrase, or on a word like "phase" above it), 1 when on a verb of its clause, 0
    when on another noun ("the November 1994 election")."""
    word = anchor(root)
    if word.i == trigger.i or word in shared_conjuncts(trigger):
        return 2
    transparent = word.lower_ in words("transparent_noun") and trigger in word.subtree
    of_object = word.head.lower_ == "of" and word.head.head.i == trigger.i  # "meeting of experts"
    if transparent or (word.i in phrase and (word.pos_ in ("VERB", "AUX") or of_object)):
        return 2
    return 1 if word.pos_ in ("VERB", "AUX") and word.i in heads else 0


def shared_conjuncts(noun: Token) -> list[Token]:
    """The nouns coordinated with `noun` under its determiner ("the Moscow agreement and
    protocol of 23 December 1996"): what follows the last one tells of them all."""
    conjuncts = (c for c in noun.children if c.dep_ == "conj" and c.pos_ == "NOUN")
    return [c for c in conjuncts if not determined(c)]


def sentence_timexes(ctx: Context, sentence: Span) -> list[tuple[Timex, Span]]:
    """The time expressions of one sentence with their spans, in text order (found by
    bisection: the document's are in text order)."""
    first = bisect_left(ctx.timexes, sentence.start, key=lambda pair: pair[1].start)
    return list(takewhile(lambda pair: pair[1].start < sentence.end, ctx.timexes[first:]))


def ordinal_before(span: Span, nouns: frozenset[str]) -> str:
    """The number of the ordinal right before one of `nouns` in `span` ("fourth round",
    "eighth and final round"), or ""."""
    ordinals = lexicon()["ordinal"]
    for token in span:
        if token.lower_ not in nouns:
            continue
        for left in reversed(span.doc[span.start : token.i]):
            if left.lower_ in ordinals:
                return str(ordinals[left.lower_])
            if left.lower_ not in ("and", "final", "last", "continuous", "formal", "very"):
                break
    return ""


def subtype_cue(found: Found, ctx: Context) -> str:
    """The subtype the words of the mention's phrase name: summit, consultation,
    round (a leaders' cue wins), else the rule's subtype."""
    trigger = ctx.doc[found.trigger]
    near = set(found.span(ctx.doc)) | {c for c in trigger.children if c.dep_ != "prep"}
    if trigger.pos_ != "VERB":  # "a meeting of experts"
        near |= {g for c in trigger.children if c.lower_ == "of" for g in c.children}
    table = lexicon()["subtype_cue"]
    cues = {str(table[t.lower_]) for t in near if t.lower_ in table}
    for subtype in ("summit", "consultation", "round"):
        if subtype in cues:
            return subtype
    return found.rule.subtype
