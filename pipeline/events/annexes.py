"""Annexes of a report that reproduce a document its body tells (issue 10, item 3).

The reading step (reading.read_document) reads every mention in its sentence; here the
readings are made one with the annexes: a heading right after an annex's label is the
annexed document's title, and a body mention citing the annex takes its date and place.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

from pipeline.events.mentions import words
from pipeline.models import CleanDocument, Segment

if TYPE_CHECKING:  # reading imports this module
    from pipeline.events.drafts import Reading
    from pipeline.events.reading import Layout


def annexed(clean: CleanDocument, layout: Layout, readings: list[Reading]) -> list[Reading]:
    """The readings with each annex that reproduces a document told in the body made one
    with it: the body's mention citing the annex ("signed a protocol on refugees (annex
    III)") takes the date and place of the annex's title ("Protocol on refugees, signed
    in Tehran on 13 January 1997"), whose own mentions then only refer to that event."""
    titles = {
        label: [r for r in readings if start <= r.start < end and r.when]
        for label, (start, end) in annex_titles(clean)
    }
    cited: dict[str, Reading] = {}
    for r in readings:
        match = _annex_cited().match(clean.text, r.end)
        key = " ".join(match.group(1).lower().split()) if match else ""
        if titles.get(key) and r.event_type == "agreement" and key not in cited:
            cited[key] = r
    moved = {}
    for key, body in cited.items():
        title = titles[key][0]
        moved[body.mention_id] = replace(body, when=title.when, place=title.place or body.place)
        moved.update({t.mention_id: replace(t, status="reference") for t in titles[key]})
    return [moved.get(r.mention_id, r) for r in readings]


def annex_titles(clean: CleanDocument) -> list[tuple[str, tuple[int, int]]]:
    """Each annex's label ("annex ii") with the span of its title: the first segment after
    the label, past a note on the language of the original ("[Original: Russian]"), when
    it is a heading or a line without a full stop ("Protocol on settlement of ..., signed
    in northern Afghanistan on 11 December 1996")."""
    found, segments = [], clean.segments
    for index, segment in enumerate(segments):
        label = " ".join(clean.text[segment.char_start : segment.char_end].lower().split())
        if segment.kind != "heading" or not _annex_label(label):
            continue
        after = (s for s in segments[index + 1 :] if not _language_note(clean, s))
        title = next(after, None)
        text = clean.text[title.char_start : title.char_end].strip() if title else ""
        if title is not None and (title.kind == "heading" or not text.endswith(".")):
            found.append((label, (title.char_start, title.char_end)))
    return found


def _language_note(clean: CleanDocument, segment: Segment) -> bool:
    """True for "[Original: Russian]" under an annex's label."""
    text = clean.text[segment.char_start : segment.char_end].strip()
    first = text.lstrip("[").split(":")[0].split()[:1]
    return text.startswith("[") and bool(first) and first[0].lower() in words("language_note")


@lru_cache(maxsize=1)
def _annex_cited() -> re.Pattern:
    """ "(annex III)", "(see annex II)" closing a mention's phrase ("a protocol on refugees
    (annex III)"): the annex reproduces the document."""
    labels = "|".join(sorted(words("annex_word")))
    return re.compile(rf"[^.;:()]{{0,40}}?\((?:see\s+)?((?:{labels})\s+[IVXLC\d]+)\b", re.I)


def in_heading(clean: CleanDocument, layout: Layout, offset: int) -> str:
    """ "" outside headings; "title" in the heading right after an annex's label ("Annex
    III" / "Protocol on refugees, signed in Tehran on 13 January 1997": the annexed
    document's own title, which tells its signing); else "topic"."""
    spans = layout.headings
    index = next((i for i, (a, b) in enumerate(spans) if a <= offset < b), None)
    if index is None:
        return ""
    label = clean.text[slice(*spans[index - 1])] if index else ""
    return "title" if _annex_label(label) else "topic"


def _annex_label(text: str) -> bool:
    """True for an annex's label ("Annex III", "Appendix 2")."""
    first = text.split()[:1]
    return bool(first) and first[0].lower() in words("annex_word")
