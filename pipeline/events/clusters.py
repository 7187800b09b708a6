"""Cluster the agreement mentions of one sentence into Clauses (part of the reading step).

An act of agreeing with its content ("agreed to create a forum", "an extension
of the ceasefire") is one agreement; a named document ("the Protocol on
Military Issues") is one, with the other names the sentence gives it ("commonly
referred to as the Oslo Accord"); an act that works on documents ("signed",
"initialed", "reached") gives them its status, or is an agreement of its own
("reached an agreement"). Each cluster becomes a frozen Clause with what the
parse says of its agreement: kind, subtype, names, title and what it is about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Token

from pipeline.events.drafts import Clause, Reading
from pipeline.events.mentions import words
from pipeline.events.slots import Context, phrase_tokens, shared_conjuncts
from pipeline.nlp.dates import lexicon

NAMED_ROLES = frozenset({"document_name", "document"})
DOCUMENT_ROLES = NAMED_ROLES | {"document_new", "document_ref"}
PLACE_OR_PERSON = frozenset({"GPE", "LOC", "FAC", "PERSON", "NORP", "DATE"})
TITLE_WORDS = 12


@dataclass
class Cluster:
    """The mentions of one sentence that tell one agreement, while they are grouped
    (local to one call of `clusters`)."""

    readings: list[Reading]
    also: bool = False  # "also agreed": one more agreement, not a restatement

    def roles(self) -> set[str]:
        """The roles of the cluster's mentions."""
        return {r.role for r in self.readings}


def kind_of(cluster: Cluster, doc) -> str:
    """echo ("as had been agreed at the third round": an agreement told before), content
    (an act of agreeing), named (a document's name), new (a document an act makes:
    "reached an agreement") or reference ("the protocol", "the agreement")."""
    roles = cluster.roles()
    if any(_echo(doc[r.found.trigger]) for r in cluster.readings if r.role == "content_act"):
        return "echo"
    if "content_act" in roles:
        return "content"
    if roles & NAMED_ROLES:
        return "named"
    if "document_new" in roles or roles == {"document_act"}:
        return "new"
    return "reference"


def _echo(token: Token) -> bool:
    """True for "as (the sides) had agreed": a clause that recalls an agreement."""
    return any(c.dep_ == "mark" and c.lower_ == "as" for c in token.children)


def clusters(ctx: Context, readings: list[Reading]) -> list[Clause]:
    """Cluster the agreement mentions of one sentence (see the module docstring); return
    the Clauses in the order of their first mention."""
    doc = ctx.doc
    docs = [r for r in readings if r.role in DOCUMENT_ROLES]
    # a named document with its own date is one wherever it is told ("the negotiations that
    # led to the Israeli-Jordanian peace treaty of October 1994")
    docs = [r for r in docs if not _in_other_clause(doc[r.found.trigger]) or _dated_name(r)]
    found: list[Cluster] = []
    for content in sorted((r for r in readings if r.role == "content_act"), key=_size(doc)):
        _add(found, content, doc)
    for reading in sorted(docs, key=lambda r: r.role == "document_ref"):
        _add(found, reading, doc)
    for act in (r for r in readings if r.role == "document_act"):
        _attach_act(found, act, doc)
    for cluster in found:
        triggers = [doc[r.found.trigger] for r in cluster.readings]
        cluster.also = any(c.lower_ in words("addition_word") for t in triggers for c in t.children)
    ordered = sorted(found, key=lambda c: min(r.start for r in c.readings))
    return [_clause(ctx, cluster) for cluster in ordered]


def _dated_name(reading: Reading) -> bool:
    """True for a named document dated in its own phrase."""
    told = reading.status != "reference"
    return reading.role in NAMED_ROLES and reading.when is not None and told


def _size(doc):
    """Sort key: the larger phrase first."""
    return lambda r: -len(list(doc[r.found.trigger].subtree))


