"""Mentions read in context (Reading) and events being assembled from them (Draft).

A Reading is one matched mention with its status (modality.py) and slots
(slots.py). A Draft gathers the readings of one event while events.py and
agreements.py walk through the document; `row_of` turns it into an Event row.
Drafts live only inside one call of `extract_events`.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from types import MappingProxyType

from spacy.tokens import Span

from .annexes import annexed, in_heading
from .mentions import Found, find_mentions, words
from .modality import predicate, status
from .models import CleanDocument, Mention
from .slots import (
    Context,
    When,
    Where,
    ordinal_before,
    own_places,
    own_when,
    phrase_tokens,
    subtype_cue,
)

PHASE_NOUNS = frozenset({"phase", "session", "stage", "part"})
AGREEMENT_RANK = MappingProxyType({"signed": 3, "initialled": 2, "agreed": 1})


@dataclass(frozen=True)
class Reading:
    """One mention read in its sentence: what it says happened, when, where."""

    found: Found
    mention_id: str
    doc_id: str
    text: str
    start: int
    end: int
    sentence: int
    paragraph: int
    status: str
    explicit: bool
    when: When | None
    place: Where | None
    round: str
    phase: str
    subtype: str
    identity: bool  # the mention says which event it is (date, place, number, people)
    section: str

    @property
    def event_type(self) -> str:
        """meeting or agreement."""
        return self.found.rule.event_type

    @property
    def role(self) -> str:
        """What the mention does (the rule's role)."""
        return self.found.rule.role

    def mention(self, event_id: str) -> Mention:
        """The Mention record ("" status for a mention that tells no event)."""
        shown = "" if self.status == "dropped" else self.status
        return Mention(
            self.doc_id, self.mention_id, self.event_type, self.subtype, shown,
            self.start, self.end, self.text, self.found.rule.id, event_id,
        )  # fmt: skip


@dataclass(frozen=True)
class Layout:
    """Where mentions stand: the Doc's sentence starts (token indices), the starts of
    the paragraphs (character offsets) and the spans of the headings."""

    sentences: tuple[int, ...]
    paragraphs: tuple[int, ...]
    headings: tuple[tuple[int, int], ...]


def read_mentions(ctx: Context, clean: CleanDocument) -> list[Reading]:
    """Find the mentions of the document and read each in its sentence (ids M0001...)."""
    layout = Layout(
        tuple(s.start for s in ctx.doc.sents),
        tuple(s.char_start for s in clean.segments if s.kind != "heading"),
        tuple((s.char_start, s.char_end) for s in clean.segments if s.kind == "heading"),
    )
    found = find_mentions(ctx.doc)
    readings = [_read(ctx, clean, layout, f, f"M{n:04d}") for n, f in enumerate(found, start=1)]
    return annexed(clean, layout, readings)


def _read(
    ctx: Context, clean: CleanDocument, layout: Layout, found: Found, mention_id: str
) -> Reading:
    """Read one mention: its status, its own date and place, its round and phase."""
    sentence, span = ctx.doc[found.trigger].sent, found.span(ctx.doc)
    mention_status, explicit = status(found, ctx.sides, sentence)
    if in_heading(clean, layout, span.start_char) == "topic":
        mention_status = "dropped"  # a heading names a topic, not an event
    # a generic noun, or a document (the act on it has the clause's date), is dated by its phrase
    document = found.rule.role in ("document_name", "document", "document_ref")
    loose = document or mention_status == "reference"
    loose = loose or _loose(ctx, found, explicit, mention_status == "held")
    when = _when(found, *own_when(ctx, found, sentence, phrase_only=loose), ctx)
    place = _one_place(own_places(ctx, found, phrase_only=loose), found)
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
    )


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
    in_setting = trigger.dep_ == "pobj" and trigger.head.lower_ in words("setting_prep")
    return not in_setting and subtype_cue(found, ctx) == ""


def _names_people(ctx: Context, found: Found) -> bool:
    """True when a meeting noun's phrase names who met ("the meeting between X and Y")."""
    if found.rule.role != "meeting_noun":
        return False
    phrase = phrase_tokens(ctx.doc[found.trigger])
    return any(ctx.entities.get(i) and ctx.entities[i].label == "PERSON" for i in phrase)


def _round(span) -> str:
    """The round number of a mention of a round ("the fourth round")."""
    return ordinal_before(span, frozenset({"round", "rounds"})) if "round" in span.lemma_ else ""


