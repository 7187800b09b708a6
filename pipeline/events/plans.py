"""A planned meeting that takes place is the held one (guidelines §1), found after the
whole document is merged (merging step; works on records alone)."""

from __future__ import annotations

from dataclasses import replace

from pipeline.events.drafts import DocumentReading, Draft
from pipeline.events.meetings import PLANNED_WINDOW, compatible_subtypes, differ, reference


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
        if d.event_type == "meeting" and d.status == "held" and d.when is not None
        and d.place is not None and d.place.location == plan.place.location
        and not differ(d.round, plan.round)
        and (since is None or d.when.start >= since.start[: len(d.when.start)])
    ]  # fmt: skip
    kind = [d for d in found if compatible_subtypes(d.subtype, plan.subtype)]
    soon = [d for d in found if d.readings[0].paragraph - plan.paragraph <= PLANNED_WINDOW]
    return min(kind or soon, key=lambda d: d.when.start, default=None)
