"""Document time: the date a document speaks from (pure functions, no disk access).

Read from the document itself before anything else: a UN report's masthead
(its symbol, then its date: "S/1997/56 21 January 1997"), else a year or a
range at the end of its title ("…, 1904–1905", from the first heading or the
manifest title), else the manifest's `year`. The time-expression stage never
places a yearless date after it: in a report of January 1997, "on 20
December" is December 1996. The patterns are in resources/document_dates.jsonl.
"""

from __future__ import annotations

import re
from functools import cache

from pipeline.models import CleanDocument, DocumentDate, ManifestEntry
from pipeline.nlp.dates import normalise
from pipeline.rules import load_jsonl


@cache
def _rules() -> tuple[tuple[dict, re.Pattern], ...]:
    """The rules of document_dates.jsonl with their compiled patterns, in file order."""
    return tuple((row, re.compile(row["pattern"])) for row in load_jsonl("document_dates.jsonl"))


def date_in(row: dict, pattern: re.Pattern, text: str) -> str:
    """The ISO date (masthead) or year (title) that one rule finds in `text`, or ""."""
    return _found(row, pattern, text)[0]


def _found(row: dict, pattern: re.Pattern, text: str) -> tuple[str, int | None, int | None]:
    """The date one rule finds in `text` and the offsets of its words (None for a title's)."""
    found = pattern.search(text[: row["window"]] if "window" in row else text)
    if found is None:
        return "", None, None
    if row["source"] == "title":
        end = found.groupdict().get("end")
        if end:
            return (found["date"][: 4 - len(end)] + end if len(end) < 4 else end), None, None
        return found["date"], None, None
    value = normalise(found["date"])
    if value is None or value.kind != "explicit":
        return "", None, None
    return value.start, found.start("date"), found.end("date")


def document_date(entry: ManifestEntry, clean: CleanDocument) -> DocumentDate:
    """Read a document's manifest row and cleaned text; return its date and where it came
    from ("masthead", "title", "manifest"; "" and no date when none says)."""
    heading = next((s for s in clean.segments if s.kind == "heading"), None)
    titles = [clean.text[heading.char_start : heading.char_end]] if heading else []
    titles.append(entry.title)
    for row, pattern in _rules():
        masthead = row["source"] == "masthead"
        for text in [clean.text] if masthead else titles:
            found, start, end = _found(row, pattern, text)
            if found:
                return DocumentDate(entry.doc_id, entry.title, found, row["source"], start, end)
    year = entry.year.strip()
    if re.fullmatch(r"(?:1[5-9]|20)\d\d", year):
        return DocumentDate(entry.doc_id, entry.title, year, "manifest")
    return DocumentDate(entry.doc_id, entry.title, "", "")
