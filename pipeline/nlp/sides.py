"""Actors and sides of one document, decided from how the document tells them.

A side is a role in one text, not a property of an actor: the United States mediates
in one narrative and is a party in another. The entities spaCy and the gazetteer find
(people, organisations, states, nationalities) are given a canonical name for the
document (the gazetteer's where it has one; a surname is the person's fullest name
in the text, an acronym the name it was introduced with, "the Colombian government"
the Government of Colombia) and a side from the text: who negotiates with whom
("talks between Egypt and Israel") makes the two parties, who mediates, hosts,
chairs or facilitates makes a mediator; the gazetteer's side counts as a weak
prior. People take the side of the nationality in their phrase ("Egyptian President
Anwar Sadat"). The words are the classes `party_head`, `mediate_verb`,
`mediation_noun`, `agent_prep` and `government_noun` of event_lexicon.jsonl.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace

from spacy.tokens import Doc, Span, Token

from pipeline.events.mentions import words
from pipeline.models import Entity
from pipeline.nlp.entities import resolve_place

ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
BODY_LABELS = frozenset({"ORG", "GPE", "NORP"})
CONFLICT = ("government", "opposition")
ACRONYM = re.compile(r"[A-Z][A-Z.–-]{1,9}")
PRIOR = 0.5  # weight of the gazetteer's side against one telling of the text


def cast_sides(doc: Doc, entities: Sequence[Entity]) -> tuple[Entity, ...]:
    """Return `entities` (of `doc`, in text order) with document canonical names and
    the sides the document gives them; non-actors are returned unchanged."""
    named = _canonical_names(doc, entities)
    spans = [doc.char_span(e.char_start, e.char_end, alignment_mode="expand") for e in named]
    party, mediation = Counter(), Counter()
    for ent, span in zip(named, spans):
        if span is None or not _actor(ent):
            continue
        party[ent.canonical] += _parties_told(span)
        mediation[ent.canonical] += _mediation_told(span)
    roles = _roles(named, party, mediation)
    people: dict[str, str] = {}
    for ent, span in zip(named, spans):
        if span is not None and ent.label == "PERSON" and not people.get(ent.canonical):
            people[ent.canonical] = _nationality(doc, span, named, roles)
    people.update(_paired(named, spans, {**roles, **{k: v for k, v in people.items() if v}}))
    return tuple(
        replace(e, side=people.get(e.canonical) or roles.get(e.canonical, e.side))
        if _actor(e) and not (span is not None and _attributive(e, span))
        else e
        for e, span in zip(named, spans)
    )


def _attributive(ent: Entity, span: Span) -> bool:
    """A nationality word that only describes ("Israeli officials", "Soviet missiles")
    names no actor; "the Israelis" and "the Japanese negotiator" do."""
    root = span.root
    if ent.label != "NORP" or root.dep_ not in ("amod", "compound", "nmod"):
        return False
    return root.head.lower_ not in words("delegate_noun") | words("government_noun")


def _paired(
    named: Sequence[Entity], spans: Sequence[Span | None], sides: Mapping[str, str]
) -> dict[str, str]:
    """The side of a person without one who acts together with a person of one side
    ("Nixon and Soviet General Secretary Leonid Brezhnev signed"): the other side."""
    groups: dict[int, list[Entity]] = {}
    people = [(e, s) for e, s in zip(named, spans) if s is not None and e.label == "PERSON"]
    for (ent, span), (after, other) in zip(people, people[1:]):
        between = span.doc[span.end : other.start]
        joined = len(between) <= 5 and between[:1].text == "and" and _parties_told(other)
        if joined and span.sent.start == other.sent.start:  # "Nixon and Soviet ... Brezhnev"
            groups.setdefault(other.root.i, [after]).append(ent)
    for ent, span in people:
        if _parties_told(span):
            group = groups.setdefault(_conjunct_base(span.root).i, [])
            group.extend([] if ent in group else [ent])
    found: dict[str, str] = {}
    for group in groups.values():
        known = {sides.get(e.canonical, "") for e in group} & set(CONFLICT)
        unknown = [e for e in group if not sides.get(e.canonical)]
        if len(group) == 2 and len(known) == 1 and len(unknown) == 1:
            found[unknown[0].canonical] = next(s for s in CONFLICT if s not in known)
    return found


def _actor(ent: Entity) -> bool:
    """People, bodies, nationalities and states (a GPE that is a country, not a city)."""
    if ent.label not in ACTOR_LABELS:
        return False
    if ent.label != "GPE" or ent.source == "gazetteer" and ent.side:
        return True
    place = resolve_place(ent.canonical)
    return place is None or place[0] == place[1]


def _canonical_names(doc: Doc, entities: Sequence[Entity]) -> list[Entity]:
    """The entities with the names the document gives them in full: a model person's
    surname as its fullest form, an acronym as the name it follows in brackets, a
    nationality as its state when the document names that state."""
    full: dict[str, str] = {}
    acronyms: dict[str, str] = {}
    states = [e.canonical for e in entities if e.label == "GPE" and _actor(e)]
    text = doc.text
    governments = sorted(
        {e.canonical for e in entities if _governs(e.canonical) and " of " in e.canonical}
    )
    for ent in entities:
        if ent.label == "PERSON" and len(ent.canonical.split()) > 1:
            last = ent.canonical.split()[-1]
            if len(ent.canonical) > len(full.get(last, "")):
                full[last] = ent.canonical
        if ent.label == "ORG":
            follow = re.match(r"\s*\(([^()]{2,12})\)", text[ent.char_end : ent.char_end + 14])
            if follow and ACRONYM.fullmatch(follow.group(1)):
                acronyms.setdefault(follow.group(1), ent.canonical)
    result = []
    for ent in entities:
        name = ent.canonical
        if ent.source == "model" and ent.label == "PERSON" and len(name.split()) == 1:
            name = full.get(name, name)
        elif ent.label == "NORP":
            state = _state_of(name, states)
            if state and _governs(doc[_token_at(doc, ent)].head.lower_):
                result.append(replace(ent, canonical=f"Government of {state}", label="ORG"))
                continue  # "the Colombian government" names a body
            name = state or name
        elif ent.source == "model" and ent.label == "ORG" and _governs(name.split()[-1]):
            words_ = name.split()
            state = _state_of(words_[0], states) if len(words_) == 2 else ""
            unique = governments[0] if len(governments) == 1 and len(words_) == 1 else name
            name = f"Government of {state}" if state else unique
        elif ent.source == "model" and ent.label == "ORG":
            name = acronyms.get(name, name)
        result.append(replace(ent, canonical=name) if name != ent.canonical else ent)
    return sorted(result + _acronym_mentions(doc, result, acronyms), key=lambda e: e.char_start)


def _acronym_mentions(doc: Doc, entities: Sequence[Entity], acronyms: Mapping[str, str]) -> list:
    """Entities for the later uses of an acronym the text introduced ("... Guatemalteca
    (URNG)" ... "the URNG") that the model did not tag."""
    taken = {i for e in entities for i in range(e.char_start, e.char_end)}
    doc_id = entities[0].doc_id if entities else ""
    return [
        Entity(doc_id, t.idx, t.idx + len(t), t.text, "ORG", acronyms[t.text], "", "model")
        for t in doc
        if t.text in acronyms and t.idx not in taken
    ]


def _token_at(doc: Doc, ent: Entity) -> int:
    """The index of the last token of an entity."""
    span = doc.char_span(ent.char_start, ent.char_end, alignment_mode="expand")
    return span.end - 1 if span is not None else 0


def _state_of(nationality: str, states: Sequence[str]) -> str:
    """The state among `states` (one item per mention) whose name starts the nationality
    word ("Israelis": Israel, "Soviet": Soviet Union), the most named; "" when none."""
    word = nationality.casefold()
    counts = Counter(s for s in states if len(s) >= 4 and word.startswith(s.split()[0].casefold()))
    return min(counts, key=lambda s: (-counts[s], s)) if counts else ""


def _conjunct_base(token: Token) -> Token:
    """The first conjunct of a coordination the token is in ("Egypt" of "Egypt and Israel")."""
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head
    return token


def _phrase_head(span: Span) -> Token:
    """The span's root, or the government noun it modifies ("the Colombian government")."""
    root = span.root
    governed = root.dep_ in ("amod", "compound", "nmod") and _governs(root.head.lower_)
    return root.head if governed else root


def _parties_told(span: Span) -> int:
    """1 when the text tells the entity as one side of negotiations: "talks between X
    and Y", "X and Y signed/agreed/negotiated", "X negotiated with Y"."""
    token = _conjunct_base(_phrase_head(span))
    head = token.head
    if token.dep_ in ("amod", "compound", "poss") and head.lower_ in words("delegate_noun"):
        return 1  # "the Japanese negotiator", "Israeli, Egyptian and Syrian delegations"
    if token.dep_ == "pobj" and head.lower_ in ("between", "with"):
        return int(head.head.lemma_.lower() in words("party_head"))
    if token.dep_ in ("nsubj", "nsubjpass") and head.lemma_.lower() in words("party_head"):
        joined = any(c.dep_ == "conj" for c in token.children)
        coordinated = token is not _phrase_head(span) or joined
        partner = any(c.lower_ == "with" for c in head.children)  # "X negotiated with Y"
        return int(coordinated or partner)
    return 0


def _mediation_told(span: Span) -> int:
    """1 when the text tells the entity as a mediator or host: subject or agent of
    "mediate", "host", "chair", "facilitate"; owner of "mediation", "auspices"."""
    token = _conjunct_base(_phrase_head(span))
    head = token.head
    if token.dep_ == "nsubj" and head.lemma_.lower() in words("mediate_verb"):
        return 1
    if token.dep_ == "pobj" and head.lower_ in words("agent_prep"):
        verb = head.head
        if verb.lemma_.lower() in words("mediate_verb") and head.lower_ == "by":
            return 1
        return int(verb.lemma_.lower() in words("mediation_noun") and head.lower_ == "of")
    if token.dep_ == "poss" and head.lemma_.lower() in words("mediation_noun"):
        return 1
    return int(token.dep_ == "compound" and head.lemma_.lower() in words("mediation_noun"))


def _roles(
    named: Sequence[Entity], party: Mapping[str, float], mediation: Mapping[str, float]
) -> dict[str, str]:
    """The side of each actor's canonical name: the two most told parties are the two
    conflict sides (which is "government" by the gazetteer or the word, else first
    named), the actors told mediating are mediators, the rest keep the gazetteer's."""
    prior = {e.canonical: e.side for e in named if _actor(e) and e.side}
    scores: dict[str, tuple[float, float]] = {}
    for name in dict.fromkeys(e.canonical for e in named if _actor(e)):
        side = prior.get(name, "")
        p = party.get(name, 0) + (PRIOR if side in CONFLICT else 0)
        m = mediation.get(name, 0) + (PRIOR if side in ("mediator", "third_party") else 0)
        scores[name] = (p, m)
    labels = {e.canonical: e.label for e in named}
    bodies = [n for n, (p, m) in scores.items() if p > m and labels[n] in BODY_LABELS]
    order = {n: i for i, n in enumerate(bodies)}
    two = sorted(bodies, key=lambda n: (-scores[n][0], order[n]))[:2]
    roles = {n: s for n, s in prior.items() if s}
    roles.update({n: "mediator" for n, (p, m) in scores.items() if m > p and mediation.get(n)})
    if len(two) < 2 or set(CONFLICT) <= {prior.get(n) for n in scores}:
        return roles  # the gazetteer knows this conflict's sides
    first = next((n for n in two if prior.get(n) == "government" or _governs(n)), None)
    first = first or min(two, key=order.__getitem__)
    second = next(n for n in two if n != first)
    roles.update({first: "government", second: "opposition"})
    return roles


def _governs(name: str) -> bool:
    """Whether a body's name says it is a government ("Government of Guatemala")."""
    return bool(name) and name.split()[0].casefold() in words("government_noun")


def _nationality(doc: Doc, span: Span, named: Sequence[Entity], roles: Mapping[str, str]) -> str:
    """The side of a person from the nationality or state that modifies their phrase
    ("Egyptian President Anwar Sadat", "Soviet Premier Alexei Kosygin"), else ""."""
    by_start = {e.char_start: e for e in named}
    left = span.start
    while left > 0 and doc[left - 1].text[:1].isupper() and left > span.start - 4:
        left -= 1
        ent = by_start.get(doc[left].idx)
        if ent is not None and ent.label in BODY_LABELS and roles.get(ent.canonical) in CONFLICT:
            return roles[ent.canonical]
    return ""
