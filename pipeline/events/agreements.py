"""Resolve the agreement mentions of one sentence into agreement events.

Each cluster of mentions (clusters.py) joins an earlier event (the same name;
the antecedent of "the agreement", "the protocol"; an agreement on the same joint
body or topics; the document just signed, of which it tells a clause) or becomes
a new event placed at the meeting the narrative is at: it takes that meeting's
dates, place and mediators unless it has a date of its own.
"""

from __future__ import annotations

from pipeline.events.clusters import DOCUMENT_ROLES, Cluster, clusters, draft_of, kind_of, name_key
from pipeline.events.drafts import Draft, Reading, compatible_places, finer
from pipeline.events.slots import Context, When, during, overlaps

REFERENCE_WINDOW = 2  # paragraphs back an agreement anaphor may reach


def resolve(
    ctx: Context,
    drafts: list[Draft],
    readings: list[Reading],
    meeting: Draft | None,
    now: When | None,
) -> None:
    """Merge the agreement mentions of one sentence into `drafts` (found or new events).

    meeting: the held meeting the narrative is at, or None; now: the date the
    narrative is at, for an agreement that has neither its own date nor a meeting.
    """
    for cluster in clusters(ctx, readings):
        draft, kind = draft_of(ctx, cluster), kind_of(cluster, ctx.doc)
        at = draft.when or (meeting.when if meeting is not None else None)
        target = _target(drafts, cluster, draft, kind, at)
        if target is None and kind == "echo":
            target = _at_meeting(drafts, meeting)
        if target is not None and not _conflict(target, draft):
            _join(target, draft)
        elif _creates(cluster, draft, kind):
            _place_at(draft, _meeting_there(drafts, draft, meeting))
            draft.when = draft.when or now
            if draft.when is not None:
                drafts.append(draft)


def _join(target: Draft, draft: Draft) -> None:
    """Merge a cluster's draft into the event it mentions again."""
    if draft.names and not target.names and target.subtype != "ceasefire":
        target.subtype = draft.subtype  # the agreement turns out to be a document
    target.merge(draft)


def _target(
    drafts: list[Draft], cluster: Cluster, new: Draft, kind: str, at: When | None
) -> Draft | None:
    """The earlier agreement event the cluster mentions again, or None."""
    agreements = sorted((d for d in drafts if d.event_type == "agreement"), key=lambda d: -d.last)
    names = {name_key(n) for n in new.names}
    named = [d for d in agreements if names & {name_key(n) for n in d.names}]
    named = named or [d for d in agreements if _named_by_place(new, d)]
    if named:
        return named[0]
    if kind == "content":
        section = min(r.section for r in cluster.readings)
        return _same_content(agreements, new, at, section) or _clause_of(agreements, cluster, at)
    if kind == "reference":
        return _antecedent(agreements, new, cluster)
    if kind == "named" and "document_act" not in cluster.roles() and new.when is None:
        sentence = min(r.sentence for r in cluster.readings)
        untitled = [d for d in agreements if not d.names and sentence - _sentence(d) <= 1]
        return untitled[0] if untitled else None
    return None


def _at_meeting(drafts: list[Draft], meeting: Draft | None) -> Draft | None:
    """The latest agreement reached at `meeting`."""
    found = [
        d
        for d in drafts
        if d.event_type == "agreement" and meeting is not None and d.meeting is meeting
    ]
    return found[-1] if found else None


def _sentence(draft: Draft) -> int:
    """The index of the sentence of the event's latest mention."""
    return max(r.sentence for r in draft.readings)


def _clause_of(agreements: list[Draft], cluster: Cluster, at: When | None) -> Draft | None:
    """The document just signed, when an undated act of agreeing follows it in the same
    paragraph without "also" ("... signed a Declaration of Principles ... Both sides
    agreed that an Authority would be established": a clause of the Declaration)."""
    first = min(cluster.readings, key=lambda r: r.start)
    if at is not None or cluster.also or not agreements:
        return None
    latest = agreements[0]
    signed = latest.names and latest.status in ("signed", "initialled")
    close = latest.paragraph == first.paragraph and first.sentence - _sentence(latest) <= 2
    return latest if signed and close else None


def _named_by_place(new: Draft, old: Draft) -> bool:
    """ "the Tehran Agreement" for the agreement made at Tehran."""
    place = old.place.location.lower() if old.place and old.place.location else ""
    document = old.subtype in ("protocol", "ceasefire")
    return document and bool(place) and any(n.lower().startswith(place + " ") for n in new.names)


