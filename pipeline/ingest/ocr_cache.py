"""OCR engine output as cache text: JSON of OcrPages with the settings that made them."""

from __future__ import annotations

import json
from dataclasses import asdict

from pipeline.models import OcrPage, OcrWord


def dump(pages: dict[int, OcrPage], settings: dict) -> str:
    """Serialise the pages (by number) with the engine `settings` that made them."""
    rows = [asdict(pages[n]) for n in sorted(pages)]
    return json.dumps({"options": settings, "pages": rows}, sort_keys=True)


def load(text: str | None, settings: dict) -> dict[int, OcrPage]:
    """The pages of cache `text` made with the same `settings`; {} otherwise."""
    if not text:
        return {}
    try:
        data = json.loads(text)
        if data.get("options") != settings:
            return {}
        pages = [
            OcrPage(
                row["page"],
                tuple(OcrWord(**w) for w in row["words"]),
                row["confidence"],
                row["warning"],
            )
            for row in data["pages"]
        ]
    except (ValueError, KeyError, TypeError):
        return {}  # a damaged cache file is recognised anew
    return {p.page: p for p in pages}