def _in_other_clause(token: Token) -> bool:
    """True inside a relative clause that tells something else ("which demarcated the
    shape of a final agreement")."""
    acts = words("sign_verb") | words("reach_verb") | {"agree"}
    return any(a.dep_ == "relcl" and a.lemma_ not in acts for a in [token, *token.ancestors])


def _add(found: list[Cluster], reading: Reading, doc) -> None:
    """Put a content or document mention in the cluster whose phrase holds it, else alone;
    an anaphor ("this agreement") joins the sentence's named document."""
    token = doc[reading.found.trigger]
    document = reading.role in DOCUMENT_ROLES
    for cluster in found:
        heads = [doc[r.found.trigger] for r in cluster.readings if r.role == "content_act"]
        inside = [h for h in heads if token.i in _own_phrase(h)]
        if any(not (document and _coordinated(token, h)) for h in inside):
            cluster.readings.append(reading)
            return
    named = [c for c in found if c.roles() & NAMED_ROLES]
    if named and (reading.role == "document_ref" or _alias(token)):
        named[-1].readings.append(reading)
        return
    found.append(Cluster([reading]))


def _coordinated(token: Token, head: Token) -> bool:
    """True when `token` stands in a coordinated branch below `head` ("agreement on the
    Charter and on an additional protocol"): another matter, so another agreement."""
    for ancestor in [token, *token.ancestors]:
        if ancestor.i == head.i:
            return False
        if ancestor.dep_ == "conj":
            return True
    return False


def _alias(token: Token) -> bool:
    """True for a name given as another name of a document ("a Declaration of
    Principles, commonly referred to as the Oslo Accord", or in apposition)."""
    link = token.head
    if token.dep_ == "pobj" and link.lower_ == "as":
        return link.head.lemma_ in words("alias_verb")
    if token.dep_ == "appos":  # "the Declaration of Principles (the so-called Oslo Accord)"
        return link.lower_ in words("document_noun")
    return token.dep_ == "oprd" and link.lemma_ in words("alias_verb")


def _own_phrase(token: Token) -> set[int]:
    """The token's subtree without its coordinated or apposed neighbours."""
    skip = {t.i for c in token.children if c.dep_ in ("conj", "appos", "cc") for t in c.subtree}
    return {t.i for t in token.subtree} - skip


def _noun_content(cluster: Cluster, doc) -> bool:
    """True for a cluster of an agreement noun ("an agreement on the CNR")."""
    return any(
        r.role == "content_act" and doc[r.found.trigger].pos_ == "NOUN" for r in cluster.readings
    )


def _attach_act(found: list[Cluster], act: Reading, doc) -> None:
    """Give an act its documents: those in its phrase, else the sentence's documents
    that no act works on yet, else the act alone is the agreement."""
    token = doc[act.found.trigger]
    # not what a coordinated verb only deliberated on ("signed a protocol on refugees, and
    # discussed a protocol on political problems")
    talked = {t for c in token.children if c.dep_ == "conj" and c.lemma_ in words("deliberate_verb")
              for t in c.subtree}  # fmt: skip
    # "the initialed text", "the Accords, signed by ...": the noun the act describes
    described = {token.head} if token.dep_ in ("amod", "acl") else set()
    scope = (set(token.subtree) - talked) | described
    nouns = [c for c in found if c.roles() & DOCUMENT_ROLES or _noun_content(c, doc)]
    mine = [c for c in nouns if any(doc[r.found.trigger] in scope for r in c.readings)]
    if not mine:
        mine = [c for c in found if "document_act" not in c.roles() and c.roles() - {"content_act"}]
    for cluster in mine:
        cluster.readings.append(act)
    if not mine:
        found.append(Cluster([act]))


