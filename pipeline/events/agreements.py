"""Resolve the agreement clauses of one sentence into agreement events (merging step).

Each clause (the mentions of one sentence that tell one agreement, clusters.py)
joins an earlier event (the same name; the antecedent of "the agreement", "the
protocol"; an agreement on the same joint body or topics; the document just
signed, of which it tells a clause) or becomes a new event placed at the meeting
the narrative is at: it takes that meeting's dates, place and mediators unless
it has a date of its own. Works on records alone: `board` maps each event's key
to its current (frozen) Draft, and a change is a new Draft put in its place.
"""

from __future__ import annotations

from dataclasses import replace

from pipeline.events.clusters import DOCUMENT_ROLES, name_key, plain_name
from pipeline.events.drafts import Clause, Draft, compatible_places, finer
from pipeline.events.slots import When, during, overlaps

REFERENCE_WINDOW = 2  # paragraphs back an agreement anaphor may reach


def resolve(
    board: dict[int, Draft], clauses: list[Clause], meeting: int | None, now: When | None
) -> None:
    """Merge the agreement clauses of one sentence into `board` (found or new events).

    meeting: the key of the held meeting the narrative is at, or None; now: the date the
    narrative is at, for an agreement that has neither its own date nor a meeting.
    """
    for cluster in clauses:
        draft, kind = draft_of(cluster), cluster.kind
        at_meeting = board[meeting] if meeting is not None else None
        drafts = list(board.values())
        at = draft.when or (at_meeting.when if at_meeting is not None else None)
        target = _target(drafts, cluster, draft, kind, at)
        if target is None and kind == "echo":
            target = _at_meeting(drafts, at_meeting)
        if target is not None and not _conflict(target, draft):
            board[target.key] = _join(target, draft)
        elif _creates(cluster, draft, kind):
            there = _meeting_there(drafts, draft, at_meeting)
            draft, there = _place_at(draft, there)
            if there is not None:
                board[there.key] = there
            draft = replace(draft, when=draft.when or now, key=len(board))
            if draft.when is not None:
                board[draft.key] = draft


def draft_of(cluster: Clause) -> Draft:
    """A draft of a clause, with its subtype, names, title and key bodies."""
    ordered = sorted(cluster.readings, key=lambda r: r.role != "document_act")
    draft = Draft.from_group("agreement", ordered)
    # an event's own date before the date that only describes a document it names
    dated = sorted((r for r in ordered if r.when), key=lambda r: r.status == "reference")
    return replace(
        draft, when=dated[0].when if dated else None, subtype=cluster.subtype,
        names=cluster.names, title=cluster.title, keys=cluster.keys, topics=cluster.topics,
    )  # fmt: skip


def _join(target: Draft, draft: Draft) -> Draft:
    """The event a clause's draft mentions again, with the draft merged in."""
    if draft.names and not target.names and target.subtype != "ceasefire":
        target = replace(target, subtype=draft.subtype)  # the agreement turns out a document
    return target.merged(draft)


def _target(
    drafts: list[Draft], cluster: Clause, new: Draft, kind: str, at: When | None
) -> Draft | None:
    """The earlier agreement event the cluster mentions again, or None."""
    agreements = sorted((d for d in drafts if d.event_type == "agreement"), key=lambda d: -d.last)
    named = [d for d in agreements if _same_name(new, d)]
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
    if kind == "new" and new.subtype == "ceasefire":  # undated: at the meeting's dates
        return _same_ceasefire(agreements, replace(new, when=new.when or at))
    if kind == "new":
        return _same_kind_of_document(agreements, new, cluster)
    return None


def _same_kind_of_document(agreements: list[Draft], new: Draft, cluster: Clause) -> Draft | None:
    """The named document a new unnamed one is, when the words of the new one end that
    name and the two have the same dates ("talks which produced a peace treaty by October
    1994" after "the Israeli-Jordanian peace treaty of October 1994"); a bare "an
    agreement" or one about a matter of its own ("a protocol on refugees") is none."""
    phrases = [r.text for r in cluster.readings if r.role == "document_new"]
    kinds = [name_key(plain_name(p)) for p in phrases if len(plain_name(p).split()) >= 2]
    own_matter = new.topics - {w for k in kinds for w in k.split()}
    if new.names or own_matter or new.when is None or not kinds:
        return None
    for draft in agreements:
        same_time = draft.when is not None and _span(draft.when) == _span(new.when)
        named = any(name_key(n).endswith(" " + k) for n in draft.names for k in kinds)
        if same_time and named:
            return draft
    return None


def _span(when: When) -> tuple[str, str]:
    """A date's start and end as the text gives them."""
    return when.start, when.end


