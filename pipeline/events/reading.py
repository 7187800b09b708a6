"""The reading step of the event stage: a parsed Doc into frozen records.

`read_document` finds the mentions of meetings and agreements (mentions.py) and
reads each in its sentence once: its status (modality.py), its own date, place,
round and phase (slots.py), where it stands in the parse (its predicate and the
heads of its clause, as token indices), the actors of its sentence and the
leaders named before it in its paragraph. The agreement mentions of each
sentence are clustered by the parse (clusters.py). Everything later steps need
is in the returned DocumentReading; merging (events.py, agreements.py) and row
building (rows.py) never see the Doc.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Span, Token

from pipeline.events.annexes import annexed, in_heading
from pipeline.events.clusters import clusters
from pipeline.events.drafts import DocumentReading, Reading, SentenceFacts
from pipeline.events.mention_dates import own_when
from pipeline.events.mentions import Found, both_sides, determined, find_mentions, words
from pipeline.events.modality import act_nouns, aftermath, has_modal, predicate, status
from pipeline.events.places import own_places, place_in_name
from pipeline.events.slots import (
    ACTOR_SIDES,
    Context,
    When,
    Where,
    build_context,
    clause_heads,
    ordinal_before,
    phrase_tokens,
    sentence_timexes,
    shared_conjuncts,
    subtype_cue,
)
from pipeline.models import CleanDocument, Entity, Timex

PHASE_NOUNS = frozenset({"phase", "session", "stage", "part"})
NARRATIVE_ROLES = frozenset({"narrative", "attribute"})
CONFLICT_SIDES = frozenset({"government", "opposition"})


def read_document(
    doc, clean: CleanDocument, entities: Sequence[Entity], timexes: Sequence[Timex]
) -> DocumentReading:
    """Read a parsed Doc of `clean.text` with its entities and time expressions; return
    the frozen records of its mentions (ids M0001...), of the agreement clusters of each
    sentence, the dates that move the narrative and the paragraphs' layout."""
    ctx = build_context(doc, entities, timexes)
    sentences = list(doc.sents)
    layout = Layout(
        tuple(s.start for s in sentences),
        tuple(s.char_start for s in clean.segments if s.kind != "heading"),
        tuple((s.char_start, s.char_end) for s in clean.segments if s.kind == "heading"),
    )
    facts: dict[int, SentenceFacts] = {}
    persons = _persons(ctx)
    readings = []
    for number, found in enumerate(find_mentions(doc), start=1):
        index = bisect_right(layout.sentences, found.trigger) - 1
        if index not in facts:
            facts[index] = _facts(ctx, sentences[index])
        reading = _read(ctx, clean, layout, found, f"M{number:04d}", facts[index])
        readings.append(replace(reading, leaders_before=_leaders_before(ctx, persons, reading)))
    readings = annexed(clean, layout, readings)
    by_sentence: dict[int, list[Reading]] = {}
    for reading in readings:
        if reading.status != "dropped" and reading.event_type == "agreement":
            by_sentence.setdefault(reading.sentence, []).append(reading)
    found_clusters = tuple(c for i in sorted(by_sentence) for c in clusters(ctx, by_sentence[i]))
    segments = tuple((s.char_start, s.section) for s in clean.segments if s.kind != "heading")
    return DocumentReading(
        clean.doc_id, tuple(readings), found_clusters, _narrative(ctx), segments,
        tuple(sorted(ctx.bodies.items())),
    )  # fmt: skip


@dataclass(frozen=True)
class Layout:
    """Where mentions stand: the Doc's sentence starts (token indices), the starts of
    the paragraphs (character offsets) and the spans of the headings."""

    sentences: tuple[int, ...]
    paragraphs: tuple[int, ...]
    headings: tuple[tuple[int, int], ...]


def actors(ctx: Context, tokens: Iterable[Token]) -> list[Entity]:
    """The actor entities (people, bodies, states with a side) among `tokens`, once each."""
    seen, found = set(), []
    for token in tokens:
        ent = ctx.entities.get(token.i)
        if ent is not None and ent.side in ACTOR_SIDES and ent.char_start not in seen:
            seen.add(ent.char_start)
            found.append(ent)
    return found


def _facts(ctx: Context, sentence: Span) -> SentenceFacts:
    """What row building reads of a sentence: its offsets, its actors (once each), and
    whether it speaks of the parties together or of leaders."""
    return SentenceFacts(
        sentence.start_char, sentence.end_char, tuple(actors(ctx, sentence)),
        any(both_sides(t) for t in sentence),
        any(t.lower_ in words("leader_noun") for t in sentence),
    )  # fmt: skip


