"""The role of a time expression in the narrative (pure: a parsed span and its value in).

Computed once, in the time stage, and carried on every Timex (`role`): only a
"narrative" date moves the time stage's reference; the event stage also follows an
"attribute" ("the treaty of October 1994"), and "citation" and "document" dates date
no event. The words are data: `cited_document` and `reference_head` in
resources/timex_lexicon.jsonl.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from pipeline.nlp.dates import Value, lexicon

DEADLINE_WORDS = frozenset({"until", "till"})
LIMIT_WORDS = frozenset({"by", "before"})  # a deadline when they follow what they limit
NOUNS = frozenset({"NOUN", "PROPN"})
PREMODIFIER_DEPS = frozenset({"nmod", "compound", "amod", "nummod"})
MOVING_KINDS = frozenset({"explicit", "yearless", "relative"})
CITING_LINKS = frozenset({"of", "dated", "on"})  # "a statement by its President on 6 November"


def role_of(span: Span, value: Value) -> str:
    """What a time expression does in the narrative; only a "narrative" one moves it.

    Durations and counted dates ("two months earlier") name other times than
    the passage's; so do dates of cited documents ("my report of 16 September",
    "Letter dated 25 January 1995"), dates that modify a noun ("the November
    1994 presidential election"), a noun's dates given with "of" ("the line of
    June 4, 1967": role "attribute", which the event stage still follows, since
    "the treaty of October 1994" places its passage) and deadlines ("until
    February 1995", "conclusion of an agreement by 1 July 1997").
    """
    if value.type == "DURATION":
        return "duration"
    if value.kind not in MOVING_KINDS:
        return "counted"
    if _is_cited(span):
        return "citation"
    if _is_deadline(span):
        return "deadline"
    if _is_provision(span):
        return "provision"
    if is_modifier(span):
        return "modifier"
    return "attribute" if _is_attribute(span) else "narrative"


def _is_cited(span: Span) -> bool:
    """True for the date of a cited document: "<report|resolution|letter ...> of <date>",
    "<...> dated <date>", "<statement ...> on <date>"; not for a joint document the
    parties made ("the joint statement of") nor for the document's own date ("the present
    report, dated ...")."""
    root = span.root
    link = root.head
    if root.dep_ not in ("pobj", "npadvmod", "dobj", "nmod") or link.lower_ not in CITING_LINKS:
        return False
    noun = link.head
    if link.lower_ == "dated" and link.dep_ == "ROOT":  # a heading: "Letter dated 25 January"
        noun = next((c for c in link.children if c.dep_ in ("nsubj", "nsubjpass")), link)
    if any(c.lower_ in ("joint", "present", "this") for c in noun.children):
        return False
    if link.lower_ == "on" and noun.pos_ not in NOUNS:
        return False  # "reported on 13 February": the act, not a document's date
    return noun.lemma_.lower() in lexicon()["cited_document"] or _referred_to(noun)


def _referred_to(noun: Token) -> bool:
    """True for a document named as the ground of what is said ("in accordance with the
    protocol of 17 August 1995", "provided for in the protocol of ...", "under the
    agreement of ..."): an earlier document, not a move of the narrative."""
    if noun.dep_ != "pobj":
        return False
    prep = noun.head
    heads = lexicon()["reference_head"]
    return prep.lower_ in heads or prep.head.lemma_.lower() in heads


def is_modifier(span: Span) -> bool:
    """True when `span` modifies the noun after it ("Israel's May 1996 elections")."""
    root = span.root
    head = root.head
    if root.dep_ in PREMODIFIER_DEPS and head.i >= span.end and head.pos_ in NOUNS:
        return True
    # "a withdrawal to June 4, 1967 borders": the parser hangs the noun on the date
    after = span.doc[span.end] if span.end < len(span.doc) else None
    return after is not None and after.pos_ == "NOUN" and span.start <= after.head.i < span.end


def _is_attribute(span: Span) -> bool:
    """True when `span` is a noun's date given with "of" ("the treaty of October 1994")."""
    root = span.root
    return root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.pos_ in NOUNS


def _is_provision(span: Span) -> bool:
    """True for a date in what a document provides for, told in the present ("The latter
    provides for the cessation of hostilities as of midnight on 12 December"): the
    document's content, not a time the narrative reaches; so is a date in what the sides
    agreed to do."""
    verb = span.root
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    present = verb.tag_ in ("VBZ", "VBP")
    return (present and verb.lemma_.lower() in lexicon()["provision_verb"]) or _agreed_to(span)


def _agreed_to(span: Span) -> bool:
    """True for a date inside what the sides agreed or decided to do ("agreed to ... hold
    them in a continuous round, beginning on 18 September"): a to-infinitive or "that"
    clause below a verb of agreeing, up to that verb, out of no relative clause."""
    infinitive = False
    for word in span.root.ancestors:
        if word.lemma_.lower() in lexicon()["agreeing_verb"]:
            return infinitive
        if word.dep_ == "relcl":
            return False  # "talks which produced a treaty by October 1994": a fact of its own
        marks = {c.lower_ for c in word.children if c.dep_ in ("aux", "mark")}
        infinitive = infinitive or (word.pos_ == "VERB" and bool(marks & {"to", "that"}))
    return False


def _is_deadline(span: Span) -> bool:
    """True when `span` is a limit: "until X"; "by X" or "before X" attached to a noun or
    after the verb it limits ("to reach agreement by the end of December"), but not a
    clause-opening "By 1994, ..." that sets the scene."""
    root = span.root
    before = span.doc[span.start - 1].lower_ if span.start else ""
    prep = root.head if root.dep_ == "pobj" else None
    if before in DEADLINE_WORDS or (prep is not None and prep.lower_ in DEADLINE_WORDS):
        return not (prep is not None and lasted_until(prep))
    if prep is None or prep.lower_ not in LIMIT_WORDS:
        return False
    if prep.lower_ == "by" and completed_by(prep.head):
        return False
    return prep.head.pos_ in NOUNS or prep.i > prep.head.i


def lasted_until(prep: Token) -> bool:
    """True for "until X" after a verb of lasting in the simple past ("the talks ... lasted
    until 19 January"): the end of what lasted, not a limit set for it ("be continued
    until 6 March")."""
    verb = prep.head
    told = verb.tag_ == "VBD" and not any(c.dep_ in ("aux", "auxpass") for c in verb.children)
    lasting = verb.lemma_.lower() in lexicon()["lasting_verb"]
    return prep.lower_ in DEADLINE_WORDS and lasting and told


def completed_by(verb: Token) -> bool:
    """True for a verb in the simple past that "by X" follows ("talks which produced a
    peace treaty by October 1994"): a result told as reached by then, dated by X, unlike
    a limit set for what is still to come ("to reach agreement by the end of December")."""
    modal = any(c.dep_ == "aux" for c in verb.children)
    return verb.tag_ == "VBD" and not modal
