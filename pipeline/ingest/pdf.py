"""Stage 1a (PDF): read a born-digital PDF into body and footnote lines.

Each visual text line becomes a Line (page, number on the page, zone). Page
furniture (running headers/footers, page numbers, document symbols, job
numbers, continuation marks) is dropped; a blank Line marks each new block
(a vertical gap clearly larger than the normal line spacing). Lines are never
joined here and no blank is added at page boundaries: cleaning decides both.
"""

from __future__ import annotations

import io
import re
import statistics
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError
from pdfplumber.utils.exceptions import PdfminerException

from pipeline.ingest.ocr import line_units
from pipeline.models import InputError, Line, OcrPage
from pipeline.rules import load_jsonl

EDGE_LINES = 4  # furniture is sought among this many lines at the top and bottom of a page
EDGE_BAND = 0.15  # ...and only within this fraction of the page height from that edge
SAME_PLACE = 0.02  # repeated lines count as "the same place" within this fraction of the height
SMALL_FONT = 0.88  # a footnote font is at most this fraction of the body font size
TEXT_RULE = re.compile(r"[_\-\u2013\u2014]{3,}")  # a "line" typed as underscores or dashes
NO_TEXT = "no text layer (scanned image?); run OCR first"
NO_TEXT_OCR = "no text layer, and OCR found no text"
STRAY = 20  # a page with fewer letters and digits than this in its text layer is OCR'd
ENCRYPTED = "encrypted PDF; decrypt it first"


@dataclass(frozen=True)
class _VLine:
    """One visual line: its text, vertical extent, left edge and dominant font size."""

    text: str
    top: float
    bottom: float
    x0: float
    x1: float
    size: float


@dataclass(frozen=True)
class _Page:
    """A page's visual lines (top to bottom) and horizontal rules as (x0, x1, y)."""

    number: int
    width: float
    height: float
    lines: tuple[_VLine, ...]
    rules: tuple[tuple[float, float, float], ...]


@dataclass(frozen=True)
class _Furniture:
    """A page-furniture pattern; where is top, bottom or any."""

    id: str
    pattern: re.Pattern[str]
    where: str
    example: str


Ocr = Callable[[bytes, Sequence[int], str], tuple[OcrPage, ...]]


def read_pdf(data: bytes, path: str) -> tuple[tuple[Line, ...], int]:
    """Parse PDF bytes into body and footnote lines; return (lines, n_pages).

    Raises InputError(path, reason) when the bytes are not a readable PDF, are
    password protected, or have no text layer on any page.
    """
    lines, n_pages, _ = read_pdf_pages(data, path, None)
    return lines, n_pages


def read_pdf_pages(
    data: bytes, path: str, ocr: Ocr | None
) -> tuple[tuple[Line, ...], int, tuple[OcrPage, ...]]:
    """Like read_pdf, but pages without a text layer are read by `ocr` (see ocr.py).

    Returns (lines, n_pages, the OcrPage of each OCR'd page). OCR text is laid
    out by the same rules as a text layer.
    """
    pages, blank = _parse(data, path)
    read: tuple[OcrPage, ...] = ()
    if ocr and blank:
        read = ocr(data, blank, path.rsplit("/", 1)[-1])
        by_number = {p.page: p for p in read}
        pages = [_ocr_layout(p, by_number[p.number]) if p.number in by_number else p for p in pages]
    if not any(page.lines for page in pages):
        warned = [p.warning for p in read if p.warning][:1]
        raise InputError(path, f"{NO_TEXT_OCR} ({warned[0]})" if warned else NO_TEXT)
    furniture = _furniture_keys(pages, load_furniture())
    kept = [[ln for i, ln in enumerate(p.lines) if (p.number, i) not in furniture] for p in pages]
    body_size = _body_size(kept)
    gap_ratio = _gap_ratio(kept, body_size)
    out: list[Line] = []
    for page, lines in zip(pages, kept, strict=True):
        split = _footnote_start(page, lines, body_size)
        out.extend(_emit(page.number, lines, split, gap_ratio))
    return tuple(out), len(pages), read


