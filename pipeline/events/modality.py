"""Decide whether a mention tells a meeting or an agreement that happened (guidelines §1).

The cue words are data (resources/modality.jsonl, loaded by cues.py). A mention's status comes
from the words around its predicate: negation and modal auxiliaries on the
predicate, modifiers of the noun ("upcoming", "scheduled for"), and the words
that govern the predicate higher in the parse ("failed to", "came close to",
"tried to", "prevented ... from") up to the first word of success ("managed
to", "helped them"). Proposals, failures and intentions drop an agreement and
make a meeting `planned`; a meeting the text says did not take place is
`cancelled`.
"""

from __future__ import annotations

from collections.abc import Mapping

from spacy.tokens import Span, Token

from pipeline.events.cues import effect, forms
from pipeline.events.mentions import Found, both_sides, determined, words

DROPPED = "dropped"
REFERENCE = "reference"
DOCUMENT_ROLES = frozenset({"document_name", "document", "document_new", "document_ref"})
# Links the governor walk climbs: complements, adjuncts, prepositions, nominal heads.
CLIMB = frozenset(
    {"xcomp", "ccomp", "advcl", "pcomp", "prep", "pobj", "acl", "dobj", "attr", "acomp", "oprd"}
    | {"appos", "npadvmod", "nsubjpass", "nsubj", "conj", "agent", "amod", "compound"}
)
CONFLICT_SIDES = frozenset({"government", "opposition"})


def predicate(token: Token) -> Token:
    """The verb a mention depends on: the token itself for a verb, else the first verb
    above a noun (through prepositions and nominal heads); the root when none."""
    current = token
    while current.pos_ not in ("VERB", "AUX") and current.head.i != current.i:
        current = current.head
    if current.dep_ in ("aux", "auxpass") and current.head.i != current.i:
        return current.head  # "remains blocked"
    return current


def status(found: Found, doc_sides: Mapping[int, str], sentence: Span) -> tuple[str, bool]:
    """Read a Found in its parsed sentence; return (status, explicit).

    status is one of held / planned / cancelled (meetings), signed / initialled /
    agreed (agreements), "reference" (a document named where nothing is said to
    happen to it: it may name an event told elsewhere, never start one) or
    "dropped" (no event). explicit says whether a cue decided it rather than the
    default of a past narrative. doc_sides maps actor tokens to their side.
    """
    trigger = sentence.doc[found.trigger]
    kind, pred = found.rule.event_type, predicate(trigger)
    if kind == "meeting" and (_not_between_sides(trigger) or _manner(trigger)):
        return DROPPED, True
    negation = _negated(trigger, pred)
    if negation:
        occurs = negation == "negation" and pred.lemma_ in words("occur_verb")
        return ("cancelled" if kind == "meeting" and occurs else DROPPED), True
    cls = _modifier(trigger, pred) or _modal(trigger, pred)
    if not cls and not (kind == "meeting" and _setting(trigger)):
        cls = _governed(trigger, pred) or _infinitive(trigger, pred)
    elif not cls and _document_to_be_signed(pred):
        cls = _infinitive(trigger, pred)  # "a draft agreement to be signed at the meeting"
    if found.rule.role in DOCUMENT_ROLES:
        return _document_status(trigger, pred, cls, sentence)
    if cls:
        return effect(cls, kind), True
    if kind == "agreement":
        return _agreement_status(trigger, pred, found, doc_sides, sentence)
    explicit = pred.lemma_ in words("occur_verb") and pred.tag_ in ("VBD", "VBN", "VBZ", "VBP")
    return "held", explicit


def _document_to_be_signed(pred: Token) -> bool:
    """True for a passive infinitive on a document ("a draft agreement to be signed at
    the formal meeting"): the meeting it is set in lies ahead, unlike the setting of an
    act ("ways to restore the ceasefire in the third phase of the talks")."""
    passive = any(c.dep_ == "auxpass" for c in pred.children)
    return pred.dep_ == "relcl" and passive and pred.head.lower_ in words("document_noun")


