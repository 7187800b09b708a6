"""The records of the event stage: what reading.py read, and the events merged from it.

A Reading is one matched mention read in its sentence: its status (modality.py),
its slots (slots.py) and the facts of the parse that merging and row building
need (token indices, the actors of its sentence), so that no Doc goes further.
A Clause is the mentions of one sentence that tell one agreement (clusters.py).
A DocumentReading is all of one document's. A Draft is one event assembled from
readings; it is frozen: merging makes a new Draft (`merged`) and never changes one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from types import MappingProxyType

from pipeline.events.mentions import Found
from pipeline.events.slots import When, Where
from pipeline.models import Entity, Mention

AGREEMENT_RANK = MappingProxyType({"signed": 3, "initialled": 2, "agreed": 1})


@dataclass(frozen=True)
class SentenceFacts:
    """What row building reads of a sentence: its character offsets, its actors (people,
    bodies, states with a side; once each, in text order), and whether it names the
    parties together ("the two sides") or speaks of leaders."""

    start: int
    end: int
    actors: tuple[Entity, ...]
    both_sides: bool
    leader_word: bool


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
    predicate: int  # token index of the mention's predicate
    heads: frozenset[int]  # token indices of the heads of its clause
    related: bool  # after a word relating it to another event ("prior to")
    facts: SentenceFacts
    leaders_before: tuple[tuple[str, str], ...]  # (side, person) last named before it
    indefinite: bool = False  # "a meeting", "a series of talks": a new event in the text
    bare: bool = False  # a plural with no determiner ("consultations would continue")
    ahead: bool = False  # after "prior to", "before": a meeting after its clause's time
    behind: bool = False  # "issues from the Tehran round": a meeting before its clause's time

    @property
    def event_type(self) -> str:
        """meeting or agreement."""
        return self.found.rule.event_type

    @property
    def role(self) -> str:
        """What the mention does (the rule's role)."""
        return self.found.rule.role

    @property
    def name(self) -> tuple[str, ...]:
        """The words of the capitalised name the mention is ("Madrid", "Peace", "Conference"
        of "the Madrid Peace Conference"), or () for a description ("the Washington talks")."""
        said = self.text.split()
        said = said[1:] if said and said[0].lower() in ("the", "a", "an") else said
        return tuple(said) if len(said) >= 2 and all(w[:1].isupper() for w in said) else ()

    def mention(self, event_id: str) -> Mention:
        """The Mention record ("" status for a mention that tells no event)."""
        shown = "" if self.status == "dropped" else self.status
        return Mention(
            self.doc_id, self.mention_id, self.event_type, self.subtype, shown,
            self.start, self.end, self.text, self.found.rule.id, event_id,
        )  # fmt: skip


@dataclass(frozen=True)
class Clause:
    """The agreement mentions of one sentence that tell one agreement, as the parse
    groups them, with what the parse says of the agreement: kind (echo, content, named,
    new, reference; see clusters.kind_of), "also" (one more agreement, not a
    restatement), subtype, the document's specific names, a title, the joint bodies
    (keys) and the topics it is about."""

    readings: tuple[Reading, ...]
    kind: str
    also: bool
    subtype: str
    names: frozenset[str]
    title: str
    keys: frozenset[str]
    topics: frozenset[str]

    def roles(self) -> set[str]:
        """The roles of the clause's mentions."""
        return {r.role for r in self.readings}


@dataclass(frozen=True)
class DocumentReading:
    """All that merging and row building read of one document: its mentions (document
    order), the agreement clauses of every sentence (sentence order), the dates that
    move the narrative (offset, date), the non-heading segments (start, section) and the
    two conflict sides' canonical bodies."""

    doc_id: str
    readings: tuple[Reading, ...]
    clauses: tuple[Clause, ...]
    timeline: tuple[tuple[int, When], ...]
    segments: tuple[tuple[int, str], ...]
    bodies: tuple[tuple[str, str], ...]  # (side, canonical body)


def compatible_places(a: Where | None, b: Where | None) -> bool:
    """Whether two places can be the same: equal, or one missing or coarser (a part of a
    country, "northern Afghanistan", is coarser than a city of that country)."""
    if a is None or b is None:
        return True
    if a.country and b.country and a.country != b.country:
        return False
    return not (_precise(a) and _precise(b) and a.location != b.location)


def _precise(place: Where) -> str:
    """The place's location below its country, "" for a country or a part of one named
    by the country ("northern Afghanistan", "the south of Lebanon")."""
    region = bool(place.country) and place.location.lower().endswith(place.country.lower())
    return "" if region else place.location


@dataclass(frozen=True)
class Draft:
    """One event assembled from readings. key: its place in the order events were
    started (-1 until merging files it); meeting: the key of the meeting an agreement
    was reached at."""

    event_type: str
    readings: tuple[Reading, ...]
    statuses: tuple[tuple[str, bool], ...]
    subtype: str = ""
    when: When | None = None
    place: Where | None = None
    round: str = ""
    phase: str = ""
    identity: bool = False
    names: frozenset[str] = frozenset()
    title: str = ""
    keys: frozenset[str] = frozenset()
    topics: frozenset[str] = frozenset()
    meeting: int | None = None
    fresh: bool = False  # no date, round or place name of its own: a meeting of its time
    guessed: bool = False  # dated by the narrative, not by its own words
    key: int = -1

    @classmethod
    def from_group(cls, event_type: str, group) -> Draft:
        """A draft of the mentions of one sentence that tell one event."""
        draft = cls(event_type, (), ())
        for reading in group:
            draft = draft.merged(cls._single(event_type, reading))
        named = any((r.place or r.round or r.phase) and r.role == "meeting_noun" for r in group)
        return replace(draft, fresh=not any(r.when for r in group) and not named)

    @classmethod
    def _single(cls, event_type: str, r: Reading) -> Draft:
        """A draft of one mention."""
        return cls(
            event_type, (r,), ((r.status, r.explicit),), r.subtype, r.when,
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
    def plan_dated(self) -> bool:
        """True for a held meeting dated only by its plan: no held mention has a date."""
        held = [r for r in self.readings if r.status == "held"]
        planned = any(r.status == "planned" and r.when for r in self.readings)
        return self.status == "held" and planned and not any(r.when for r in held)

    @property
    def status(self) -> str:
        """The event's status from those of its mentions (guidelines §1)."""
        found = {s for s, _ in self.statuses}
        if self.event_type == "agreement":
            return max(found, key=lambda s: AGREEMENT_RANK.get(s, 0), default="agreed")
        if any(s == "cancelled" and explicit for s, explicit in self.statuses):
            return "cancelled"
        return "held" if "held" in found else "planned"

    def merged(self, other: Draft) -> Draft:
        """A new draft with the mentions and slots of both (the earlier slots win, except
        a held meeting's date over a planned one's, and a more precise date)."""
        taken_up = self.status == "planned" and other.status == "held" and bool(self.readings)
        # its own words date a guessed event; a held opening day one dated by its plan
        dated = other.when is not None and (
            self.guessed or (self.plan_dated and other.status == "held" and opening(other.when))
        )
        return replace(
            self,
            readings=self.readings + other.readings,
            statuses=self.statuses + other.statuses,
            when=other.when if dated else _better_when(self.when, other.when, taken_up),
            guessed=self.guessed and not dated,
            subtype=self.subtype or other.subtype,
            place=finer(self.place, other.place),
            round=self.round or other.round,
            phase=self.phase or other.phase,
            identity=self.identity or other.identity,
            names=self.names | other.names,
            keys=self.keys | other.keys,
            topics=self.topics | other.topics,
            title=self.title or other.title,
        )

    def absorbed(self, reading: Reading) -> Draft:
        """A new draft with an anaphoric mention ("there", "on that occasion") added."""
        return replace(self, readings=(*self.readings, reading))


def opening(when: When) -> bool:
    """True for a date told as an opening day ("agreed to begin them on 30 November")."""
    return len(when.start) == 10 and not when.end


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
    if old is None or (new is not None and not _precise(old) and _precise(new)):
        return new
    return old