def _parse(data: bytes, path: str) -> tuple[list[_Page], list[int]]:
    """Read every page's lines and rules from `data`, and the numbers of the pages with
    (almost) no text layer; InputError when that fails."""
    head, tail = data[:1024], data[-1024:]
    if b"%PDF-" not in head:
        raise InputError(path, "not a readable PDF (no %PDF header)")
    if b"%%EOF" not in tail:
        raise InputError(path, "not a readable PDF (truncated: no %%EOF marker)")
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [_page_layout(page) for page in pdf.pages]
            blank = [p.page_number for p in pdf.pages if _stray(p.chars)]
    # pdfminer raises many kinds of error on damaged files; none may escape as a traceback.
    except Exception as err:  # noqa: BLE001
        raise InputError(path, _failure_reason(err)) from err
    if not pages:
        raise InputError(path, "not a readable PDF (no pages)")
    return pages, blank


def _stray(chars: list[dict]) -> bool:
    """Whether a page's text layer is empty or only a few stray characters."""
    return sum(c["text"].isalnum() for c in chars) < STRAY


def _ocr_layout(page: _Page, read: OcrPage) -> _Page:
    """The page with its lines made from OCR text lines, grouped as text-layer words are."""
    lines = _group_lines(line_units(read))
    kept = tuple(ln for ln in lines if not TEXT_RULE.fullmatch(ln.text))
    return replace(page, lines=kept, rules=())


def _failure_reason(err: Exception) -> str:
    """Describe a parsing exception in a few words for InputError."""
    cause = err.args[0] if isinstance(err, PdfminerException) and err.args else err
    if isinstance(cause, PDFEncryptionError):
        return ENCRYPTED
    detail = " ".join(str(cause).split())[:80]
    return f"not a readable PDF ({type(cause).__name__}{': ' if detail else ''}{detail})"


def _page_layout(page: pdfplumber.page.Page) -> _Page:
    """Turn a pdfplumber page into a _Page of visual lines (overprinted chars once)."""
    # dedupe_chars is quadratic in the number of chars: run it only where text is doubled.
    source = page.dedupe_chars() if _has_doubled_chars(page.chars) else page
    # Rotated text (margin stamps, spine labels) is not part of the reading order.
    words = [w for w in source.extract_words(extra_attrs=["size"]) if w["upright"]]
    lines, rules = [], []
    for line in _group_lines(words):
        if TEXT_RULE.fullmatch(line.text):
            rules.append((line.x0, line.x1, (line.top + line.bottom) / 2))
        else:
            lines.append(line)
    rules.extend(_drawn_rules(page))
    return _Page(
        page.page_number, float(page.width), float(page.height), tuple(lines), tuple(rules)
    )


def _has_doubled_chars(chars: list[dict]) -> bool:
    """Tell whether two chars with the same text lie within 1pt of each other."""
    seen: dict[tuple[str, int], list[tuple[float, float]]] = {}
    for char in chars:
        text, top, x0 = char["text"], char["top"], char["x0"]
        row = int(top)
        for key in ((text, row - 1), (text, row), (text, row + 1)):
            if any(abs(top - t) <= 1 and abs(x0 - x) <= 1 for t, x in seen.get(key, ())):
                return True
        seen.setdefault((text, row), []).append((top, x0))
    return False


def _group_lines(words: list[dict]) -> list[_VLine]:
    """Group words into visual lines, top to bottom.

    A word joins a line it overlaps vertically when its font is at most twice
    as large or small: superscripts stay in their line, a giant letterhead
    letter beside a normal line does not.
    """
    groups: list[list[dict]] = []
    for word in sorted(words, key=lambda w: ((w["top"] + w["bottom"]) / 2, w["x0"])):
        for group in reversed(groups[-3:]):
            if _same_line(group, word):
                group.append(word)
                break
        else:
            groups.append([word])
    lines = [_make_line(sorted(group, key=lambda w: w["x0"])) for group in groups]
    # By bottom (near the baseline), so a tall letterhead glyph follows the lines beside it.
    return sorted(lines, key=lambda ln: (ln.bottom, ln.x0))