def _not_between_sides(trigger: Token) -> bool:
    """True for a gathering that is not a meeting of sides (guidelines §1): one body's own
    ("FARC held its Seventh Guerrilla Conference"), a briefing of the press ("a press
    conference"), or a word inside an organisation's name ("the Organization of the
    Islamic Conference")."""
    if any(c.dep_ == "poss" and c.lower_ == "its" for c in trigger.children):
        return True
    if any(c.dep_ in ("compound", "amod") and _media(c) for c in trigger.children):
        return True  # "a joint press conference": the press is briefed, no sides meet
    named = trigger.dep_ == "pobj" and trigger.head.lower_ == "of" and trigger.is_title
    return named and trigger.head.head.is_title and trigger.head.head.pos_ == "PROPN"


def _media(token: Token) -> bool:
    """True for "press", "news", "media", also the last part of "joint-press"."""
    return token.lower_.rsplit("-", 1)[-1] in words("media_noun")


def _manner(trigger: Token) -> bool:
    """True for a manner phrase ("drafted ... in close consultation with the Special
    Representative"): how something was done, no meeting of its own."""
    bare = not determined(trigger)
    under_in = trigger.dep_ == "pobj" and trigger.head.lower_ == "in"
    return bare and under_in and trigger.lower_ in words("manner_noun")


def _setting(trigger: Token) -> bool:
    """True for a meeting named as the setting of something else ("restore the
    ceasefire in the third phase of the talks"): what governs it is not about it."""
    noun = trigger
    while noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.pos_ == "NOUN":
        noun = noun.head.head  # "in the third phase of the talks"
    if noun.dep_ != "pobj" or noun.head.lower_ not in words("setting_prep"):
        return False
    # "participate in the round" is about the round; "at the round", "in the phase of" set it
    return noun.head.lower_ != "in" or noun.lower_ in words("transparent_noun")


def _document_status(trigger: Token, pred: Token, cls: str, sentence: Span) -> tuple[str, bool]:
    """A named or described document: "reference" when the context is not factual
    (or names an earlier one), else the status of the verb that acts on it."""
    if cls == "reference":
        return DROPPED, True
    if cls or _failed_sentence(sentence):
        return REFERENCE, False
    drafted = any(c.lower_ in words("draft_word") for c in trigger.children)
    for word in (pred, *act_nouns(trigger), *(c for c in trigger.children if c.dep_ == "amod")):
        for name in ("initialled", "signed"):
            if word.lemma_ in forms(name) or word.lower_ in forms(name):
                return (REFERENCE, False) if drafted and name == "signed" else (name, True)
    return (REFERENCE, False) if drafted else ("agreed", False)  # a draft is no agreement


def act_nouns(trigger: Token) -> list[Token]:
    """The noun of a signing or initialling of the document, when the document is its
    "of" object ("the signing of the Declaration of Principles on September 13")."""
    link, acts = trigger.head, forms("signed") | forms("initialled")
    if trigger.dep_ == "pobj" and link.lower_ == "of" and link.head.pos_ == "NOUN":
        return [link.head] if link.head.lower_ in acts else []
    return []


def _negated(trigger: Token, pred: Token) -> str:
    """ "negation" when the predicate is negated or the noun has "no"."""
    if any(c.dep_ == "neg" and c.lower_ in forms("negation") for c in pred.children):
        return "negation"
    prep = trigger.head if trigger.dep_ == "pobj" else None
    if prep is not None and any(c.lower_ in forms("negation") for c in prep.children):
        return "negation_det"  # "(not for the round of negotiations)"
    if any(c.dep_ == "det" and c.lower_ in forms("negation_det") for c in trigger.children):
        return "negation_det"
    # "no agreement was reached", "reached no agreement": the act's object is negated
    objects = [c for c in trigger.children if c.dep_ in ("dobj", "nsubjpass")]
    negated = (d for o in objects for d in o.children if d.dep_ == "det")
    return "negation_det" if any(d.lower_ in forms("negation_det") for d in negated) else ""


