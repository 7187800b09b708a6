"""Turn a merged event (drafts.Draft) into its Event row (guidelines §2).

The row's subtype, title, participants and mediators are decided here, from
all the mentions of the event: a meeting's subtype from its words and its
people ("direct talks" between the leaders: summit; one side with a mediator:
mediation), an agreement's title from the document's own name, the evidence
from its clearest mention. Reads the records alone (the readings' sentence
facts and the document's side bodies), never the Doc.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from pipeline.events.drafts import DocumentReading, Draft, Reading, SentenceFacts
from pipeline.events.slots import When, Where
from pipeline.models import CleanDocument, Entity, Event
from pipeline.nlp.entities import load_actors

MEETING_SUBTYPES = ("summit", "consultation", "round", "mediation")
CONFLICT_SIDES = frozenset({"government", "opposition"})
ACT_ROLES = frozenset({"content_act", "document_act"})
# head words that alone tell no event apart (issue: never "Agreement", "Negotiations")
BARE_TITLES = frozenset(
    {"agreement", "agreement to", "other", "negotiations", "talks", "meeting", "meetings",
     "consultation", "consultations", "mediation", "round", "summit", "dialogue"}
)  # fmt: skip
LEADING_WORDS = frozenset({"the", "a", "an", "this", "that", "these", "those", "their", "its"})


@lru_cache(maxsize=1)
def _hosts() -> frozenset[str]:
    """Canonical names of the states and bodies that may host or mediate."""
    return frozenset(a.canonical for a in load_actors() if a.side in ("mediator", "third_party"))


def row_of(
    story: DocumentReading, clean: CleanDocument, draft: Draft, event_id: str,
    events: Mapping[int, Draft],
) -> Event:  # fmt: skip
    """The Event row of a merged event; `events`: the document's events by key (for the
    meeting an agreement was reached at)."""
    best = evidence(draft)
    start, end = _clip(clean, best.facts.start, best.facts.end, best.start)
    when = draft.when or When("", "", "", "")
    place = draft.place or Where("", "")
    ctx = _Rows(dict(story.bodies), events)
    subtype = subtype_of(ctx, draft)
    participants, mediators = people(ctx, draft, subtype)
    mention_ids = ";".join(r.mention_id for r in sorted(draft.readings, key=lambda r: r.start))
    return Event(
        clean.doc_id, event_id, draft.event_type, subtype, draft.status, title_of(draft, subtype),
        when.start, _end(draft, when, subtype), when.mod, when.text, place.location,
        place.country, ";".join(sorted(participants)), ";".join(sorted(mediators)),
        draft.round if subtype == "round" else "", best.section,
        clean.text[start:end], start, end, clean.page_at(start), mention_ids,
    )  # fmt: skip


def evidence(draft: Draft) -> Reading:
    """The clearest mention: dated, placed, named, told by an act ("signed"), with a
    status cue; the first on ties."""

    def score(r: Reading) -> int:
        """How clearly a mention tells the event."""
        named = r.role == "document_name"
        act = r.role in ACT_ROLES and r.explicit
        return 4 * bool(r.when) + 2 * r.identity + 3 * named + 3 * act + r.explicit

    return max(sorted(telling(draft), key=lambda r: r.start), key=score)


def telling(draft: Draft) -> list[Reading]:
    """The mentions that tell the event rather than refer back to it: a meeting's
    mentions that say which meeting, an agreement's acts and asserted documents."""
    if draft.event_type == "meeting":
        found = [r for r in draft.readings if r.identity]
    else:
        found = [
            r
            for r in draft.readings
            if r.status not in ("reference", "") and r.role != "place_anaphor"
        ]
    return found or draft.readings


@dataclass(frozen=True)
class _Rows:
    """What row building reads beside an event: the two sides' bodies and the events."""

    bodies: Mapping[str, str]
    events: Mapping[int, Draft]


def subtype_of(ctx: _Rows, draft: Draft) -> str:
    """The event's subtype: agreements as assembled; meetings from their words, then
    from who takes part (both leaders: summit; one side and an outsider: mediation)."""
    if draft.event_type == "agreement":
        return draft.subtype or "other"
    named = [r.subtype for r in draft.readings if r.subtype]
    sides = _sides(ctx, draft)
    one_side = (len(sides) == 1 and _outsiders(ctx, draft)) or (not sides and _envoys(ctx, draft))
    if "mediation" in named or (one_side and not {"round", "summit"} & set(named)):
        return "mediation"
    if named and named[0] == "summit" and not sides and _outsiders(ctx, draft):
        return "mediation"  # a regional summit on the conflict, the parties absent
    for subtype in MEETING_SUBTYPES:
        if subtype in named:
            return subtype
    return "summit" if len(sides) == 2 and _leaders(ctx, draft) else "consultation"


def _leaders(ctx: _Rows, draft: Draft) -> bool:
    """True when the mention sentences speak of the leaders ("the two leaders") or name
    people of both sides."""
    sentences = _sentences(draft)
    people = {
        e.side for e in _actors(sentences) if e.label == "PERSON" and e.side in CONFLICT_SIDES
    }
    return len(people) == 2 or any(f.leader_word for f in sentences)


def _sides(ctx: _Rows, draft: Draft) -> set[str]:
    """The conflict sides whose people or bodies the sentences of the event's naming
    mentions (else of all its mentions) name."""
    sentences = _sentences(draft)
    found = {e.side for e in _actors(sentences) if e.side in CONFLICT_SIDES}
    if any(f.both_sides for f in sentences):
        found |= CONFLICT_SIDES
    return found