def _clause(ctx: Context, cluster: Cluster) -> Clause:
    """The frozen Clause of a cluster, with its kind, subtype, names, title, key bodies
    and topics."""
    names = {_name(ctx, r) for r in cluster.readings if r.role in NAMED_ROLES}
    return Clause(
        tuple(cluster.readings), kind_of(cluster, ctx.doc), cluster.also,
        _subtype(ctx, cluster), frozenset(n for n in names if _specific(n)),
        _title(ctx, cluster), frozenset(_keys(ctx, cluster)), frozenset(_topics(ctx, cluster)),
    )  # fmt: skip


def _name(ctx: Context, reading: Reading) -> str:
    """A document's name; a noun coordinated under another's modifiers takes them ("the
    Moscow agreement and protocol": the Moscow protocol)."""
    token = ctx.doc[reading.found.trigger]
    if token.dep_ != "conj" or token not in shared_conjuncts(token.head):
        return plain_name(reading.text)
    shared = [t.text for t in token.head.lefts if t.dep_ in ("compound", "amod", "nmod")]
    return " ".join([*shared, token.text])


def _subtype(ctx: Context, cluster: Cluster) -> str:
    """ceasefire for a truce or its extension, protocol for a document, else other."""
    ceasefire = words("ceasefire_noun") | {"fire"}
    for r in cluster.readings:
        content = _content(ctx, r)
        if r.subtype == "ceasefire" or any(t.lower_ in ceasefire for t in content):
            return "ceasefire"
        if any(_halts_hostilities(t) for t in content):
            return "ceasefire"  # "a protocol aimed at halting the fighting"
    documents = [r for r in cluster.readings if r.role in DOCUMENT_ROLES]
    if any(_a_document(ctx.doc[r.found.trigger]) for r in documents):
        return "protocol"
    return "other" if cluster.roles() & {"content_act", "document_new"} else ""


def _halts_hostilities(token: Token) -> bool:
    """True for a verb of halting with hostilities as its object ("halting the fighting")."""
    objects = (c for c in token.children if c.dep_ in ("dobj", "nsubjpass"))
    halting = token.pos_ == "VERB" and token.lemma_ in words("halt_verb")
    return halting and any(o.lower_ in words("hostility_noun") for o in objects)


def _a_document(token: Token) -> bool:
    """True for a document rather than a point agreed on: a name, a singular document
    word other than a bare "agreement" ("the protocol", "a draft agreement"), not
    "an agreement on the release of prisoners" nor "agreements on lesser issues"."""
    if token.tag_ == "NNS":
        return False
    described = any(c.dep_ in ("amod", "compound", "nmod") for c in token.children)
    return token.is_title or token.lower_ != "agreement" or described


def _content(ctx: Context, reading: Reading) -> list[Token]:
    """The words of what was agreed: a verb's complements, a noun's phrase."""
    token = ctx.doc[reading.found.trigger]
    if token.pos_ != "VERB":
        return [ctx.doc[i] for i in sorted(phrase_tokens(token))]
    parts = [c for c in token.children if c.dep_ in ("ccomp", "xcomp", "prep", "dobj", "nsubjpass")]
    return [t for c in parts for t in c.subtree]


def _title(ctx: Context, cluster: Cluster) -> str:
    """A description from the clearest content mention: "Agreement to create a forum",
    "Extension of the ceasefire until ...", "Pledge to halt ongoing fighting"."""
    contents = [r for r in cluster.readings if r.role in ("content_act", "document_act")]
    if not contents:
        return ""
    token = ctx.doc[contents[0].found.trigger]
    document = _document_object(token)
    if document is not None:
        return _phrase_title(document)
    words_after = _content(ctx, contents[0]) if token.pos_ == "VERB" else list(token.subtree)
    tail, expected = [], token.i + 1
    for t in sorted(words_after, key=lambda t: t.i):
        if t.i < expected:
            continue
        if t.i > expected or (t.is_punct and t.text != "-") or len(tail) >= TITLE_WORDS:
            break  # the phrase ends at a gap, a punctuation mark or the length limit
        tail, expected = [*tail, t], t.i + 1
    while tail and tail[-1].pos_ in ("ADP", "CCONJ", "DET"):
        tail = tail[:-1]  # "on the Charter ... and on": the phrase stops mid-way
    said = "".join(t.text_with_ws for t in tail)
    tail_text = re.sub(r"^(?:(?:an?|the) )?(?:agreement|accord|deal) ", "", said)
    text = re.sub(r"\s+", " ", f"{_title_head(token)} {tail_text}").strip()
    return text[:1].upper() + text[1:]