def _modifier(trigger: Token, pred: Token) -> str:
    """A cue among the noun's own modifiers ("previous talks", "upcoming summit", "a
    meeting scheduled for ...") or in the preposition above it ("pending the talks")."""
    if trigger.pos_ == "VERB":
        return ""
    if _awaited(trigger):
        return "awaited"
    if any(_occurred(child) for child in trigger.children):
        return "occurred"  # "the newly convened talks"
    for child in trigger.children:
        if child.dep_ in ("amod", "acl", "relcl", "compound", "advmod"):
            if child.lower_ in forms("reference") and child.i < trigger.i:
                return "reference"  # "previous talks"; not "a meeting prior to a summit"
            if child.lemma_ in forms("planned") or child.lower_ in forms("planned"):
                return "planned"
    return "aftermath" if aftermath(trigger) else ""


def _occurred(child: Token) -> bool:
    """True for a past participle of occurring before or after the noun, with no auxiliary
    of its own ("the newly convened talks", "the talks held in May"; not "to be held")."""
    own = {c.dep_ for c in child.children}
    bare = child.tag_ == "VBN" and not own & {"aux", "auxpass"}
    return bare and child.dep_ in ("amod", "acl") and child.lemma_.lower() in forms("occurred")


def _awaited(trigger: Token) -> bool:
    """True for the object of a preposition of anticipation ("pending the talks", "ahead
    of the summit", "in the run-up to the talks"): a meeting still to come."""
    if trigger.dep_ != "pobj":
        return False
    prep = trigger.head
    word = prep.head if prep.lower_ in ("of", "to", "for") else prep
    return word.lower_ in forms("awaited")


def aftermath(trigger: Token) -> bool:
    """True for the object of "from" on a noun of what a meeting left ("outstanding issues
    from the Tehran round"): it presupposes the meeting took place, whatever mood the
    clause is in."""
    prep = trigger.head
    left = prep.head.lemma_.lower() in forms("aftermath")
    return trigger.dep_ == "pobj" and prep.lower_ == "from" and left


def _modal(trigger: Token, pred: Token) -> str:
    """ "modal" when the predicate has a modal auxiliary (see has_modal)."""
    return "modal" if has_modal(pred) else ""


def has_modal(verb: Token) -> bool:
    """True when the verb has a modal auxiliary ("would be held"), its own or that of the
    verb it is coordinated with ("would implement ... and conclude")."""
    return any(c.lower_ in forms("modal") for c in _auxiliaries(verb))


def _auxiliaries(verb: Token) -> list[Token]:
    """The auxiliaries of a verb, with those it shares with the verb it is coordinated to."""
    shared = list(verb.head.children) if verb.dep_ == "conj" else []
    return [c for c in [*verb.children, *shared] if c.dep_ in ("aux", "auxpass")]


def governors(pred: Token, trigger: Token) -> list[Token]:
    """The words above the predicate (the predicate itself unless it is the trigger or
    the trigger is its subject), climbing complements and adjuncts, never out of a
    relative clause, past (not onto) the first of coordinated verbs. A clause opened
    by a subordinator ("although", "while", "if") ends the climb with that word."""
    subject = trigger.dep_ == "nsubj" and trigger.head.i == pred.i
    chain = [] if pred.i == trigger.i or subject else [pred]  # "the meeting failed to ..."
    chain += [c for c in pred.children if c.dep_ in ("acomp", "oprd")]  # "remains blocked"
    current = pred
    while current.head.i != current.i and current.dep_ in CLIMB:
        marks = [c for c in current.children if c.dep_ == "mark"]
        if marks and current.dep_ == "advcl":
            return [*chain, *marks]
        coordinated = current.dep_ == "conj"
        current = current.head
        if not coordinated:  # "agreed ... and signed": the first verb does not govern
            chain.append(current)
    return chain


