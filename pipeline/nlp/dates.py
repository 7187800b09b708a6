"""Normalise the surface form of one time expression to ISO values (guidelines §3).

Pure functions: an isolated surface string and the narrative reference (`Ref`,
used only by expressions without a year of their own) in, a `Value` out.
Finding spans and choosing the reference is `timexes.py`'s job. The words come
from `resources/timex_lexicon.jsonl`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from types import MappingProxyType

import dateparser

from pipeline.rules import load_jsonl, load_lexicon

DAY = r"(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?"
YEAR = r"(?:1[5-9]|20)\d\d"
# The month a year-only reference stands for when its mod places it in the year.
MOD_MONTH = MappingProxyType({"START": 2, "MID": 6, "END": 11})
PRECISION = MappingProxyType({"day": 10, "month": 7, "year": 4})  # ISO length per unit
ISO_POINT = re.compile(r"\d{4}(?:-\d\d){0,2}")
NARRATIVE_YEARS = (1000, 2999)  # a year outside is no date of the narrative ("9000 years later")


@dataclass(frozen=True)
class Ref:
    """The narrative reference: ISO start/end of the time the passage is about, and its mod."""

    start: str = ""
    end: str = ""
    mod: str = ""


NO_REF = Ref()


@dataclass(frozen=True)
class Value:
    """A normalised expression.

    kind: "explicit" (complete in itself), "yearless" (year from the
    reference), "relative" (counted forward from or at the reference),
    "backward" (counted back), "vague" ("several days later"), "duration", or
    "unresolved" (needs a reference; none given), "impossible" (its date falls outside
    NARRATIVE_YEARS; timexes.py only). anchor: the ISO reference used.
    """

    type: str  # DATE | RANGE | DURATION
    start: str = ""
    end: str = ""
    mod: str = ""
    anchor: str = ""
    kind: str = "explicit"


def lexicon() -> MappingProxyType:
    """The time lexicon (resources/timex_lexicon.jsonl): {class: {form: value}}, read-only."""
    return load_lexicon("timex_lexicon.jsonl")


def _alt(*classes: str) -> str:
    """Return a regex alternation of the forms of lexicon `classes`, longest first."""
    forms = sorted((f for c in classes for f in lexicon()[c]), key=len, reverse=True)
    return "(?:" + "|".join(re.escape(f) for f in forms) + ")"


@lru_cache(maxsize=1)
def grammar() -> MappingProxyType:
    """Read timex_grammar.jsonl; return {rule id: compiled regex}, "{class}" slots filled in.

    A slot names a lexicon class (any of its forms) or one of "day", "year",
    "count" (a numeral, number word or vague count) and "quantity" (a part or
    bound word: "about", "up to").
    """
    fixed = {"day": DAY, "year": YEAR, "count": rf"(?:\d+|{_alt('number', 'vague')})"}
    fixed["quantity"] = _alt("part", "bound")

    def slot(match: re.Match) -> str:
        """Return the regex for the slot named in `match`."""
        return fixed.get(match[1]) or _alt(match[1])

    rows = load_jsonl("timex_grammar.jsonl")
    return MappingProxyType(
        {r["id"]: re.compile(re.sub(r"\{([a-z]+)\}", slot, r["regex"])) for r in rows}
    )


def canonical(surface: str) -> str:
    """Return `surface` lower-cased, with dashes as "-", single spaces, no edge punctuation."""
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", surface.lower().replace("\u2019", "'"))
    text = re.sub(r"\s*-\s*", "-", re.sub(r"\s+", " ", text))
    return text.strip(" ,;:()")


def iso(y: int, m: int | None = None, d: int | None = None) -> str:
    """Return the ISO string of a year, year-month or full date."""
    return f"{y:04d}" + (f"-{m:02d}" if m else "") + (f"-{d:02d}" if m and d else "")


def in_range(value: Value) -> bool:
    """Whether the start and end of `value` (when given) are ISO dates in NARRATIVE_YEARS."""
    low, high = NARRATIVE_YEARS
    return all(
        not point or (ISO_POINT.fullmatch(point) is not None and low <= int(point[:4]) <= high)
        for point in (value.start, value.end)
    )


def iso_parts(text: str) -> tuple[int, int | None, int | None]:
    """Return (year, month, day) of an ISO string; missing parts are None."""
    bits = [int(b) for b in text.split("-")] + [None, None]
    return bits[0], bits[1], bits[2]


def _year_for(month: int, ref: Ref) -> int | None:
    """Return the year of a yearless `month` from the reference, or None without one.

    The month stays in the reference year unless it would fall more than six
    months before the reference: narratives move forward, so "mid-January"
    after 22 December is the next January, while "July" after November looks
    back within the same year.
    """
    if not ref.end:
        return None
    year, ref_month, _ = iso_parts(ref.end)
    ref_month = ref_month or MOD_MONTH.get(ref.mod, 1)
    return year + 1 if ref_month - month > 6 else year


@lru_cache(maxsize=1024)
def _dateparser(surface: str, with_day: bool) -> date | None:
    """Parse an isolated explicit surface with dateparser; nothing is filled in from today."""
    parts = ["day", "month", "year"] if with_day else ["month", "year"]
    settings = {"REQUIRE_PARTS": parts, "PREFER_DAY_OF_MONTH": "first"}
    found = dateparser.parse(surface, languages=["en"], settings=settings)
    return found.date() if found else None


def _side(text: str, rules: tuple[str, ...]) -> tuple[int | None, int | None, int | None] | None:
    """Read a point surface with the first matching rule; return (year, month, day) or None."""
    for name in rules:
        match = grammar()[name].fullmatch(text)
        if match:
            found = match.groupdict()
            month = lexicon()["month"][found["m"]] if found.get("m") else None
            day = int(re.sub(r"\D", "", found["d"])) if found.get("d") else None
            year = found.get("y") or found.get("yy")
            return (int(year) if year else None), month, day
    return None


def _point(text: str, ref: Ref) -> Value | None:
    """Normalise a single date, month or year; a yearless one takes its year from `ref`."""
    parts = _side(text, ("dmy", "mdy", "my", "y"))
    if parts is None:
        return None
    year, month, day = parts
    if year and month:
        # dateparser checks the isolated explicit form (e.g. rejects "31 February 1994").
        found = _dateparser(re.sub(r"^(that|this) ", "", text), day is not None)
        if found is None or (found.year, found.month) != (year, month):
            return None
        return Value("DATE", iso(year, month, day), iso(year, month, day))
    if year:
        return Value("DATE", iso(year), iso(year))
    year = _year_for(month, ref)
    if year is None:
        return Value("DATE", kind="unresolved")
    found_iso = _checked(year, month, day)
    return (
        Value("DATE", found_iso, found_iso, anchor=ref.end, kind="yearless") if found_iso else None
    )


def _checked(y: int, m: int, d: int | None) -> str:
    """Return the ISO string of (y, m, d), or "" when that day does not exist."""
    try:
        return iso(y, m, d) if d is None else date(y, m, d).isoformat()
    except ValueError:
        return ""


def _range(text: str, ref: Ref) -> Value | None:
    """Normalise "12-17 september", "from 20 october to 1 november", "1993-1996" and the like."""
    match = grammar()["range"].fullmatch(text)
    lead, sep = (match["lead"], match["sep"].strip()) if match else (None, "")
    if match and sep == "and" and lead is None:
        return _two_days(match["a"], match["b"], ref)
    # "and" needs "between"; "between" takes "and" or a dash.
    paired = lead == "between" if sep == "and" else lead != "between" or sep == "-"
    if not match or not paired:
        return None
    left = _side(match["a"], ("dmy", "mdy", "my", "y", "d"))
    right = _side(match["b"], ("dmy", "mdy", "my", "y", "d", "yy"))
    if left is None or right is None:
        return None
    if left[1] is None and right[1] is None:
        return _year_range(left, right)
    return _day_range(left, right, ref)


def _two_days(first: str, second: str, ref: Ref) -> Value | None:
    """Normalise "10 and 11 December": one DATE covering the two days (not a from-to RANGE)."""
    left, right = _side(first, ("d",)), _side(second, ("dmy",))
    if left is None or right is None:
        return None
    value = _day_range(left, right, ref)
    return replace(value, type="DATE") if value is not None else None


def _year_range(left: tuple, right: tuple) -> Value | None:
    """Return the RANGE of two years ("1993-1996", "1994-97"), or None when they are no years."""
    if left[0] is None or left[2] is not None or right[0] is None or right[2] is not None:
        return None
    end = right[0] + (left[0] // 100) * 100 if right[0] < 100 else right[0]
    return Value("RANGE", iso(left[0]), iso(end)) if end > left[0] else None


def _day_range(left: tuple, right: tuple, ref: Ref) -> Value | None:
    """Return the RANGE of two day/month points, each side lending the other what it lacks."""
    (ly, lm, ld), (ry, rm, rd) = left, right
    lm, rm = lm or rm, rm or lm
    anchor, kind = "", "explicit"
    if ly is None and ry is None:
        ly, anchor, kind = _year_for(lm, ref), ref.end, "yearless"
        if ly is None:
            return Value("RANGE", kind="unresolved")
    ly, ry = ly or ry, ry or ly
    if (lm, ld or 0) > (rm, rd or 0):  # "20 December to 5 January": the range crosses a year
        ly, ry = (ly - 1, ry) if left[0] is None and right[0] else (ly, ry + (right[0] is None))
    start, end = _checked(ly, lm, ld), _checked(ry, rm, rd)
    if not start or not end or start > end:
        return None
    return Value("RANGE", start, end, anchor=anchor, kind=kind)


def _duration(text: str, ref: Ref) -> Value | None:
    """Normalise "three years", "12 to 18 months", "up to two years", "week-long"."""
    match = grammar()["duration"].fullmatch(text)
    if not match:
        return None
    mod = lexicon()["part"].get(match["q"] or "", "")
    return Value("DURATION", mod="APPROX" if mod == "APPROX" else "", kind="duration")


def _season(text: str, ref: Ref) -> Value | None:
    """Normalise "the summer", "the spring and summer of 1996" to the seasons' months."""
    match = grammar()["season"].fullmatch(text)
    if not match or not (match["the"] or match["y"]):
        return None
    first = lexicon()["season"][match["s1"]]
    last = lexicon()["season"][match["s2"] or match["s1"]]
    year = int(match["y"]) if match["y"] else _year_for(first[0], ref)
    if year is None:
        return Value("DATE", kind="unresolved")
    anchor, kind = ("", "explicit") if match["y"] else (ref.end, "yearless")
    end_year = year + (last[1] < first[0])  # winter runs into the next year
    return Value("DATE", iso(year, first[0]), iso(end_year, last[1]), "", anchor, kind)


