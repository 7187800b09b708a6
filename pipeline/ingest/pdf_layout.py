"""A PDF page's layout (pure): its visual lines and rules, page furniture (by pattern,
resources/page_furniture.jsonl, or by repetition at one height), the footnote zone and the
blank lines between blocks. pdf.py reads the pages; this module zones them."""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from pipeline.models import Line
from pipeline.rules import load_jsonl

EDGE_LINES = 4  # furniture is sought among this many lines at the top and bottom of a page
EDGE_BAND = 0.15  # ...and only within this fraction of the page height from that edge
SAME_PLACE = 0.02  # repeated lines count as "the same place" within this fraction of the height
SMALL_FONT = 0.88  # a footnote font is at most this fraction of the body font size


@dataclass(frozen=True)
class VLine:
    """One visual line: its text, vertical extent, left edge and dominant font size."""

    text: str
    top: float
    bottom: float
    x0: float
    x1: float
    size: float


@dataclass(frozen=True)
class Page:
    """A page's visual lines (top to bottom) and horizontal rules as (x0, x1, y)."""

    number: int
    width: float
    height: float
    lines: tuple[VLine, ...]
    rules: tuple[tuple[float, float, float], ...]


@dataclass(frozen=True)
class Furniture:
    """A page-furniture pattern; where is top, bottom or any."""

    id: str
    pattern: re.Pattern[str]
    where: str
    example: str


@lru_cache(maxsize=1)
def load_furniture() -> tuple[Furniture, ...]:
    """Read the page-furniture patterns (resources/page_furniture.jsonl, see its README)."""
    rules = []
    for item in load_jsonl("page_furniture.jsonl"):
        where = item.get("where", "any")
        if where not in ("top", "bottom", "any"):
            raise ValueError(
                f"page_furniture.jsonl: {item['id']}: where must be top, bottom or any"
            )
        rules.append(Furniture(item["id"], re.compile(item["pattern"]), where, item["example"]))
    return tuple(rules)


def _edges(page: Page) -> dict[int, str]:
    """Map the index of each line in the page's top or bottom furniture zone to that edge."""
    edges: dict[int, str] = {}
    n = len(page.lines)
    for i, line in enumerate(page.lines):
        if i < EDGE_LINES and line.bottom <= page.height * EDGE_BAND:
            edges[i] = "top"
        elif i >= n - EDGE_LINES and line.top >= page.height * (1 - EDGE_BAND):
            edges[i] = "bottom"
    return edges


def furniture_keys(pages: list[Page], rules: tuple[Furniture, ...]) -> set[tuple[int, int]]:
    """Return (page, line index) of every furniture line: by pattern or by repetition."""
    found: set[tuple[int, int]] = set()
    places: dict[str, list[tuple[int, int, float]]] = {}
    for page in pages:
        for i, edge in _edges(page).items():
            line = page.lines[i]
            text = " ".join(line.text.split())
            if any(r.where in (edge, "any") and r.pattern.fullmatch(text) for r in rules):
                found.add((page.number, i))
            key = f"{edge}:{re.sub(r'[0-9]+', '#', text.lower())}"
            places.setdefault(key, []).append((page.number, i, line.top))
    return found | _repeated(places, pages)


def _repeated(places: dict[str, list[tuple[int, int, float]]], pages: list[Page]) -> set:
    """Return (page, index) of edge lines whose text recurs at the same height on most pages."""
    height = max(p.height for p in pages)
    # Half the pages, less the first (title pages lack headers), and odd/even headers differ.
    needed = max(2, (len(pages) - 1) // 2)
    found = set()
    for spots in places.values():
        for page_no, index, top in spots:
            near = {p for p, _, t in spots if abs(t - top) <= SAME_PLACE * height}
            if len(near) >= needed:
                found.add((page_no, index))
    return found


def body_font_size(pages: list[list[VLine]]) -> float:
    """Return the font size carrying most characters in the document."""
    weights: Counter[float] = Counter()
    for lines in pages:
        for line in lines:
            weights[line.size] += len(line.text)
    return weights.most_common(1)[0][0] if weights else 10.0


def median_gap(pages: list[list[VLine]], body_size: float) -> float:
    """Return the median gap between consecutive body-size lines, in units of font size."""
    gaps = [
        (b.top - a.bottom) / body_size
        for lines in pages
        for a, b in zip(lines, lines[1:], strict=False)
        if a.size == b.size == body_size and b.top > a.bottom
    ]
    return statistics.median(gaps) if len(gaps) >= 3 else 0.3


def footnote_start(page: Page, lines: list[VLine], body_size: float) -> int:
    """Return the index of the first footnote line in `lines` (len(lines) if none).

    Footnotes sit below a short rule in the lower half of the page or, with no
    such rule, form a run of smaller-font lines that ends the page.
    """
    if not lines:
        return 0
    margin = Counter(round(ln.x0) for ln in lines).most_common(1)[0][0]
    for x0, x1, y in sorted(page.rules, key=lambda r: r[2]):
        short = 10 < x1 - x0 <= page.width / 2 and abs(x0 - margin) <= 2 * body_size
        # a rule under or through a line of text ("inter alia" underlined in a typescript)
        underline = any(ln.top <= y <= ln.bottom + 2 and x0 < ln.x1 and ln.x0 < x1 for ln in lines)
        below = [i for i, ln in enumerate(lines) if ln.top >= y]
        if short and not underline and y > page.height / 2 and below:
            return below[0]
    start = len(lines)
    while start > 0 and lines[start - 1].size <= SMALL_FONT * body_size:
        start -= 1
    return start if start == len(lines) or lines[start].top > page.height / 2 else len(lines)


def emit(page_no: int, lines: list[VLine], split: int, gap_ratio: float) -> list[Line]:
    """Number a page's lines, zone them at `split`, and put a blank before each new block."""
    out: list[Line] = []
    bottom = None
    for i, line in enumerate(lines):
        zone = "footnote" if i >= split else "body"
        threshold = (gap_ratio + 0.5) * line.size
        if bottom is not None and (i == split or line.top - bottom > threshold):
            out.append(Line("", page_no, len(out) + 1, zone))
        out.append(Line(line.text, page_no, len(out) + 1, zone))
        bottom = line.bottom if bottom is None else max(bottom, line.bottom)
    return out