def _governed(trigger: Token, pred: Token) -> str:
    """The class of the first cue word governing the predicate ("failed to", "tried to
    help them reach"), or "". Above a "that" clause only words count, not the tense of
    the verb that reports it ("It will be recalled that the Agreement, signed ...")."""
    order = ("failure", "cancelled", "irrealis", "planned_governor")
    reported = False
    for word in governors(pred, trigger):
        if word.tag_ == "VBD" and word.lemma_ in forms("arranged_past"):
            return ""  # "UNMOT arranged a meeting between ...": the meeting took place
        if word.tag_ == "VBG" and word.lemma_ in forms("result"):
            return ""  # "..., culminating in the signing of": the result is told as fact
        for cls in order:
            if word.lemma_ in forms(cls) or word.lower_ in forms(cls):
                return cls
        modal = any(c.dep_ == "aux" and c.lower_ in forms("modal") for c in word.children)
        if word.i != pred.i and modal and not reported:
            return "modal"
        reported = reported or (
            word.dep_ == "ccomp" and any(c.lower_ == "that" for c in word.children)
        )
    return ""


def _infinitive(trigger: Token, pred: Token) -> str:
    """ "infinitive" for a predicate in the to-infinitive ("were to meet", "in order to
    sign") that no word of success governs."""
    if not any(c.lower_ in forms("infinitive") for c in _auxiliaries(pred)):
        return ""
    if any(w.lemma_ in forms("success") for w in governors(pred, trigger)):
        return ""
    return "infinitive"


def _agreement_status(
    trigger: Token, pred: Token, found: Found, doc_sides: Mapping[int, str], sentence: Span
) -> tuple[str, bool]:
    """signed / initialled / agreed from the act; dropped when one side alone acts, when
    a document is the subject ("It also extended the ceasefire": a clause of it) or the
    sentence tells that the agreement failed; "reference" for a noun ("an extension of
    the ceasefire") that no verb of reaching or producing governs."""
    verb = trigger if trigger.pos_ == "VERB" else pred
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    unilateral = verb.lemma_ in forms("unilateral") and _sides(verb, doc_sides) == "one"
    if unilateral or _failed_sentence(sentence):
        return DROPPED, True
    if verb.lemma_ in forms("unilateral_verb") and _sides(verb, doc_sides) != "both":
        return DROPPED, True
    if any(s.lower_ in forms("document_subject") for s in subjects):
        return DROPPED, True
    if trigger.pos_ != "VERB" and not _produced(trigger, pred):
        return REFERENCE, False
    for word in (trigger, verb):
        if word.lemma_ in forms("initialled") or word.lower_ in forms("initialled"):
            return "initialled", True
        if word.lemma_ in forms("signed") or word.lower_ in forms("signed"):
            return "signed", True
    return "agreed", False


def _produced(trigger: Token, pred: Token) -> bool:
    """True when a verb of reaching or producing governs an agreement noun, or a word
    that presupposes it ("Despite an agreement to calm the situation, ...")."""
    chain = [pred, *governors(pred, trigger)]
    presupposed = trigger.dep_ == "pobj" and trigger.head.lower_ in forms("presupposing")
    return presupposed or any(w.lemma_ in forms("producing") for w in chain)


def _failed_sentence(sentence: Span) -> bool:
    """True when a failure word governs a document noun ("failed to seal the agreement")."""
    nouns = words("document_noun")
    failures = (t for t in sentence if t.lemma_ in forms("failure_sentence"))
    return any(t.lower_ in nouns for f in failures for t in f.subtree if t.i != f.i)


def _sides(verb: Token, doc_sides: Mapping[int, str]) -> str:
    """ "both", "one" or "unknown": which conflict sides act as the verb's subject
    (with its "with" and "by" partners)."""
    actors = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "agent", "prep")]
    actors = [c for c in actors if c.dep_ != "prep" or c.lower_ == "with"]
    tokens = [t for c in actors for t in c.subtree]
    if any(both_sides(t) for t in tokens):
        return "both"
    sides = {doc_sides[t.i] for t in tokens if t.i in doc_sides}
    conflict = sides & CONFLICT_SIDES
    # the parties, or a party with its mediator ("the U.S. and Israeli delegations")
    if len(conflict) == 2 or (conflict and sides - conflict):
        return "both"
    if conflict or sides:  # one side, or third parties among themselves
        return "one"
    return "unknown"
