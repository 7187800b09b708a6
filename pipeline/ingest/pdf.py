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
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError
from pdfplumber.utils.exceptions import PdfminerException

from pipeline.ingest.ocr import line_units
from pipeline.ingest.pdf_layout import (
    Page,
    VLine,
    body_font_size,
    emit,
    footnote_start,
    furniture_keys,
    load_furniture,
    median_gap,
)
from pipeline.models import InputError, Line, OcrPage

TEXT_RULE = re.compile(r"[_\-\u2013\u2014]{3,}")  # a "line" typed as underscores or dashes
NO_TEXT = "no text layer (scanned image?); run OCR first"
NO_TEXT_OCR = "no text layer, and OCR found no text"
STRAY = 20  # a page with fewer letters and digits than this in its text layer is OCR'd
ENCRYPTED = "encrypted PDF; decrypt it first"


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
    furniture = furniture_keys(pages, load_furniture())
    kept = [[ln for i, ln in enumerate(p.lines) if (p.number, i) not in furniture] for p in pages]
    body_size = body_font_size(kept)
    gap_ratio = median_gap(kept, body_size)
    out: list[Line] = []
    for page, lines in zip(pages, kept, strict=True):
        split = footnote_start(page, lines, body_size)
        out.extend(emit(page.number, lines, split, gap_ratio))
    return tuple(out), len(pages), read


def _parse(data: bytes, path: str) -> tuple[list[Page], list[int]]:
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


def _ocr_layout(page: Page, read: OcrPage) -> Page:
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


def _page_layout(page: pdfplumber.page.Page) -> Page:
    """Turn a pdfplumber page into a Page of visual lines (overprinted chars once)."""
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
    return Page(page.page_number, float(page.width), float(page.height), tuple(lines), tuple(rules))


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


def _group_lines(words: list[dict]) -> list[VLine]:
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


def _make_line(words: list[dict]) -> VLine:
    """Join x-sorted words into a VLine; no space where words touch (superscripts)."""
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
    return VLine("".join(parts), top, bottom, words[0]["x0"], words[-1]["x1"], size)


def _drawn_rules(page: pdfplumber.page.Page) -> list[tuple[float, float, float]]:
    """Return the page's horizontal lines and hairline rectangles as (x0, x1, y)."""
    rules = [(ln["x0"], ln["x1"], ln["top"]) for ln in page.lines if ln["height"] < 2]
    for rect in page.rects:
        if rect["height"] < 2 and rect["width"] > 10:
            rules.append((rect["x0"], rect["x1"], (rect["top"] + rect["bottom"]) / 2))
    return rules
