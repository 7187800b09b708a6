"""The date of a mention from the time expressions of its sentence (timexes.py).

A time expression belongs to a mention when it stands in the mention's own phrase ("the
meeting between ... held in Tehran in November") or in the clause the mention is an
argument of ("met in Tehran on 18 June for the second round") — the attachment rules of
slots.py — never in a relative clause about something else, nor when it is a deadline
("until February 1995"), nor inside what an agreement provides for.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from pipeline.events.mentions import Found, words
from pipeline.events.modality import predicate
from pipeline.events.slots import (
    Context,
    When,
    anchor,
    attachment_rank,
    clause_heads,
    phrase_tokens,
    sentence_timexes,
)
from pipeline.nlp.dateroles import completed_by, lasted_until

PRONOUN_NUMBER = {"it": "singular", "they": "plural", "them": "plural"}
UNDATING = frozenset({"duration", "citation"})  # time expressions that date no event


def own_when(
    ctx: Context, found: Found, sentence: Span, phrase_only: bool = False
) -> tuple[When | None, When | None]:
    """The mention's own date and its own end date ("ending on ..."), or None; with
    phrase_only, only dates in the mention's own phrase count."""
    trigger = ctx.doc[found.trigger]
    phrase, heads = phrase_tokens(trigger), clause_heads(trigger)
    found_dates = []
    for timex, span in sentence_timexes(ctx, sentence):
        if timex.role in UNDATING:
            continue
        if _after_deadline_word(ctx, span):
            continue
        rank = attachment_rank(span.root, trigger, phrase, heads)
        if rank == 0 and found.rule.event_type == "meeting" and _told_by_pronoun(span, trigger):
            rank = 2  # "begin them on 30 November": the pronoun's verb is the mention's own
        lasted = _lasted_until(span, heads)
        rank = max(rank, 1) if lasted else rank
        if found.rule.event_type == "agreement" and agreed_content(span, trigger):
            continue  # "agreed to hold the next round in May": the date of what was agreed
        if rank == 2 or (rank == 1 and not phrase_only):
            ending = lasted or predicate(span.root).lemma_ in words("ending_verb")
            role = "end" if ending else "whole"
            end = _end(span, timex) if found.rule.event_type == "meeting" else timex.value_end
            when = When(timex.value_start, end, timex.mod, timex.text, role)
            found_dates.append((-rank, abs(span.start - trigger.i), when))
    # ties of rank and distance ("the 5 May Agreement of 1999") keep the text's order
    whole = sorted((d for d in found_dates if d[2].role == "whole"), key=lambda d: d[:2])
    ends = sorted((d for d in found_dates if d[2].role == "end"), key=lambda d: d[:2])
    return (whole[0][2] if whole else None), (ends[0][2] if ends else None)


def _end(span: Span, timex) -> str:
    """The end of a date, none on an opening verb ("convened on 19 April", "agreed to begin
    them on 30 November"): when a meeting opened, not its whole length."""
    opening = predicate(span.root).lemma_.lower() in words("opening_verb")
    return "" if opening and timex.value_start == timex.value_end else timex.value_end


def _told_by_pronoun(span: Span, trigger: Token) -> bool:
    """True when the date stands on an opening verb whose subject or object is a pronoun
    for the mention, the last meeting noun before it ("uncertainties about the venue of
    the talks ..., the parties agreed to begin them on 30 November")."""
    verb = anchor(span.root)
    if verb.lemma_.lower() not in words("opening_verb") or verb.i < trigger.i:
        return False
    number = "plural" if trigger.tag_ in ("NNS", "NNPS") else "singular"
    pronoun = next((c for c in verb.children if PRONOUN_NUMBER.get(c.lower_) == number), None)
    if pronoun is None or pronoun.dep_ not in ("dobj", "nsubj", "nsubjpass"):
        return False
    between = trigger.doc[trigger.i + 1 : pronoun.i]
    return not any(t.lower_ in words("meeting_noun") for t in between)


def _after_deadline_word(ctx: Context, span: Span) -> bool:
    """True when a limit word opens the date ("until March", "by 1 July"), but not a "by"
    after a result told as reached by then ("produced a peace treaty by October 1994")."""
    before = ctx.doc[span.start - 1] if span.start else None
    if before is None or before.lower_ not in words("deadline"):
        return False
    reached = before.lower_ == "by" and before.i == span.root.head.i
    lasted = before.i == span.root.head.i and lasted_until(before)
    return not (lasted or (reached and completed_by(before.head)))


def _lasted_until(span: Span, heads: set[int]) -> bool:
    """True for the end of the mention's meeting given by "lasted until X" on its verb or
    on a verb coordinated with it ("began on 6 January and lasted until 19 January")."""
    prep = span.root.head
    if prep.dep_ != "prep" or not lasted_until(prep):
        return False
    verb = prep.head
    return verb.i in heads or (verb.dep_ == "conj" and verb.head.i in heads)


def agreed_content(span: Span | Token, trigger: Token) -> bool:
    """True when a date or place is inside what an agreement provides for: a
    to-infinitive or a "that" clause below the agreement's word."""
    verb = predicate(span.root if isinstance(span, Span) else span)
    if verb.i == trigger.i or trigger not in verb.ancestors:
        return False
    return any(c.dep_ in ("aux", "mark") and c.lower_ in ("to", "that") for c in verb.children)