def _same_ceasefire(agreements: list[Draft], new: Draft) -> Draft | None:
    """The ceasefire a newly told one tells again anywhere in the document: the parties
    have one ceasefire at a time, so a ceasefire of the same status, dates that overlap
    ("In June 2016 ... signed a ceasefire accord" in the summary, "On 23 June 2016 a
    ceasefire accord was signed" in its section) and places that agree is the same."""
    if new.when is None:
        return None
    for draft in agreements:
        same = draft.subtype == "ceasefire" and draft.status == new.status
        if same and overlaps(draft.when, new.when) and compatible_places(draft.place, new.place):
            return draft
    return None


def _same_name(new: Draft, old: Draft) -> bool:
    """Whether two agreements carry one document's name: the same name, or a proper name
    (two capitalised words or more) that ends the other's ("the Declaration of
    Principles" for "the Israeli-Palestinian Declaration of Principles"), at dates that
    agree; a generic "agreement" names no document."""
    for a in new.names:
        for b in old.names:
            if name_key(a) == name_key(b):
                return True
            short, long_ = sorted((a, b), key=len)
            proper = sum(w[:1].isupper() for w in short.split()) >= 2
            ends = name_key(long_).endswith(" " + name_key(short))
            dated = new.when is None or old.when is None or overlaps(new.when, old.when)
            if proper and ends and dated:
                return True
    return False


def _at_meeting(drafts: list[Draft], meeting: Draft | None) -> Draft | None:
    """The latest agreement reached at `meeting`."""
    found = [
        d
        for d in drafts
        if d.event_type == "agreement" and meeting is not None and d.meeting == meeting.key
    ]
    return found[-1] if found else None


def _sentence(draft: Draft) -> int:
    """The index of the sentence of the event's latest mention."""
    return max(r.sentence for r in draft.readings)


def _clause_of(agreements: list[Draft], cluster: Clause, at: When | None) -> Draft | None:
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
    """An earlier agreement on the same joint body ("the CNR", "a joint National Front
    candidate") or one whose topics are mostly the cluster's ("the arrangements for
    political guarantees": the Protocol on the Guarantees), in the same month or, for a
    clause with no date or meeting of its own, in the same section ("the basic
    principles")."""
    for draft in agreements:
        near = _same_month(at, draft.when) or (at is None and section in _sections(draft))
        if new.keys & draft.keys and near:
            return draft
        kinds = {new.subtype, draft.subtype}
        shared = len(new.topics & draft.topics)
        if not shared or 2 * shared < len(new.topics) or "ceasefire" in kinds:
            continue
        if near:
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


def _antecedent(agreements: list[Draft], new: Draft, cluster: Clause) -> Draft | None:
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


def _generic(cluster: Clause) -> bool:
    """True when the cluster names its document by a generic word ("the agreement")."""
    nouns = [r.text.split()[-1].lower() for r in cluster.readings if r.role in DOCUMENT_ROLES]
    return bool(nouns) and all(n in ("agreement", "accord", "document") for n in nouns)


def _conflict(old: Draft, new: Draft) -> bool:
    """True for the same document initialled at one time and signed at another."""
    statuses = {old.status, new.status}
    apart = new.when is not None and old.when is not None and not overlaps(old.when, new.when)
    return statuses == {"initialled", "signed"} and apart


def _creates(cluster: Clause, draft: Draft, kind: str) -> bool:
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


def _place_at(draft: Draft, meeting: Draft | None) -> tuple[Draft, Draft | None]:
    """Date and place a new agreement at the meeting where it was reached, unless it is
    dated on its own at another time; return the agreement and the meeting, new. A
    meeting the narrative alone dated takes the agreement's own date and place; an open
    meeting runs to the agreement's date."""
    if meeting is None or meeting.when is None:
        return draft, None
    acted = any(r.role in ("document_act", "content_act") for r in draft.readings)
    if (
        acted
        and draft.when is not None
        and meeting.guessed
        and draft.when.start >= meeting.when.start
    ):
        meeting = replace(
            meeting, when=draft.when, guessed=False, place=meeting.place or draft.place
        )
    if draft.when is not None and not _during(draft.when, meeting):
        return draft, meeting
    draft = replace(draft, meeting=meeting.key)
    if draft.when is None:
        draft = replace(draft, when=meeting.when)
    elif not meeting.when.end and draft.when.start > meeting.when.start:
        when = When(meeting.when.start, draft.when.start, meeting.when.mod, meeting.when.text)
        meeting = replace(meeting, when=when)
    return replace(draft, place=finer(draft.place, meeting.place)), meeting


def _during(when: When, meeting: Draft) -> bool:
    """Whether an agreement's own date falls in the meeting."""
    return during(when, meeting.when)


def at_final_dates(events: tuple[Draft, ...]) -> tuple[Draft, ...]:
    """The events with every agreement that has no date of its own words and was reached
    at a meeting given that meeting's dates as the whole document tells them (guidelines
    §2: a round whose end is told after the agreement, "lasted until 19 January")."""
    meetings = {d.key: d for d in events if d.event_type == "meeting"}
    return tuple(
        replace(d, when=meetings[d.meeting].when)
        if d.meeting in meetings and not any(r.when for r in d.readings)
        else d
        for d in events
    )
