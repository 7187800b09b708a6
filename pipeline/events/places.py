"""Where a mention happens: the places of its phrase or clause (pure: the parsed sentence
and the entities in).

A place belongs to a mention when it stands in the mention's own phrase ("the Moscow
round", "talks in Tehran"), on a verb of its clause by "in"/"at" ("met in Tehran"), or
as the object of "visited"; a spot near or in a named place stands for that place ("in a
hotel 30 miles north of the Norwegian capital Oslo"). Places resolve through the
gazetteer ("the capital of Turkmenistan" is Ashgabat, Turkmenistan).
"""

from __future__ import annotations

from spacy.tokens import Token

from pipeline.events.mention_dates import agreed_content
from pipeline.events.mentions import Found, words
from pipeline.events.slots import (
    PLACE_LABELS,
    Context,
    Where,
    attachment_rank,
    clause_heads,
    phrase_tokens,
)
from pipeline.models import Entity
from pipeline.nlp.entities import resolve_place


def own_places(ctx: Context, found: Found, phrase_only: bool = False) -> list[Where]:
    """The places of the mention: in its phrase ("the Moscow round", "talks in Tehran")
    or attached to its predicate by "in"/"at" (or as the object of "visited")."""
    trigger = ctx.doc[found.trigger]
    phrase = phrase_tokens(trigger)
    heads = set() if phrase_only else clause_heads(trigger)
    places, seen = [], set()
    for token in trigger.sent:
        ent = ctx.entities.get(token.i)
        if ent is None or ent.label not in PLACE_LABELS or ent.char_start in seen:
            continue
        if found.rule.event_type == "agreement" and agreed_content(token, trigger):
            continue  # "pledging to halt the fighting in central Tajikistan"
        if _attached(ctx, token, trigger, phrase, heads):
            where = place_of(ent)
            if where is not None and not _subject_region(where, token):
                seen.add(ent.char_start)
                places.append(where)
    return places


def _attached(
    ctx: Context, token: Token, trigger: Token, phrase: set[int], heads: set[int]
) -> bool:
    """Whether a place token is where the mention happens: "in"/"at" on the mention or
    a verb of its clause (also through a date: "On 27 June in Moscow, ... signed"), the
    place of a meeting's name ("the Moscow round"), the object of "visited"."""
    root = token
    while ctx.entities.get(root.head.i) is ctx.entities.get(token.i) and root.head.i != root.i:
        root = root.head  # to the head word of the place name
    root = _site(root.head if root.dep_ == "appos" else root)  # "in Khusdeh, northern Afghanistan"
    link = root.head
    if any(c.lower_ in words("focus_adverb") for c in link.children):
        return False  # "especially in central Tajikistan" is where something else is
    if root.dep_ == "pobj" and link.lower_ in words("place_prep"):
        return attachment_rank(root, trigger, phrase, heads) > 0
    if root.dep_ == "pobj" and link.lower_ == "to" and trigger.lemma_ in words("travel_verb"):
        return link.head.i == trigger.i
    if root.dep_ in ("dobj", "conj") and trigger.lemma_ in words("visit_verb"):
        return trigger in root.ancestors
    named = root.dep_ in ("compound", "nmod") and root.head.i == trigger.i
    return named and trigger.lower_ not in words("document_noun")  # "the Khusdeh agreement"


def _subject_region(where: Where, token: Token) -> bool:
    """True for a region of no one country naming a meeting's subject ("an international
    Middle East peace conference"): the conference is about the region, held at a venue."""
    return where.country == "" and token.dep_ == "compound"


def _site(root: Token) -> Token:
    """The word a place stands in for when it names the site of a spot near or in it:
    "in a hotel 30 miles north of the Norwegian capital Oslo" (the hotel), "in the town of
    Garm" (the town); else the place word itself."""
    link = root.head
    if root.dep_ == "pobj" and link.lower_ == "of" and link.head.lower_ in words("settlement_noun"):
        root, link = link.head, link.head.head  # "the town of Garm"
    if root.dep_ == "pobj" and link.lower_ == "of" and link.head.lower_ in words("direction_word"):
        spot = link.head  # "north of", "the outskirts of"
        return spot.head if spot.dep_ in ("advmod", "npadvmod", "amod") else spot
    return root


def place_of(ent: Entity) -> Where | None:
    """The location and country of a place entity ("" location for a country)."""
    return _where(ent.canonical) or _where(ent.text)


def _where(name: str) -> Where | None:
    """The gazetteer's location and country of a place name ("" location for a country)."""
    resolved = resolve_place(name)
    if resolved is None:
        return None
    location, country = resolved
    return Where("" if location == country else location, country)


def place_in_name(ctx: Context, found: Found) -> Where | None:
    """The place a meeting's capitalised name begins with ("the Madrid Peace Conference",
    "the Camp David Summit": the model tags such a name as an organisation, a facility or
    a law, not as its place), or None."""
    trigger = ctx.doc[found.trigger]
    if not trigger.is_title or trigger.i == trigger.sent.start:
        return None
    span = found.span(ctx.doc)
    words = [t.text for t in span if t.is_title and t.i < trigger.i]
    places = (_where(" ".join(words[:size])) for size in range(len(words), 0, -1))
    return next((p for p in places if p is not None), None)