def _document_object(verb: Token) -> Token | None:
    """The document a verb signs or reaches ("signed a protocol on refugees"), or None;
    not a bare "agreement" whose content is told elsewhere ("an agreement was reached on")."""
    if verb.pos_ != "VERB" or verb.lemma_ not in words("sign_verb") | words("reach_verb"):
        return None
    objects = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
    documents = words("document_noun") | {"document", "documents", "deal", "framework"}
    return next((o for o in objects if o.lower_ in documents and _a_document(o)), None)


def _phrase_title(noun: Token) -> str:
    """A noun phrase as a title: from its first modifier to the end of its first
    prepositional phrase, without determiners, counts or reference marks
    ("a ceasefire accord with the President of Colombia", "a revised peace deal,[33]")."""
    kept = [t for t in noun.subtree if t.i >= noun.left_edge.i]
    tokens, expected = [], kept[0].i
    for t in kept:
        if t.i != expected or (t.is_punct and t.text != "-") or len(tokens) >= TITLE_WORDS:
            break
        tokens.append(t)
        expected = t.i + 1
    while tokens and (tokens[0].dep_ in ("det", "nummod", "poss") or tokens[0].like_num):
        tokens = tokens[1:]
    text = "".join(t.text_with_ws for t in tokens).strip() or noun.text
    return text[:1].upper() + text[1:]


def _title_head(token: Token) -> str:
    """The word a description starts with."""
    if token.pos_ != "VERB":
        return token.text
    if token.lemma_ in ("extend", "prolong", "renew"):
        return "Extension of"
    return "Pledge" if token.lemma_ in words("pledge_verb") else "Agreement"


def _keys(ctx: Context, cluster: Cluster) -> set[str]:
    """The joint bodies the agreement is about (entities of no side: "the CNR")."""
    keys = set()
    for reading in cluster.readings:
        for token in _content(ctx, reading):
            ent = ctx.entities.get(token.i)
            if ent is not None and ent.label == "ORG" and not ent.side:
                keys.add(ent.canonical)
    return keys


def _topics(ctx: Context, cluster: Cluster) -> set[str]:
    """The common nouns of what was agreed or of the document's name, singular, without
    words every agreement has ("agreement", "issue", "peace")."""
    topics = set()
    for reading in cluster.readings:
        tokens = _content(ctx, reading)
        if reading.role in NAMED_ROLES:
            tokens = list(reading.found.span(ctx.doc))
        for token in tokens:
            word = token.lower_.removesuffix("s")
            nouns = token.pos_ == "NOUN" or (token.pos_ == "PROPN" and token.is_title)
            if nouns and token.is_alpha and token.ent_type_ not in PLACE_OR_PERSON:
                topics.add(word)
    common = words("generic_noun") | words("meeting_noun")
    return {t for t in topics if t not in {g.removesuffix("s") for g in common}}


def plain_name(text: str) -> str:
    """A document's name as the text gives it, without its article and without a month
    the matcher took for a name ("the Israeli-Jordanian peace treaty of October")."""
    name = re.sub(r"^(the|a|an|this|that)\s+", "", " ".join(text.split()), flags=re.I)
    head, _, last = name.rpartition(" of ")
    return head if head and last.lower() in lexicon()["month"] else name


def name_key(name: str) -> str:
    """A name as a comparable key: lower case, singular words ("Oslo Accords")."""
    return " ".join(w.removesuffix("s") for w in name.lower().split())


def _specific(name: str) -> bool:
    """True for a name of two words or more ("the Agreement" names nothing)."""
    return len(name.split()) >= 2
