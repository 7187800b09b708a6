"""Find the time expressions of a document and anchor them in its narrative (guidelines §3).

Candidate spans come from spaCy's DATE entities and from the Matcher patterns
in resources/timex_patterns.jsonl. Each candidate is cut to the longest part
that `resolve` accepts; citation years and counts are dropped. The
spans are then normalised in document order against a running narrative
reference: the last date that tells when the passage's events happen. Dates
counted from that reference ("two months earlier") are resolved here;
everything else by `dates.normalise`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from functools import lru_cache

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans
from spacy.vocab import Vocab

from pipeline.models import DocumentDate, Timex, TimexFindings
from pipeline.nlp import dates
from pipeline.nlp.citations import is_citation_year
from pipeline.nlp.dateroles import is_modifier, role_of
from pipeline.nlp.dates import NO_REF, Ref, Value, lexicon
from pipeline.rules import load_jsonl

LOOK_BACK_WORDS = frozenset({"since"})  # "since the end of December": before the reference
START_SOURCES = frozenset({"masthead", "title"})  # document dates that start the narrative
CEILING_SOURCES = frozenset({"masthead", "manifest"})  # dates the document was written


def extract_timexes(doc: Doc, doc_id: str, when: DocumentDate | None = None) -> tuple[Timex, ...]:
    """The time expressions of `doc` (find_timexes without its warnings)."""
    return find_timexes(doc, doc_id, when).timexes


def find_timexes(doc: Doc, doc_id: str, when: DocumentDate | None = None) -> TimexFindings:
    """Find, normalise and anchor the time expressions of `doc` (a spaCy Doc of the cleaned text).

    `when` is the document's own date (doctime.py): a masthead or title date is
    the reference before the text gives one, and a masthead or manifest date is
    one no yearless date may pass. Returns one Timex per expression in document
    order, ids T0001, T0002, ..., each with its role in the narrative. An
    expression that needs a reference before there is one (a bare "in March" in
    the first sentence of an undated document) is left out; one whose date falls
    outside NARRATIVE_YEARS ("3000000 days later") is left out with a warning.
    """
    ref = Ref(when.doc_date, when.doc_date) if when and when.source in START_SOURCES else NO_REF
    ceiling = when.doc_date if when and when.source in CEILING_SOURCES else ""
    full_dates: dict[str, str] = {}
    found, dropped = [], []
    for span in find_spans(doc):
        value = _value(span, ref, full_dates)
        if value is None or value.kind == "impossible":
            dropped += [_impossible(span.text)] if value else []
            continue
        own = when is not None and span.start_char == when.char_start
        role = "document" if own else role_of(span, value)
        value = _in_past(value, span, ref, ceiling, role)
        found.append(_timex(doc_id, len(found) + 1, span, value, role))
        # a date of what was agreed or provided for gives the year when nothing else has
        moves = role == "narrative" or (role == "provision" and ref == NO_REF)
        moves = moves and not _beyond(value, ceiling)
        ref = Ref(value.start, value.end, value.mod) if moves else ref
        if value.kind == "explicit" and len(value.start) == 10:
            full_dates[value.start[5:]] = value.start
    return TimexFindings(tuple(found), tuple(dropped))


def _impossible(text: str) -> str:
    """The warning about a time expression dropped because its date is no date of the narrative."""
    low, high = dates.NARRATIVE_YEARS
    said = " ".join(text.split())
    return f'time expression "{said}" falls outside the years {low}-{high}: dropped'


def _timex(doc_id: str, number: int, span: Span, value: Value, role: str) -> Timex:
    """Return the Timex row of `span` with its normalised `value` and its `role`."""
    # span.text == doc.text[start_char:end_char]; doc.text is rebuilt on each access.
    start, end = span.start_char, span.end_char
    fields = (value.type, value.start, value.end, value.mod, value.anchor, role)
    return Timex(doc_id, f"T{number:04d}", start, end, span.text, *fields)


def find_spans(doc: Doc) -> list[Span]:
    """Read a parsed Doc; return its time-expression spans, trimmed, non-overlapping, in order."""
    candidates = [ent for ent in doc.ents if ent.label_ == "DATE"]
    candidates += [doc[start:end] for _, start, end in _matcher(doc.vocab)(doc)]
    kept = []
    for candidate in candidates:
        span = _trim(candidate)
        if span is not None and not is_citation_year(span) and not _is_count(span):
            kept.append(span)
    return sorted(filter_spans(kept), key=lambda span: span.start)


def _trim(span: Span) -> Span | None:
    """Return the longest (then leftmost) sub-span that is a time expression, or None.

    This drops what the guidelines leave out of a span ("another" in "another
    three months", "the" before "June 4, 1967") and rejects candidates such as
    "the third period" or page ranges that spaCy tags as DATE.
    """
    for length in range(len(span), 0, -1):
        for first in range(len(span) - length + 1):
            sub = span[first : first + length]
            if not (sub[0].is_punct or sub[-1].is_punct) and resolve(sub.text) is not None:
                return sub
    return None


@lru_cache(maxsize=4)
def _matcher(vocab: Vocab) -> Matcher:
    """Build a Matcher over `vocab` from timex_patterns.jsonl, each rule under its id."""
    matcher = Matcher(vocab)
    for row in load_jsonl("timex_patterns.jsonl"):
        matcher.add(row["id"], [[_expand(token) for token in row["pattern"]]])
    return matcher


def _expand(token: dict) -> dict:
    """Return a token pattern with every "@class" in an IN/NOT_IN list replaced by its words."""
    expanded = {}
    for key, rule in token.items():
        if isinstance(rule, dict):
            rule = {
                op: _words(items) if op in ("IN", "NOT_IN") else items for op, items in rule.items()
            }
        expanded[key] = rule
    return expanded


def _words(items: list[str]) -> list[str]:
    """Return `items` with each "@class" replaced by the words of that lexicon class.

    The words of "the end of" are "the", "end", "of": patterns may overshoot,
    the surface grammar of dates.py decides which sequences are expressions.
    """
    words: set[str] = set()
    for item in items:
        if item.startswith("@"):
            words.update(w for form in lexicon()[item[1:]] for w in form.split())
        else:
            words.add(item)
    return sorted(words)


def _is_count(span: Span) -> bool:
    """True when a bare four-digit number counts a plural noun ("2000 soldiers")."""
    root = span.root
    if not span.text.isdigit() or root.dep_ != "nummod":
        return False
    determined = any(child.dep_ in ("det", "poss") for child in root.head.children)
    return root.head.tag_ in ("NNS", "NNPS") and not determined


def _value(span: Span, ref: Ref, full_dates: dict[str, str]) -> Value | None:
    """Normalise `span` against `ref`; None when it cannot be resolved, a Value of kind
    "impossible" when its date falls outside NARRATIVE_YEARS.

    A yearless day used as a noun modifier ("the June 4 line") names a date
    the text has already given in full: it takes that date's year rather
    than the narrative's.
    """
    value = resolve_any(span.text, ref)
    if value is None or value.kind == "unresolved":
        return None
    if value.kind == "yearless" and len(value.start) == 10 and is_modifier(span):
        earlier = full_dates.get(value.start[5:])
        if earlier:
            value = resolve(span.text, Ref(earlier, earlier))
    return value


def _in_past(value: Value, span: Span, ref: Ref, ceiling: str, role: str) -> Value:
    """`value`, or a yearless one moved a year back where it lies in the past: after
    "since" it lies before the reference, and it never falls after the document's own
    date (`ceiling`) unless it is a date of what the sides agreed to do or a document
    provides for (role "provision") lying ahead of the reference: "agreeing to meet
    again on 26 February" in a report of 21 January is the coming February."""
    if value.kind != "yearless":
        return value
    ahead = role == "provision" and value.start >= ref.start
    if (_after_document(value, ref, ceiling) and not ahead) or (
        _looks_back(span) and value.start > ref.end
    ):
        earlier = resolve(span.text, _year_before(ref))
        return replace(earlier, anchor=ref.end) if earlier else value
    return value


def _after_document(value: Value, ref: Ref, ceiling: str) -> bool:
    """True when a yearless date would fall after the document's own date while the
    passage is in the document's past (a report of November that speaks of "late
    December" after a December date of its own future keeps the coming December)."""
    common = min(len(value.start), len(ceiling))  # "1997-05-16" is not after "1997"
    if not ceiling or value.start[:common] <= ceiling[:common]:
        return False
    return not ref.start or ref.start[: len(ceiling)] <= ceiling


def _beyond(value: Value, ceiling: str) -> bool:
    """True for a period reaching past the document's own date ("the Strategic Development
    Plan for 2011-2030" in a report of 2011): a horizon, not a time the narrative reaches."""
    end = value.end or value.start
    return bool(ceiling) and end[:4] > ceiling[:4] and value.start[:4] <= ceiling[:4]


def _looks_back(span: Span) -> bool:
    """True when a word before `span` points to a time before the reference ("since")."""
    return span.start > 0 and span.doc[span.start - 1].lower_ in LOOK_BACK_WORDS


def _year_before(ref: Ref) -> Ref:
    """The same reference one year earlier."""

    def back(iso: str) -> str:
        return f"{int(iso[:4]) - 1:04d}{iso[4:]}" if iso else iso

    return Ref(back(ref.start), back(ref.end), ref.mod)


def resolve(surface: str, ref: Ref = NO_REF) -> Value | None:
    """Read an isolated surface form and the narrative reference; return its Value or None
    (also for a date outside NARRATIVE_YEARS: resolve_any tells that case apart)."""
    value = resolve_any(surface, ref)
    return None if value is None or value.kind == "impossible" else value


@lru_cache(maxsize=4096)
def resolve_any(surface: str, ref: Ref = NO_REF) -> Value | None:
    """The Value of an isolated surface form against the narrative reference, or None; a
    Value of kind "impossible" (no dates) when its date falls outside NARRATIVE_YEARS.

    Dates counted from the reference ("two months earlier", "the following
    year", "the same day", "the turn of the year") are resolved here; any
    other form goes to `dates.normalise`.
    """
    text = dates.canonical(surface)
    for parse in (_relative, _deictic, _turn):
        value = parse(text, ref)
        if value is not None:
            return _possible(value)
    return _possible(dates.normalise(surface, ref))


def _possible(value: Value | None) -> Value | None:
    """`value`, or a Value of kind "impossible" when its dates lie outside NARRATIVE_YEARS."""
    if value is None or dates.in_range(value):
        return value
    return Value(value.type, kind="impossible")


def _shift(point: str, unit: str, amount: int) -> str:
    """Return ISO `point` moved by `amount` units ("day"/"month"/"year"), at its own precision;
    "" when that lies outside the narrative's years ("3000000 days later")."""
    y, m, d = dates.iso_parts(point)
    if unit == "day" and d:
        try:
            shifted = (date(y, m, d) + timedelta(days=amount)).isoformat()
        except OverflowError:
            return ""
    elif unit in ("day", "month") and m:
        months = y * 12 + m - 1 + (amount if unit == "month" else round(amount / 30))
        shifted = dates.iso(months // 12, months % 12 + 1, None)
    else:
        shifted = dates.iso(y + (amount if unit == "year" else round(amount / 365)))
    return shifted if dates.in_range(Value("DATE", shifted)) else ""


def _relative(text: str, ref: Ref) -> Value | None:
    """Normalise "two months earlier", "several days later" against the reference."""
    match = dates.grammar()["relative"].fullmatch(text)
    if not match:
        return None
    if not ref.end:
        return Value("DATE", kind="unresolved")
    unit, size = lexicon()["unit"][match["u"]]
    sign = lexicon()["direction"][match["dir"]]
    base = ref.start if sign < 0 else ref.end
    vague = match["n"] in lexicon()["vague"]
    # A vague count ("several days") only supports the next coarser precision.
    unit_out = {"day": "month", "month": "month", "year": "year"}[unit] if vague else unit
    counts = lexicon()["number"] | lexicon()["vague"]
    count = int(match["n"]) if match["n"].isdigit() else counts[match["n"]]
    point = _shift(base, unit, sign * size * count)[: dates.PRECISION[unit_out]]
    if not point:  # outside NARRATIVE_YEARS ("3000000 days later")
        return Value("DATE", kind="impossible")
    kind = "backward" if sign < 0 else "vague" if vague else "relative"
    return Value("DATE", point, point, "APPROX" if vague else "", base, kind)


def _deictic(text: str, ref: Ref) -> Value | None:
    """Normalise "the following year", "the same day", "the last day" against the reference."""
    match = dates.grammar()["deictic"].fullmatch(text)
    if not match:
        return None
    unit, size = lexicon()["unit"][match["u"]]
    word = lexicon()["deictic"][match["w"]]
    if word in ("first", "last") and match["u"] != "day":
        return None
    base = ref.end if word in (1, "last") else ref.start
    if not base or len(base) < dates.PRECISION[unit]:
        return Value("DATE", kind="unresolved")
    step = size * word if isinstance(word, int) else 0
    point = _shift(base, unit, step)[: dates.PRECISION[unit]]
    if not point:  # outside NARRATIVE_YEARS ("3000000 days later")
        return Value("DATE", kind="impossible")
    return Value("DATE", point, point, anchor=base, kind="backward" if step < 0 else "relative")


def _turn(text: str, ref: Ref) -> Value | None:
    """Normalise "the turn of the year": the year boundary nearest the reference."""
    if text != "the turn of the year":
        return None
    if not ref.end:
        return Value("DATE", kind="unresolved")
    year, month, _ = dates.iso_parts(ref.end)
    first = year if (month or dates.MOD_MONTH.get(ref.mod, 1)) >= 7 else year - 1
    return Value(
        "DATE", dates.iso(first, 12), dates.iso(first + 1, 1), anchor=ref.end, kind="yearless"
    )
