"""Resolve the meeting mentions of one sentence into meeting events (merging step).

The meeting mentions of a sentence that tell one meeting are grouped (`group_meetings`);
each group joins the most recent compatible event (same type, overlapping dates, agreeing
places, rounds and phases; a held meeting takes up the planned one) or starts a new one;
an anaphoric mention ("the talks") only joins a recent event of its status. Works on
records alone: `board` maps each event's key to its current (frozen) Draft.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace

from pipeline.events.drafts import DocumentReading, Draft, Reading, compatible_places, opening
from pipeline.events.slots import When, overlaps

PLANNED_WINDOW = 2  # paragraphs within which a held meeting takes up a planned one
PERIOD = re.compile(r"\b(\d{4})\s*[–-]\s*(\d{4})\b")  # a heading's years: "1998–2002"


def group_meetings(readings: list[Reading]) -> list[list[Reading]]:
    """Group the meeting mentions of one sentence that tell one meeting: linked in the
    parse (one is in the clause of the other), compatible slots and statuses, and no
    "prior to", "after", "following" ... before either."""
    groups: list[list[Reading]] = []
    for reading in readings:
        target = next(
            (g for g in groups if all(_same_meeting(reading, other) for other in g)), None
        )
        if target is None:
            groups.append([reading])
        else:
            target.append(reading)
    return groups


def _same_meeting(a: Reading, b: Reading) -> bool:
    """Whether two mentions of one sentence can tell the same meeting."""
    if a.related or b.related or not _linked(a, b):
        return False
    if differ(a.round, b.round) or differ(a.phase, b.phase):
        return False
    if not compatible_subtypes(a.subtype, b.subtype):
        return False
    if a.status != b.status:
        return False
    if a.when and b.when and not overlaps(a.when, b.when):
        return False
    return compatible_places(a.place, b.place)


def differ(a: str, b: str) -> bool:
    """True when two round (or phase) numbers are both given and differ."""
    return bool(a and b and a != b)


def compatible_subtypes(a: str, b: str) -> bool:
    """Whether two meeting subtypes can be one meeting's ("consultations" held by a
    mediator with one side are a mediation)."""
    return not (a and b and a != b) or {a, b} == {"consultation", "mediation"}


def _linked(a: Reading, b: Reading) -> bool:
    """True when one mention stands in the clause of the other."""
    return a.predicate in b.heads or b.predicate in a.heads


def resolve_meeting(
    story: DocumentReading, board: dict[int, Draft], group: list[Reading]
) -> Draft | None:
    """Merge a group of meeting mentions into an event (found or new) on `board`; return
    it, or None when the group is anaphoric and has no antecedent."""
    merged = _in_period(Draft.from_group("meeting", group))
    now = reference(story, merged.first)
    drafts = list(board.values())
    after = reference(story, merged.readings[-1].facts.end) if _ahead(merged) else None
    behind = merged.when is None and all(r.behind for r in merged.readings)
    if behind and now is not None:  # "issues from the Tehran round": a meeting already over
        drafts = [d for d in drafts if _ended_before(d, now)]
    target = _find_meeting(drafts, merged, now, story.segments, after)
    if target is not None:
        board[target.key] = target.merged(merged)
        return board[target.key]
    if not merged.identity:
        return None
    if merged.when is None and merged.status == "held" and after is None and not behind:
        merged = replace(merged, when=now, guessed=True)  # a meeting "prior to" is later
    if merged.phase:
        merged = _inherit_round(drafts, merged)
    board[len(board)] = merged = replace(merged, key=len(board))
    return merged


def _find_meeting(
    drafts: list[Draft], new: Draft, now, segments, after: When | None = None
) -> Draft | None:
    """The most recent meeting event `new` can join, or None (`segments`: the document's
    (start, section) of each non-heading paragraph). A meeting told by a verb
    or by its people ("visited Dushanbe", "Rakhmonov and Nuri's meeting") without a
    date or a name of its own is a meeting of the narrative's time: it joins only an
    event of that time. So does one that names a place but no date ("the talks in
    Tehran") when the event has neither a place nor a date of its own words (it would
    join by nothing they share). An end told alone ("ended the peace talks on 21 February
    2002") ends only a meeting last told in its own section: a section of the narrative
    tells its own period, and a meeting begun in an earlier one is not still open. A
    meeting told after "prior to" joins none that ended before `after`, the date its
    sentence reaches."""
    recent = [d for d in sorted(drafts, key=lambda d: -d.last) if d.event_type == "meeting"]
    # a definite description repeating a meeting's words names it, however far back
    named = [d for d in recent if _named_again(d, new)]
    named = next((d for d in named if _joins(d, replace(new, identity=True))), None)
    if named is not None:
        return named
    for draft in recent:
        if not _joins(draft, new):
            continue
        if (
            _ends_after(draft, new)
            and not overlaps(draft.when, new.when)
            and _apart(segments, draft, new)
        ):
            continue
        unshared = new.when is None and new.place and draft.place is None and draft.guessed
        still_planned = draft.status == new.status == "planned"  # a plan told again, put off
        if still_planned and _overtaken(draft, drafts):
            continue  # a plan the narrative has since seen held is no plan told again
        if (
            (new.fresh or unshared)
            and not still_planned
            and now is not None
            and draft.when
            and not overlaps(draft.when, now)
        ):
            continue
        if after is not None and _ended_before(draft, after):
            continue  # "Prior to the Moscow round, ... met on 20 February": no past round
        brought_in = new.when is None and all(r.indefinite for r in new.readings)
        if brought_in and now is not None and draft.when and not overlaps(draft.when, now):
            continue  # "Beginning in October, a series of talks in Washington broke down"
        return draft
    return None


def _ended_before(draft: Draft, when: When) -> bool:
    """True when the event is dated and over before `when` begins."""
    return bool(draft.when) and not overlaps(draft.when, when) and draft.when.start < when.start


def _ahead(new: Draft) -> bool:
    """True for an undated meeting told after "prior to" or "before"."""
    return new.when is None and all(r.ahead for r in new.readings)


def _overtaken(plan: Draft, drafts: list[Draft]) -> bool:
    """True when a meeting held at the plan's place was told after the plan: that meeting
    is what became of it (plans.py), so a plan told later ("agreeing to meet again on 26
    February in either Moscow or Tehran" after the summit in Moscow) is a new one."""
    if plan.place is None or not plan.place.location:
        return False
    return any(held_at(d, plan.place.location) and d.first > plan.last for d in drafts)


def held_at(draft: Draft, location: str) -> bool:
    """True for a held meeting at `location`."""
    held = draft.event_type == "meeting" and draft.status == "held"
    return held and draft.place is not None and draft.place.location == location


def _named_again(old: Draft, new: Draft) -> bool:
    """True when an undated "the <words>" repeats the words of one of the event's mentions
    ("the outcome of the preliminary meeting between ..." after "met in Khusdeh ... for a
    preliminary meeting"): a definite description of the meeting told before."""

    def words_of(text: str) -> str:
        return " ".join(text.lower().split()[1:])

    told = {words_of(r.text) for r in old.readings if r.text.lower().startswith(("a ", "an "))}
    again = [r for r in new.readings if r.text.lower().startswith("the ")]
    repeated = again and all(
        any(words_of(r.text) == t or words_of(r.text).startswith(t + " of ") for t in told)
        for r in again
    )
    return bool(repeated) and new.when is None and len(again[0].text.split()) >= 3


def _joins(old: Draft, new: Draft) -> bool:
    """Whether meeting mentions `new` tell the meeting of event `old`."""
    if not new.identity and (new.paragraph - old.paragraph > 1 or new.status != old.status):
        return False  # an anaphor names a recent event of its own kind
    if not new.identity and all(r.bare for r in new.readings):
        return False  # "consultations would continue": no determiner, no anaphor
    if (old.status == "cancelled") != (new.status == "cancelled") and old.status != "planned":
        return False  # a meeting that did not take place is none of those that did
    if new.status == "planned" and old.status != "planned":
        return _plan_dates(old, new)  # "the next round" is none of the meetings already held
    if differ(old.round, new.round) or differ(old.phase, new.phase):
        return False
    if not compatible_subtypes(old.subtype, new.subtype):
        return False
    if new.round and not old.round and old.subtype != "round" and old.status != "planned":
        return False  # "the fourth round" is a round, not any meeting
    if not compatible_places(old.place, new.place):
        return False
    if old.status == "planned" and new.status == "held":
        return _takes_up(old, new)
    if old.when is None or new.when is None:
        return True
    return overlaps(old.when, new.when) or _ends_after(old, new) or _postponed(old, new)


def _postponed(old: Draft, new: Draft) -> bool:
    """True when `old` is held but dated only by its plan and `new` opens it later
    ("to hold them in a continuous round, beginning on 18 September" ... "the
    continuous round" convened ... "agreed to begin them on 30 November")."""
    later = new.when.start >= old.when.start
    return old.plan_dated and new.status == "held" and opening(new.when) and later


def _plan_dates(held: Draft, planned: Draft) -> bool:
    """Whether a plan told after a held meeting dates it: the held one has only the
    narrative's date, the plan names its place and a date not before it ("continued to
    meet for bilateral talks in Washington" ... "would begin in Washington in December
    1991")."""
    placed = held.place is not None and planned.place == held.place
    later = planned.when is not None and held.when is not None
    return held.guessed and placed and later and planned.when.start >= held.when.start


def _takes_up(planned: Draft, held: Draft) -> bool:
    """Whether a held meeting is the planned one: the same round number, or told soon
    after the plan, not before its planned date and not brought in by "a"."""
    if planned.round and planned.round == held.round:
        return True
    if held.readings[0].indefinite:
        return False  # "had a series of meetings at Dushanbe": "a" brings in a new meeting
    if held.paragraph - planned.paragraph > PLANNED_WINDOW:
        return False
    if planned.when is None or held.when is None:
        return True
    return overlaps(planned.when, held.when) or held.when.start >= planned.when.start


def _in_period(draft: Draft) -> Draft:
    """A meeting told only by its end ("ended the peace talks on 21 February 2002") in a
    section headed by a period ending that year ("1998–2002 peace process") ran through
    the period: it starts with the period's first year."""
    when = draft.when
    period = PERIOD.search(draft.readings[-1].section) if when and when.role == "end" else None
    if period is None or period.group(2) != when.start[:4]:
        return draft
    return replace(draft, when=When(period.group(1), when.start, when.mod, when.text))


def _apart(segments: tuple[tuple[int, str], ...], old: Draft, new: Draft) -> bool:
    """Whether the latest mentions of `old` and `new` stand in different sections."""
    sections = [
        segments[p][1] if 0 <= p < len(segments) else None for p in (old.paragraph, new.paragraph)
    ]
    return sections[0] != sections[1]


def _ends_after(old: Draft, new: Draft) -> bool:
    """True when `new` only gives the end of `old` ("ending on 22 December")."""
    return new.when is not None and new.when.role == "end" and old.when.start <= new.when.start


def _inherit_round(drafts: list[Draft], phase: Draft) -> Draft:
    """A new phase of a round with the number and venue of the round it belongs to."""
    parent = latest_event(drafts, "meeting", lambda d: bool(d.round) and d.subtype == "round")
    if parent is None or not compatible_places(parent.place, phase.place):
        return phase
    return replace(phase, round=phase.round or parent.round, place=phase.place or parent.place)


def latest_event(drafts: list[Draft], event_type: str, test) -> Draft | None:
    """The event of `event_type` with the most recent mention that passes `test`."""
    found = [d for d in drafts if d.event_type == event_type and test(d)]
    return max(found, key=lambda d: d.last) if found else None


def reference(story: DocumentReading, position: int, paragraph: int | None = None) -> When | None:
    """The date the narrative is at before `position` (the last date that moved it);
    with `paragraph` (an index among the non-heading segments), None when that date
    was given before the previous paragraph or in another section (a summary far
    from any date is not dated by it)."""
    index = bisect_right([p for p, _ in story.timeline], position)
    if not index:
        return None
    place, when = story.timeline[index - 1]
    segments = story.segments
    if paragraph is None or not 0 <= paragraph < len(segments):
        return when
    given = max(bisect_right([start for start, _ in segments], place) - 1, 0)
    far = paragraph - given > 1 or segments[given][1] != segments[paragraph][1]
    return None if far else when