def _decade(text: str, ref: Ref) -> Value | None:
    """Normalise "the 1990s", "the mid-1980s" to the decade's first and last year."""
    match = grammar()["decade"].fullmatch(text)
    if not match:
        return None
    mod = lexicon()["part"][match["p"]] if match["p"] else ""
    return Value("DATE", f"{match['dec']}0", f"{match['dec']}9", mod)


def _part(text: str, ref: Ref) -> Value | None:
    """Normalise "early 1994", "mid-july", "the end of november", "about 5 april 1994"."""
    match = grammar()["part"].fullmatch(text)
    if not match:
        return None
    rest = match["rest"]
    parsers = (_this_year, _season, _decade, _point)
    inner = next((v for v in (parse(rest, ref) for parse in parsers) if v), None)
    return replace(inner, mod=lexicon()["part"][match["p"]]) if inner else None


def _this_year(text: str, ref: Ref) -> Value | None:
    """Normalise "the year" / "that year" to the reference year."""
    if text not in ("the year", "that year"):
        return None
    if not ref.end:
        return Value("DATE", kind="unresolved")
    return Value("DATE", ref.end[:4], ref.end[:4], anchor=ref.end, kind="yearless")


@lru_cache(maxsize=4096)
def normalise(surface: str, ref: Ref = NO_REF) -> Value | None:
    """Read an isolated surface form and the narrative reference; return its Value.

    Returns None when the form is not a time expression of guidelines §3, and
    a Value of kind "unresolved" when it is one that needs a reference and
    `ref` is empty.
    """
    text = canonical(surface)
    for parse in (_duration, _season, _decade, _range, _part, _point):
        value = parse(text, ref)
        if value is not None:
            return value
    return None