def _outsiders(ctx: _Rows, draft: Draft) -> bool:
    """True when the sentences telling the event name mediators or third parties."""
    return any(sides_of(ctx.bodies, [f])[1] for f in _sentences(draft))


def _sentences(draft: Draft) -> list[SentenceFacts]:
    """The sentences of the mentions telling the event, each once, in text order (an
    event told many times in one long sentence counts that sentence once)."""
    starts = {r.facts.start: r.facts for r in telling(draft)}
    return [starts[start] for start in sorted(starts)]


def _envoys(ctx: _Rows, draft: Draft) -> bool:
    """True when outsiders meet among themselves: the naming sentences name people of
    mediating or third states and no side ("a meeting between Clinton and Asad")."""
    return any(e.label == "PERSON" for e in _actors(_sentences(draft)))


def people(ctx: _Rows, draft: Draft, subtype: str) -> tuple[set[str], set[str]]:
    """(participants, mediators): the actors of the mention sentences by side, the host
    state of a meeting of the parties, and for an agreement the two sides and the
    mediators of the meeting where it was reached."""
    participants, mediators = set(), set()
    for sentence in _sentences(draft):
        named = sides_of(ctx.bodies, [sentence])
        participants, mediators = participants | named[0], mediators | named[1]
    if subtype == "summit":
        participants |= _leaders_named_before(ctx, draft)
    if draft.event_type == "agreement":
        participants |= set(ctx.bodies.values())
        if draft.meeting is not None:
            meeting = ctx.events[draft.meeting]
            meeting_subtype = subtype_of(ctx, meeting)
            at_meeting = people(ctx, meeting, meeting_subtype)
            mediators |= at_meeting[1]
            if meeting_subtype == "summit":  # the leaders reached it
                participants |= at_meeting[0]
    host = draft.place.country if draft.place else ""
    if draft.event_type == "meeting" and subtype != "mediation" and host in _hosts():
        mediators.add(host)
    return participants, mediators - participants


def _leaders_named_before(ctx: _Rows, draft: Draft) -> set[str]:
    """The people of each side last named in the paragraph up to a summit's first
    mention ("Rakhmonov and Nuri themselves intervened. At their meeting ..."), with
    their sides' bodies."""
    found = dict(min(telling(draft), key=lambda r: r.start).leaders_before)
    return set(found.values()) | {ctx.bodies[s] for s in found if s in ctx.bodies}


def title_of(draft: Draft, subtype: str) -> str:
    """The agreement's own name, else a description from its clearest mention; a bare
    head word ("Agreement", "Negotiations") is told apart by its place and date."""
    if draft.names:
        return max(sorted(draft.names), key=len)
    title = draft.title or _meeting_title(draft, subtype)
    if title.lower() not in BARE_TITLES:
        return title
    place = draft.place.location or draft.place.country if draft.place else ""
    when = draft.when.text if draft.when and draft.when.text else ""
    where = f" in {place}" if place else ""
    return f"{title}{where}{', ' + when if when else ''}" if (where or when) else title


def _meeting_title(draft: Draft, subtype: str) -> str:
    """A meeting's description: its name, else its longest naming mention; its phase
    and place."""
    nouns = [r for r in draft.readings if r.role == "meeting_noun" and r.identity]
    base = max(nouns, key=lambda r: (bool(r.name), len(r.text))).text if nouns else subtype
    words_ = base.split()
    while words_ and words_[0].lower() in LEADING_WORDS:
        words_ = words_[1:]
    title = " ".join(words_) or subtype
    if draft.phase and "phase" not in title:
        title += f", phase {draft.phase}"
    title = title[:1].upper() + title[1:]
    place = draft.place.location or draft.place.country if draft.place else ""
    if place and place not in title and title.lower() not in BARE_TITLES:
        title += f" ({place})"
    return title


def _end(draft: Draft, when: When, subtype: str) -> str:
    """date_end: empty for a round or consultation dated by one day (its opening)."""
    one_day = len(when.start) == 10 and when.end == when.start
    if draft.event_type == "meeting" and one_day and subtype in ("round", "consultation"):
        return ""
    return when.end


def _clip(clean: CleanDocument, start: int, end: int, inside: int) -> tuple[int, int]:
    """The sentence's offsets cut to the segment holding offset `inside`, stripped."""
    for segment in clean.segments:
        if segment.char_start <= inside < segment.char_end:
            start, end = max(start, segment.char_start), min(end, segment.char_end)
    text = clean.text[start:end]
    return start + len(text) - len(text.lstrip()), start + len(text.rstrip())


def _actors(sentences: Iterable[SentenceFacts]) -> list[Entity]:
    """The actor entities of the sentences, once each."""
    seen, found = set(), []
    for facts in sentences:
        for ent in facts.actors:
            if ent.char_start not in seen:
                seen.add(ent.char_start)
                found.append(ent)
    return found


def sides_of(
    bodies: Mapping[str, str], sentences: Iterable[SentenceFacts]
) -> tuple[set[str], set[str]]:
    """(participants, mediators) named in the sentences: conflict-side people and bodies
    (both bodies when the text speaks of "the parties", "the two sides"), and
    mediators and third parties."""
    sentences = list(sentences)
    participants, mediators = set(), set()
    for ent in _actors(sentences):
        if ent.side in bodies:
            participants |= {ent.canonical, bodies[ent.side]}
        else:
            mediators.add(ent.canonical)
    if any(f.both_sides for f in sentences):
        participants |= set(bodies.values())
    return participants, mediators