def _same_line(group: list[dict], word: dict) -> bool:
    """Tell whether `word` belongs on the line formed by `group`."""
    top = min(w["top"] for w in group)
    bottom = max(w["bottom"] for w in group)
    overlap = min(bottom, word["bottom"]) - max(top, word["top"])
    height = min(bottom - top, word["bottom"] - word["top"])
    sizes = sorted((group[0]["size"], word["size"]))
    return overlap > 0.25 * height and sizes[1] <= 2 * sizes[0]


def _make_line(words: list[dict]) -> _VLine:
    """Join x-sorted words into a _VLine; no space where words touch (superscripts)."""
    parts = [words[0]["text"]]
    for prev, word in zip(words, words[1:], strict=False):
        touching = word["x0"] - prev["x1"] <= 0.1 * min(prev["size"], word["size"])
        parts.append(word["text"] if touching else " " + word["text"])
    weights: Counter[float] = Counter()
    for word in words:
        weights[round(word["size"], 1)] += len(word["text"])
    top = min(w["top"] for w in words)
    bottom = max(w["bottom"] for w in words)
    size = weights.most_common(1)[0][0]
    return _VLine("".join(parts), top, bottom, words[0]["x0"], words[-1]["x1"], size)


def _drawn_rules(page: pdfplumber.page.Page) -> list[tuple[float, float, float]]:
    """Return the page's horizontal lines and hairline rectangles as (x0, x1, y)."""
    rules = [(ln["x0"], ln["x1"], ln["top"]) for ln in page.lines if ln["height"] < 2]
    for rect in page.rects:
        if rect["height"] < 2 and rect["width"] > 10:
            rules.append((rect["x0"], rect["x1"], (rect["top"] + rect["bottom"]) / 2))
    return rules


@lru_cache(maxsize=1)
def load_furniture() -> tuple[_Furniture, ...]:
    """Read the page-furniture patterns (resources/page_furniture.jsonl, see its README)."""
    rules = []
    for item in load_jsonl("page_furniture.jsonl"):
        where = item.get("where", "any")
        if where not in ("top", "bottom", "any"):
            raise ValueError(
                f"page_furniture.jsonl: {item['id']}: where must be top, bottom or any"
            )
        rules.append(_Furniture(item["id"], re.compile(item["pattern"]), where, item["example"]))
    return tuple(rules)


def _edges(page: _Page) -> dict[int, str]:
    """Map the index of each line in the page's top or bottom furniture zone to that edge."""
    edges: dict[int, str] = {}
    n = len(page.lines)
    for i, line in enumerate(page.lines):
        if i < EDGE_LINES and line.bottom <= page.height * EDGE_BAND:
            edges[i] = "top"
        elif i >= n - EDGE_LINES and line.top >= page.height * (1 - EDGE_BAND):
            edges[i] = "bottom"
    return edges


def _furniture_keys(pages: list[_Page], rules: tuple[_Furniture, ...]) -> set[tuple[int, int]]:
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


def _repeated(places: dict[str, list[tuple[int, int, float]]], pages: list[_Page]) -> set:
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


def _body_size(pages: list[list[_VLine]]) -> float:
    """Return the font size carrying most characters in the document."""
    weights: Counter[float] = Counter()
    for lines in pages:
        for line in lines:
            weights[line.size] += len(line.text)
    return weights.most_common(1)[0][0] if weights else 10.0


def _gap_ratio(pages: list[list[_VLine]], body_size: float) -> float:
    """Return the median gap between consecutive body-size lines, in units of font size."""
    gaps = [
        (b.top - a.bottom) / body_size
        for lines in pages
        for a, b in zip(lines, lines[1:], strict=False)
        if a.size == b.size == body_size and b.top > a.bottom
    ]
    return statistics.median(gaps) if len(gaps) >= 3 else 0.3


def _footnote_start(page: _Page, lines: list[_VLine], body_size: float) -> int:
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


def _emit(page_no: int, lines: list[_VLine], split: int, gap_ratio: float) -> list[Line]:
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