def _same_content(
    agreements: list[Draft], new: Draft, at: When | None, section: str
) -> Draft | None:
    """An earlier agreement on the same joint body ("the CNR") in the same month, or one
    whose topics are mostly the cluster's ("the arrangements for political guarantees":
    the Protocol on the Guarantees) in the same month, or for a summary with no date
    or meeting of its own, in the same section ("the basic principles")."""
    for draft in agreements:
        if new.keys & draft.keys and _same_month(at, draft.when):
            return draft
        kinds = {new.subtype, draft.subtype}
        shared = len(new.topics & draft.topics)
        if not shared or 2 * shared < len(new.topics) or "ceasefire" in kinds:
            continue
        if _same_month(at, draft.when) or (at is None and section in _sections(draft)):
            return draft
    return None


def _same_month(a: When | None, b: When | None) -> bool:
    """Whether `b` overlaps the months of `a`."""
    if a is None or b is None:
        return False
    return overlaps(When(a.start[:7], (a.end or a.start)[:7], "", ""), b)


def _sections(draft: Draft) -> set[str]:
    """The sections in which the event is mentioned."""
    return {r.section for r in draft.readings}


def _antecedent(agreements: list[Draft], new: Draft, cluster: Cluster) -> Draft | None:
    """The agreement an anaphor ("the protocol", "the ceasefire agreement", "the document
    they had initialed") names: the most recent of its kind within two paragraphs (or
    at its own date), one of the same status first."""
    wanted = new.status if new.status in ("signed", "initialled") else ""
    kinds = {"ceasefire"} if new.subtype == "ceasefire" else {"protocol", "other", ""}
    if new.when is not None or _generic(cluster):
        kinds |= {"ceasefire"}  # "the agreement of 17 September": any agreement of that day
    fitting = [
        d for d in agreements
        if d.subtype in kinds
        and (new.paragraph - d.paragraph <= REFERENCE_WINDOW or new.when is not None)
        and (new.when is None or overlaps(new.when, d.when))
    ]  # fmt: skip
    same = [d for d in fitting if wanted and d.status == wanted]
    return (same or fitting or [None])[0]


def _generic(cluster: Cluster) -> bool:
    """True when the cluster names its document by a generic word ("the agreement")."""
    nouns = [r.text.split()[-1].lower() for r in cluster.readings if r.role in DOCUMENT_ROLES]
    return bool(nouns) and all(n in ("agreement", "accord", "document") for n in nouns)


def _conflict(old: Draft, new: Draft) -> bool:
    """True for the same document initialled at one time and signed at another."""
    statuses = {old.status, new.status}
    apart = new.when is not None and old.when is not None and not overlaps(old.when, new.when)
    return statuses == {"initialled", "signed"} and apart


def _creates(cluster: Cluster, draft: Draft, kind: str) -> bool:
    """Whether a cluster that joined no event is an agreement of its own: an act or an
    act of agreeing told as fact, or a named document dated on its own."""
    asserted = [r for r in cluster.readings if r.status != "reference"]
    roles = {r.role for r in asserted}
    if kind in ("content", "new", "echo"):
        return bool(roles & {"content_act", "document_act"})
    if kind == "named":
        return bool(draft.names) and ("document_act" in roles or draft.when is not None)
    return bool(asserted) and draft.when is not None  # "the peace treaty of October 1994"


def _meeting_there(drafts: list[Draft], draft: Draft, meeting: Draft | None) -> Draft | None:
    """The meeting an agreement was reached at: the narrative's, unless the agreement
    names another place ("it had been agreed in Afghanistan"), then the latest held
    meeting there."""
    if draft.place is None or meeting is None or compatible_places(draft.place, meeting.place):
        return meeting
    there = [
        d for d in drafts
        if d.event_type == "meeting" and d.status == "held" and d.place is not None
        and compatible_places(d.place, draft.place)
    ]  # fmt: skip
    return max(there, key=lambda d: d.last, default=None)


def _place_at(draft: Draft, meeting: Draft | None) -> None:
    """Date and place a new agreement at the meeting where it was reached, unless it is
    dated on its own at another time. A meeting the narrative alone dated takes the
    agreement's own date and place; an open meeting runs to the agreement's date."""
    if meeting is None or meeting.when is None:
        return
    acted = any(r.role in ("document_act", "content_act") for r in draft.readings)
    if (
        acted
        and draft.when is not None
        and meeting.guessed
        and draft.when.start >= meeting.when.start
    ):
        meeting.when, meeting.guessed = draft.when, False
        meeting.place = meeting.place or draft.place
    if draft.when is not None and not _during(draft.when, meeting):
        return
    draft.meeting = meeting
    if draft.when is None:
        draft.when = meeting.when
    elif not meeting.when.end and draft.when.start > meeting.when.start:
        meeting.when = When(
            meeting.when.start, draft.when.start, meeting.when.mod, meeting.when.text
        )
    draft.place = finer(draft.place, meeting.place)


def _during(when: When, meeting: Draft) -> bool:
    """Whether an agreement's own date falls in the meeting."""
    return during(when, meeting.when)