def _when(found: Found, when: When | None, end: When | None, ctx: Context) -> When | None:
    """The mention's date: no end when the text dates an opening ("convened on 19 April"),
    its end from "ending on ..." when it gives one."""
    if when is not None and predicate(ctx.doc[found.trigger]).lemma_ in words("opening_verb"):
        when = When(when.start, "" if when.start == when.end else when.end, when.mod, when.text)
    if end is None:
        return when
    if when is None:
        return end
    return When(when.start, end.end, when.mod, f"{when.text} ... {end.text}")


def compatible_places(a: Where | None, b: Where | None) -> bool:
    """Whether two places can be the same: equal, or one missing or coarser."""
    if a is None or b is None:
        return True
    if a.country and b.country and a.country != b.country:
        return False
    return not (a.location and b.location and a.location != b.location)


@dataclass(eq=False)
class Draft:
    """An event being assembled (mutable, local to one extraction)."""

    event_type: str
    readings: list[Reading]
    statuses: list[tuple[str, bool]]
    subtype: str = ""
    when: When | None = None
    place: Where | None = None
    round: str = ""
    phase: str = ""
    identity: bool = False
    names: set[str] = field(default_factory=set)
    title: str = ""
    keys: set[str] = field(default_factory=set)
    topics: set[str] = field(default_factory=set)
    meeting: Draft | None = None
    fresh: bool = False  # no date, round or place name of its own: a meeting of its time
    guessed: bool = False  # dated by the narrative, not by its own words

    @classmethod
    def from_group(cls, event_type: str, group: list[Reading]) -> Draft:
        """A draft of the mentions of one sentence that tell one event."""
        draft = cls(event_type, [], [])
        for reading in group:
            draft.merge(cls._single(event_type, reading))
        named = any((r.place or r.round or r.phase) and r.role == "meeting_noun" for r in group)
        draft.fresh = not any(r.when for r in group) and not named
        return draft

    @classmethod
    def _single(cls, event_type: str, r: Reading) -> Draft:
        """A draft of one mention."""
        return cls(
            event_type, [r], [(r.status, r.explicit)], r.subtype, r.when,
            r.place, r.round, r.phase, r.identity,
        )  # fmt: skip

    @property
    def first(self) -> int:
        """Offset of the event's first mention."""
        return min(r.start for r in self.readings)

    @property
    def last(self) -> int:
        """Offset of the event's latest mention."""
        return max(r.start for r in self.readings)

    @property
    def paragraph(self) -> int:
        """Index of the paragraph of the event's latest mention."""
        return max(r.paragraph for r in self.readings)

    @property
    def status(self) -> str:
        """The event's status from those of its mentions (guidelines §1)."""
        found = {s for s, _ in self.statuses}
        if self.event_type == "agreement":
            return max(found, key=lambda s: AGREEMENT_RANK.get(s, 0), default="agreed")
        if any(s == "cancelled" and explicit for s, explicit in self.statuses):
            return "cancelled"
        return "held" if "held" in found else "planned"

    def merge(self, other: Draft) -> None:
        """Take in the mentions and slots of `other` (the earlier slots win, except a
        held meeting's date over a planned one's, and a more precise date)."""
        taken_up = self.status == "planned" and other.status == "held" and bool(self.readings)
        self.readings += other.readings
        self.statuses += other.statuses
        self.when = _better_when(self.when, other.when, taken_up)
        self.subtype = self.subtype or other.subtype
        self.place = finer(self.place, other.place)
        self.round, self.phase = self.round or other.round, self.phase or other.phase
        self.identity = self.identity or other.identity
        self.names |= other.names
        self.keys |= other.keys
        self.topics |= other.topics
        self.title = self.title or other.title

    def absorb(self, reading: Reading) -> None:
        """Take in an anaphoric mention ("there", "on that occasion") with no slots."""
        self.readings.append(reading)


def _better_when(old: When | None, new: When | None, taken_up: bool) -> When | None:
    """The date of an event after merging: an end date completes the old one; a held
    meeting's date replaces a planned one's; else the more precise date wins."""
    if old is None or new is None:
        return old or new
    if new.role == "end":
        return When(old.start, new.start, old.mod, f"{old.text} ... {new.text}")
    if taken_up:
        return new
    precision = (len(new.start), bool(new.end and new.end != new.start))
    return new if precision > (len(old.start), bool(old.end and old.end != old.start)) else old


def finer(old: Where | None, new: Where | None) -> Where | None:
    """The more precise of two compatible places (a city over its country)."""
    if old is None or (new is not None and not old.location and new.location):
        return new
    return old
