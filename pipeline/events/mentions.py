"""Find mentions of meetings and agreements (guidelines §1) with spaCy's rule matchers.

The rules are data: resources/mention_patterns.jsonl (Matcher and DependencyMatcher
patterns, each with an id that every mention carries as its rule) and the word
classes of resources/event_lexicon.jsonl that patterns name as "@class". This
module only finds spans; modality.py decides whether each tells an event that
happened, slots.py, mention_dates.py and places.py read its slots.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from spacy.matcher import DependencyMatcher, Matcher
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from pipeline.rules import load_jsonl, load_lexicon

# Words a document name may start with only when the sentence does ("The", "Under").
NAME_EDGE = re.compile(r"^(?:[a-z]|-|–|The|This|That|A|An|Under|On|In|At|By|With|For)$")
LEFT_MODIFIERS = frozenset({"det", "amod", "compound", "nummod", "poss", "nmod", "punct"})
MODIFIER_DEPS = frozenset({"compound", "amod", "nmod", "poss"})
# Mentions of one family nested in a longer one of the family are dropped.
FAMILIES = MappingProxyType(
    {"meeting_noun": "noun", "document_name": "doc", "document": "doc", "document_new": "doc"}
    | {"document_ref": "doc"}
)


@dataclass(frozen=True)
class Rule:
    """One line of mention_patterns.jsonl."""

    id: str
    event_type: str
    role: str
    subtype: str
    matcher: str
    pattern: tuple
    trigger: int
    lookahead: int
    lookbehind: int
    subject: str
    object: str
    of: str
    example: str
    counter: str


@dataclass(frozen=True)
class Found:
    """A span a rule matched: token offsets in the Doc and the token that heads it."""

    rule: Rule
    start: int
    end: int
    trigger: int

    def span(self, doc: Doc) -> Span:
        """The matched span of `doc` (the Doc the Found was found in)."""
        return doc[self.start : self.end]


@lru_cache(maxsize=1)
def load_rules() -> tuple[Rule, ...]:
    """Read resources/mention_patterns.jsonl; return its rules in file order."""
    return tuple(
        Rule(
            id=r["id"],
            event_type=r["event_type"],
            role=r["role"],
            subtype=r.get("subtype", ""),
            matcher=r["matcher"],
            pattern=tuple(r["pattern"]),
            trigger=r.get("trigger", 0),
            lookahead=r.get("lookahead", 0),
            lookbehind=r.get("lookbehind", 0),
            subject=r.get("subject", ""),
            object=r.get("object", ""),
            of=r.get("of", ""),
            example=r["example"],
            counter=r.get("counter", ""),
        )
        for r in load_jsonl("mention_patterns.jsonl")
    )


def lexicon() -> Mapping[str, Mapping[str, object]]:
    """The event lexicon (resources/event_lexicon.jsonl): {class: {form: value}}, read-only."""
    return load_lexicon("event_lexicon.jsonl")


@lru_cache(maxsize=64)
def words(name: str) -> frozenset[str]:
    """The forms of one lexicon class."""
    return frozenset(lexicon().get(name, {}))


def _expand(attrs: dict) -> dict:
    """Return token attributes with every "@class" in an IN/NOT_IN list replaced by its forms."""
    expanded = {}
    for key, rule in attrs.items():
        if isinstance(rule, dict):
            rule = {
                op: sorted({w for item in items for w in _items(item)})
                if op in ("IN", "NOT_IN")
                else items
                for op, items in rule.items()
            }
        expanded[key] = rule
    return expanded


def _items(item: str) -> frozenset[str]:
    """The words an IN-list item stands for: a class's forms for "@class", else itself."""
    return words(item[1:]) if item.startswith("@") else frozenset({item})


@lru_cache(maxsize=4)
def matchers(vocab: Vocab) -> tuple[Matcher, DependencyMatcher]:
    """Build the token and dependency matchers over `vocab`, each rule under its id."""
    tokens, deps = Matcher(vocab), DependencyMatcher(vocab)
    for rule in load_rules():
        if rule.matcher == "token":
            tokens.add(rule.id, [[_expand(t) for t in rule.pattern]], greedy="LONGEST")
        else:
            nodes = [{**n, "RIGHT_ATTRS": _expand(n["RIGHT_ATTRS"])} for n in rule.pattern]
            deps.add(rule.id, [nodes])
    return tokens, deps


def find_mentions(doc: Doc) -> list[Found]:
    """Read a parsed Doc; return the spans the rules match, one per trigger token, in order.

    Spans of one trigger are joined ("fourth round" + "round of talks"); a meeting
    noun or a document inside another of its kind is dropped ("talks" inside
    "round of talks", "Tehran Agreement" inside "Protocol to the Tehran Agreement").
    """
    by_id = {rule.id: rule for rule in load_rules()}
    token_matcher, dep_matcher = matchers(doc.vocab)
    raw = [_from_tokens(doc, by_id[doc.vocab.strings[k]], s, e) for k, s, e in token_matcher(doc)]
    for key, nodes in dep_matcher(doc):
        raw.append(Found(by_id[doc.vocab.strings[key]], min(nodes), max(nodes) + 1, nodes[0]))
    kept = [f for f in raw if f is not None and _valid(doc, f)]
    return _nest(_join(kept))


def _from_tokens(doc: Doc, rule: Rule, start: int, end: int) -> Found | None:
    """Return the Found of a token-pattern match: its trigger, and its span without the
    rule's lookahead tokens, widened to a noun's left modifiers ("their Moscow meeting")
    or cut to a document's name."""
    if rule.role == "document_name":
        return _document_name(doc, rule, start, end)
    trigger = start + rule.trigger if rule.trigger >= 0 else end + rule.trigger
    end -= rule.lookahead
    start += rule.lookbehind  # "agreement and protocol": the conjunct alone
    if rule.role in ("meeting_noun", "document", "document_new", "document_ref"):
        start = min(start, _left_edge(doc[trigger]))
    return Found(rule, start, max(end, trigger + 1), trigger)


