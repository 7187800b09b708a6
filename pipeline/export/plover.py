"""PLOVER records of events.csv rows (pure): one JSON object per event, following the record
of the PLOVER manual's Data Fields chapter; event type and mode from resources/plover_map.csv."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from functools import lru_cache
from importlib.metadata import version
from types import MappingProxyType

from pipeline.link.pax import date_span, iso3
from pipeline.models import ManifestEntry
from pipeline.rules import resource_text

CODEBOOK = "PLOVER (openeventdata/PLOVER, PLOVER_MANUAL.tex)"


@lru_cache(maxsize=1)
def mapping() -> Mapping[tuple[str, str, str, str], Mapping[str, str]]:
    """(event_type, subtype, status, mediated yes|no|any) -> its row of plover_map.csv."""
    lines = [x for x in resource_text("plover_map.csv").splitlines() if not x.startswith("#")]
    rows = csv.DictReader(io.StringIO("\n".join(lines)))
    return MappingProxyType(
        {(r["event_type"], r["subtype"], r["status"], r["mediated"]): r for r in rows}
    )


@lru_cache(maxsize=1)
def schema() -> Mapping:
    """The JSON Schema of a record (resources/plover.schema.json)."""
    return json.loads(resource_text("plover.schema.json"))


def rule_for(row: Mapping[str, str]) -> Mapping[str, str] | None:
    """The mapping row of an events.csv row (None for a combination the table lacks)."""
    mediated = "yes" if row.get("mediators") else "no"
    key = (row["event_type"], row["subtype"], row["status"])
    table = mapping()
    return table.get((*key, mediated)) or table.get((*key, "any"))


def entities(names: str) -> list[dict[str, str]]:
    """Entity objects of a ;-separated list of names (with the country code of a country)."""
    result = []
    for name in (n.strip() for n in names.split(";")):
        if name:
            code = iso3(name)
            result.append({"entity_text": name, **({"code": code} if code else {})})
    return result


def record(row: Mapping[str, str], entry: ManifestEntry | None) -> dict:
    """The PLOVER record of one events.csv row; `entry` is its document's manifest row."""
    rule = rule_for(row) or {}
    span = date_span(row.get("date_start", ""), row.get("date_end", ""))
    comments = []
    fallback = "CONSULT" if row["event_type"] == "meeting" else "AGREE"
    if not rule:
        comments.append(f"no row of plover_map.csv for this subtype and status: {fallback}")
    if row["status"] == "cancelled":
        comments.append("cancelled: the text says the meeting did not take place as scheduled")
    if span and (span[0] != span[1] or len(row["date_start"]) < 10):
        comments.append(f"the text dates it {row.get('date_text') or row['date_start']}")
    result = {
        "id": f"{row['doc_id']}:{row['event_id']}",
        "has_event": True,
        "date": span[0].isoformat() if span else None,
        **({"enddate": span[1].isoformat()} if span and span[1] != span[0] else {}),
        "actor": entities(row.get("participants", "")),
        "recipient": [],
        "event": [rule.get("plover_event") or fallback],
        "mode": [rule["mode"]] if rule.get("mode") else [],
        "context": [rule["context"]] if rule.get("context") else [],
        **({"quad_code": int(rule["quad_code"])} if rule.get("quad_code") else {}),
        **({"event_scale": float(rule["event_scale"])} if rule.get("event_scale") else {}),
        **location(row),
        "event_text": [row["title"]] if row.get("title") else [],
        **({"link": f"PA-X {row['pax_id']}"} if row.get("pax_id") else {}),
        "text": row.get("evidence", ""),
        "text_info": {"start": int(row["char_start"]), "end": int(row["char_end"])},
        "cite_info": cite(row["doc_id"], entry),
        "doc_id": row["doc_id"],
        "event_id": row["event_id"],
        "subtype": row["subtype"],
        "status": row["status"],
        "date_text": row.get("date_text", ""),
        "mediators": entities(row.get("mediators", "")),
        "page": int(row["page"]) if row.get("page", "").isdigit() else None,
    }
    if comments:
        result["comment"] = "; ".join(comments)
    return result


def location(row: Mapping[str, str]) -> dict:
    """{"event_loc": location object} of a row with a place or country, else {}."""
    place, country = row.get("location", "").strip(), row.get("country", "").strip()
    if not place and not country:
        return {}
    loc = {"extracted_place": place or country, "resolved_place": place or country}
    if country:
        loc["country"] = country
        if iso3(country):
            loc["country_code"] = iso3(country)
    loc["resolution"] = 4 if place and place != country else 1
    return {"event_loc": loc}


def cite(doc_id: str, entry: ManifestEntry | None) -> dict[str, str]:
    """The citeInfo object of a document from its manifest row."""
    info = {
        "corpus": "negotiation-events corpus",
        "coder": f"negotiation-events {version('negotiation-events')}",
        "codebook": CODEBOOK,
    }
    if entry is None:
        return {**info, "title": doc_id}
    parts = [entry.author, f"({entry.year})" if entry.year else "", entry.title, entry.source]
    info.update(title=entry.title or doc_id, language=entry.language or "en")
    if any(p for p in (entry.author, entry.year, entry.source)):
        info["citation"] = " ".join(p for p in parts if p)
    if entry.source.startswith(("http://", "https://")):
        info["url"] = entry.source
    return info


def records_jsonl(rows: Sequence[Mapping[str, str]], entries: Mapping[str, ManifestEntry]) -> str:
    """events.plover.jsonl: one record per events.csv row, keys sorted, one per line."""
    lines = [
        json.dumps(record(r, entries.get(r["doc_id"])), sort_keys=True, ensure_ascii=False)
        for r in rows
    ]
    return "".join(line + "\n" for line in lines)