def _read(
    ctx: Context, clean: CleanDocument, layout: Layout, found: Found, mention_id: str,
    facts: SentenceFacts,
) -> Reading:  # fmt: skip
    """Read one mention: its status, its own date and place, its round and phase, its
    place in the parse."""
    trigger = ctx.doc[found.trigger]
    sentence, span = trigger.sent, found.span(ctx.doc)
    mention_status, explicit = status(found, ctx.sides, sentence)
    if in_heading(clean, layout, span.start_char) == "topic":
        mention_status = "dropped"  # a heading names a topic, not an event
    # a generic noun, or a document (the act on it has the clause's date), is dated by its phrase
    document = found.rule.role in ("document_name", "document", "document_ref")
    document = document and not act_nouns(trigger)  # "the signing of X": the act's date
    loose = document or mention_status == "reference"
    loose = loose or _loose(ctx, found, explicit, mention_status == "held")
    behind = aftermath(trigger)  # "issues from the Tehran round": not the clause's meeting
    loose = loose or behind
    when = _with_end(*own_when(ctx, found, sentence, phrase_only=loose))
    place = _one_place(own_places(ctx, found, phrase_only=loose), found)
    if place is None and found.rule.event_type == "meeting" and mention_status == "held":
        place = place_in_name(ctx, found)  # "the Madrid Peace Conference"
    if mention_status == "reference" and document and _dated_by_attribute(ctx, trigger):
        mention_status = "agreed"  # "the Tehran protocol of 13 February 1997": it exists
    if mention_status == "agreed" and place is None and recalled(found, ctx, sentence):
        mention_status = "reference"  # "X and Y had agreed to limit ...": told before
    number, phase = _round(span), ordinal_before(span, PHASE_NOUNS)
    meeting = found.rule.event_type == "meeting"
    return Reading(
        found=found,
        mention_id=mention_id,
        doc_id=clean.doc_id,
        text=span.text,
        start=span.start_char,
        end=span.end_char,
        sentence=bisect_right(layout.sentences, found.trigger) - 1,
        paragraph=bisect_right(layout.paragraphs, span.start_char) - 1,
        status=mention_status,
        explicit=explicit,
        when=when,
        place=place,
        round=number,
        phase=phase,
        subtype=subtype_cue(found, ctx) if meeting else found.rule.subtype,
        identity=bool(when or place or number or phase or _names_people(ctx, found)),
        section=_section(clean, span.start_char),
        predicate=predicate(trigger).i,
        heads=frozenset(clause_heads(trigger)),
        related=_related(ctx, found) or behind,
        ahead=_related(ctx, found, "relation_later"),
        behind=behind,
        facts=facts,
        leaders_before=(),
        indefinite=_indefinite(trigger),
        bare=trigger.tag_ == "NNS" and not determined(trigger),
    )


def _indefinite(trigger: Token) -> bool:
    """True for a noun with "a"/"an", or inside "a series of", "a number of": a meeting the
    text brings in as new, not one told before."""

    def has_a(token: Token) -> bool:
        return any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in token.children)

    inside = trigger.dep_ == "pobj" and trigger.head.lower_ == "of"
    return has_a(trigger) or (inside and has_a(trigger.head.head))


def _dated_by_attribute(ctx: Context, trigger: Token) -> bool:
    """True for a document given with its own date by "of" ("the Tehran protocol of 13
    February 1997", "the peace treaty of October 1994"): a document that was made then,
    whatever the sentence says of it; a document cited as the ground of what is done ("in
    accordance with the protocol of 17 August") has a citation date, not this."""
    nouns = [trigger, *shared_conjuncts(trigger)]
    links = {c.i for n in nouns for c in n.children if c.dep_ == "prep" and c.lower_ == "of"}
    inside = sentence_timexes(ctx, trigger.sent)
    return any(timex.role == "attribute" and span.root.head.i in links for timex, span in inside)


def recalled(found: Found, ctx: Context, sentence: Span) -> bool:
    """True for an act of agreeing in the past perfect ("had agreed"), which recalls an
    agreement rather than tells a new one when no date of its sentence sets it ("At the
    Moscow meeting in April 1995, both sides had agreed" is told anew)."""
    if any(t.ent_type_ == "DATE" for t in sentence):
        return False
    if any(sentence.start <= span.start < sentence.end for _, span in ctx.timexes):
        return False
    trigger = ctx.doc[found.trigger]
    perfect = any(c.dep_ == "aux" and c.lower_ in words("recall_aux") for c in trigger.children)
    return found.rule.role == "content_act" and trigger.tag_ == "VBN" and perfect