def _left_edge(token: Token) -> int:
    """Index of the first token of the trigger's contiguous left modifiers."""
    edge = token.i
    for child in reversed(list(token.lefts)):
        if child.dep_ not in LEFT_MODIFIERS or child.right_edge.i != edge - 1:
            break
        edge = child.left_edge.i
    while edge < token.i and (token.doc[edge].is_punct or token.doc[edge].is_space):
        edge += 1  # a modifier's subtree may open with the comma before it
    return edge


def _document_name(doc: Doc, rule: Rule, start: int, end: int) -> Found | None:
    """Cut a capitalised document-name match to the name: no leading sentence words or
    articles, no trailing function words or dates; None when only the noun is left."""
    nouns = words("document_noun")
    trigger = next(i for i in range(start, end) if doc[i].lower_ in nouns and doc[i].is_title)
    while start < trigger and NAME_EDGE.match(doc[start].text):
        start += 1
    if start == trigger:
        start = _before_parenthesis(doc, start)  # "the Taba (or "Oslo II") Agreement"
    dated = [i for i in range(trigger, end) if doc[i].ent_type_ == "DATE" or doc[i].like_num]
    end = min([end, *dated])
    while end > trigger + 1 and (doc[end - 1].is_lower or doc[end - 1].is_punct):
        end -= 1
    inside_name = start >= 2 and doc[start - 1].lower_ in ("of", "for") and doc[start - 2].is_title
    if end - start < 2 or inside_name:  # "Council of National Agreement" names a body
        return None
    return Found(rule, start, end, trigger)


def _before_parenthesis(doc: Doc, start: int) -> int:
    """The start of a name whose last word follows a parenthesis: the capitalised word
    before the "(" ("Taba (or "Oslo II") Agreement"), else `start`."""
    if start < 2 or doc[start - 1].text != ")":
        return start
    for i in range(start - 2, max(0, start - 10), -1):
        if doc[i].text == "(":
            return i - 1 if i and doc[i - 1].is_title else start
    return start


def _valid(doc: Doc, found: Found) -> bool:
    """Conditions a pattern cannot state: the rule's "of" class for the object of an
    "of" after the trigger ("round of talks", not "round of violence"), and "animate"
    subjects and objects of a verb ("the parties met", not "the proposal met with")."""
    token, rule = doc[found.trigger], found.rule
    if rule.of:
        objects = [g for c in token.children if c.lower_ == "of" for g in c.children]
        if any(g.dep_ == "pobj" and g.lower_ not in _items(rule.of) for g in objects):
            return False
    if rule.object == "animate" and not all(map(_animate, _dependants(token, ("dobj",)))):
        return False
    subjects = _dependants(token, ("nsubj", "nsubjpass"))
    if not subjects and token.dep_ in ("xcomp", "conj"):
        subjects = _dependants(token.head, ("nsubj", "nsubjpass"))
    return rule.subject != "animate" or all(map(_animate, subjects))


def both_sides(token: Token) -> bool:
    """True for a word naming the parties together ("the two sides", "both", "the Tajik
    parties"), not one of them ("the opposition leaders", "the government's delegation")."""
    if token.lower_ not in words("party_noun"):
        return False
    one = ("ORG", "PERSON", "GPE")  # a nationality ("Tajik") names no one side
    return not any(c.ent_type_ in one and c.dep_ in MODIFIER_DEPS for c in token.children)


def determined(token: Token) -> bool:
    """True for a noun with a determiner or possessor of its own ("the talks", "their
    meeting"), False for a bare one ("consultations", "protocol" in "the agreement and
    protocol")."""
    return any(c.dep_ in ("det", "poss") for c in token.children)


def _dependants(token: Token, deps: tuple[str, ...]) -> list[Token]:
    """The children of `token` with one of the dependency labels `deps`."""
    return [c for c in token.children if c.dep_ in deps]


def _animate(token: Token) -> bool:
    """A person, a body, a state or a group, a party noun ("the sides") or a pronoun."""
    return (
        token.ent_type_ in ("PERSON", "ORG", "GPE", "NORP")
        or token.lower_ in words("party_noun") | words("leader_noun")
        or (token.pos_ == "PRON" and token.lower_ not in ("it", "which", "that", "this"))
    )


def _join(found: list[Found]) -> list[Found]:
    """One Found per (event type, trigger): the union of the spans, the first rule in file order."""
    order = {rule.id: n for n, rule in enumerate(load_rules())}
    joined: dict[tuple[str, int], Found] = {}
    for f in sorted(found, key=lambda f: (order[f.rule.id], f.start)):
        key = (f.rule.event_type, f.trigger)
        first = joined.get(key, f)
        joined[key] = Found(first.rule, min(first.start, f.start), max(first.end, f.end), f.trigger)
    return sorted(joined.values(), key=lambda f: (f.start, f.trigger))


def _nest(found: list[Found]) -> list[Found]:
    """Drop meeting nouns inside another meeting noun, documents inside another document."""
    kept = []
    for f in found:
        family = FAMILIES.get(f.rule.role)
        inside = any(
            o is not f
            and FAMILIES.get(o.rule.role) == family
            and o.start <= f.trigger < o.end
            and (o.end - o.start) > (f.end - f.start)
            for o in found
        )
        if family is None or not inside:
            kept.append(f)
    return kept
