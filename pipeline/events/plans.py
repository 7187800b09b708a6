"""One row per meeting, found after the whole document is merged (merging step; works on
records alone): a planned meeting that takes place is the held one (guidelines §1), and
a meeting named twice at its place and time is one meeting."""

from __future__ import annotations

from dataclasses import replace

from pipeline.events.drafts import DocumentReading, Draft
from pipeline.events.meetings import (
    PLANNED_WINDOW,
    compatible_subtypes,
    differ,
    held_at,
    reference,
)
from pipeline.events.slots import overlaps


def plans_held(story: DocumentReading, events: tuple[Draft, ...]) -> tuple[Draft, ...]:
    """The events with each planned meeting merged into the held one it became (guidelines
    §1): the first held meeting at the plan's own place that starts no earlier than the
    plan's date (or the narrative's date where the plan is told). Events in the order of
    their first mention."""
    merged = {d.key: d for d in events}
    for plan in (d for d in events if d.event_type == "meeting" and d.status == "planned"):
        held = _held_as_planned(plan, [merged[k] for k in merged if k != plan.key], story)
        if held is not None:
            title = held.title or plan.title
            merged[held.key] = replace(plan.merged(held), key=held.key, title=title)
            del merged[plan.key]
    return tuple(sorted(merged.values(), key=lambda d: d.first))


def _held_as_planned(plan: Draft, others: list[Draft], story: DocumentReading) -> Draft | None:
    """The first held meeting (in time) that `plan` became, or None. A plan's kind is told
    before the meeting ("the formal meeting in Moscow" the leaders' summit there turned
    out to be): with no held meeting of its kind, one told soon after the plan is it."""
    if plan.place is None or not plan.place.location:
        return None
    since = plan.when or reference(story, plan.first)
    found = [
        d for d in others
        if held_at(d, plan.place.location) and d.when is not None
        and not differ(d.round, plan.round)
        and (since is None or d.when.start >= since.start[: len(d.when.start)])
    ]  # fmt: skip
    kind = [d for d in found if compatible_subtypes(d.subtype, plan.subtype)]
    soon = [d for d in found if d.readings[0].paragraph - plan.paragraph <= PLANNED_WINDOW]
    return min(kind or soon, key=lambda d: d.when.start, default=None)


def named_once(events: tuple[Draft, ...]) -> tuple[Draft, ...]:
    """The events with held meetings given a name of one kind at one place and time merged
    into the first told ("the Madrid Peace Conference in October 1991" ... "The Madrid
    Conference opened October 30, 1991"): their other slots are guesses from the clause,
    the name is the meeting's own. Events in the order of their first mention."""
    kept: list[Draft] = []
    for event in sorted(events, key=lambda d: d.first):
        same = next((d for d in kept if _one_named(d, event)), None)
        if same is None:
            kept.append(event)
        else:
            kept[kept.index(same)] = replace(same.merged(event), key=same.key)
    return tuple(kept)


def _one_named(a: Draft, b: Draft) -> bool:
    """Whether two held meetings share a name's kind, their place and their dates."""
    if not all(d.event_type == "meeting" and d.status == "held" for d in (a, b)):
        return False
    placed = a.place is not None and a.place.location and a.place == b.place
    same_numbers = not differ(a.round, b.round) and not differ(a.phase, b.phase)
    named = bool(_name_heads(a) & _name_heads(b))
    return bool(placed) and same_numbers and named and overlaps(a.when, b.when)


def _name_heads(event: Draft) -> set[str]:
    """The head nouns of the event's names ("conference" of "the Madrid Peace Conference")."""
    return {r.name[-1].lower() for r in event.readings if r.name}