def _related(ctx: Context, found: Found, relation: str = "relation") -> bool:
    """True when the mention follows a word of class `relation` relating it to another
    event ("prior to")."""
    before = ctx.doc[max(0, found.start - 3) : found.start]
    return any(t.lower_ in words(relation) for t in before)


def _persons(ctx: Context) -> tuple[tuple[int, ...], tuple[Entity, ...]]:
    """The tokens of conflict-side people (token indices in order, their entities)."""
    found = sorted(
        (i, e) for i, e in ctx.entities.items()
        if e.label == "PERSON" and e.side in CONFLICT_SIDES
    )  # fmt: skip
    return tuple(i for i, _ in found), tuple(e for _, e in found)


def _leaders_before(ctx: Context, persons, reading: Reading) -> tuple[tuple[str, str], ...]:
    """The person of each conflict side last named in the paragraph up to the mention
    ("Rakhmonov and Nuri themselves intervened. At their meeting ..."), by side."""
    begin = ctx.doc.text.rfind("\n\n", 0, reading.start) + 2  # -1 + 2: the text's start
    span = ctx.doc.char_span(max(begin, 0), reading.end, alignment_mode="expand")
    if span is None:
        return ()
    indices, people = persons
    found: dict[str, str] = {}
    for ent in people[bisect_left(indices, span.start) : bisect_left(indices, span.end)]:
        found[ent.side] = ent.canonical
    return tuple(found.items())


def _section(clean: CleanDocument, offset: int) -> str:
    """The section heading of the segment holding `offset`."""
    return next((s.section for s in clean.segments if s.char_start <= offset < s.char_end), "")


def _one_place(places: list[Where], found: Found) -> Where | None:
    """The mention's place; a tour of several places ("visited Dushanbe, Moscow and
    Tashkent") is placed in their common country, if any."""
    if not places:
        return None
    if found.rule.role != "meeting_verb" or len(places) == 1:
        return places[0]
    countries = {p.country for p in places}
    return Where("", countries.pop()) if len(countries) == 1 else None


def _loose(ctx: Context, found: Found, explicit: bool, held: bool) -> bool:
    """True for a generic meeting noun ("negotiations") that nothing marks as an event:
    only dates and places in its own phrase are its own."""
    trigger = ctx.doc[found.trigger]
    if found.rule.role != "meeting_noun" or found.rule.subtype or (explicit and held):
        return False
    if _to_open(predicate(trigger)):
        return False  # "Bilateral talks ... would begin in Washington in December 1991"
    in_setting = trigger.dep_ == "pobj" and trigger.head.lower_ in words("setting_prep")
    return not in_setting and subtype_cue(found, ctx) == ""


def _to_open(verb: Token) -> bool:
    """True for an opening verb with a modal of the future ("would begin", "will open"):
    a plan whose date and place are the meeting's own."""
    return has_modal(verb) and verb.lemma_.lower() in words("opening_verb")


def _names_people(ctx: Context, found: Found) -> bool:
    """True when a meeting noun's phrase names who met ("the meeting between X and Y")."""
    if found.rule.role != "meeting_noun":
        return False
    phrase = phrase_tokens(ctx.doc[found.trigger])
    return any(ctx.entities.get(i) and ctx.entities[i].label == "PERSON" for i in phrase)


def _round(span) -> str:
    """The round number of a mention of a round ("the fourth round")."""
    return ordinal_before(span, frozenset({"round", "rounds"})) if "round" in span.lemma_ else ""


def _with_end(when: When | None, end: When | None) -> When | None:
    """The mention's date with its end from "ending on ..." when it gives one (an opening
    day has none: `mention_dates.own_when`)."""
    if end is None:
        return when
    if when is None:
        return end
    return When(when.start, end.end, when.mod, f"{when.text} ... {end.text}")


def _narrative(ctx: Context) -> tuple[tuple[int, When], ...]:
    """The dates that move the events' narrative, by position: those the time-expression
    stage gave the role "narrative" or "attribute" ("the treaty of October 1994"); not
    durations, deadlines, counted dates, dates of cited documents nor dates before a noun."""
    return tuple(
        (timex.char_start, When(timex.value_start, timex.value_end, timex.mod, timex.text))
        for timex, _ in ctx.timexes
        if timex.role in NARRATIVE_ROLES
    )
