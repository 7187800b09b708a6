"""Stage 1b: rebuild the author's paragraphs, headings and footnotes from raw lines.

The rules are about layout and typography only (resources/layout.jsonl,
resources/typography.jsonl); none names a string of one document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

from pipeline.models import CleanDocument, InputError, RawDocument, Segment
from pipeline.rules import load_jsonl

SHORT_LINE = 0.85  # a line under 85% of the usual width ends its paragraph if it ends a sentence
INDENT = 0.89  # in justified text, a first line this much shorter shows a paragraph indent
JUSTIFIED = 0.88  # justified: the 25th-percentile line is at least this share of the 90th
MAX_HEADING_WORDS = 12
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


@dataclass(frozen=True)
class Piece:
    """A source line on its page. kind: "text", "note" (footnote area), "weak" or "strong" break."""

    text: str
    page: int
    kind: str = "text"


@dataclass(frozen=True)
class Block:
    """A heading, paragraph or footnote as a run of text pieces."""

    kind: str
    pieces: tuple[Piece, ...]


@cache
def layout() -> dict[str, re.Pattern]:
    """Return the compiled layout rules by id."""
    return {r["id"]: re.compile(r["pattern"]) for r in load_jsonl("layout.jsonl")}


def is_(rule: str, text: str) -> bool:
    """Tell whether layout rule `rule` matches `text`."""
    return layout()[rule].search(text) is not None


def clean_document(raw: RawDocument) -> CleanDocument:
    """Turn a RawDocument into cleaned text, segments and a page map."""
    texts = repair_typography([line.text for line in raw.lines])
    warnings: tuple[str, ...] = ()
    if raw.kind == "txt":
        pieces, warnings = place_on_pages(to_pieces(texts))
    else:
        pieces = [Piece(t, ln.page or 1, _pdf_kind(t, ln.zone)) for t, ln in zip(texts, raw.lines)]
    body, notes = split_footnotes(pieces)
    blocks = group_blocks(body) + [Block("footnote", tuple(n)) for n in notes]
    if not blocks:
        raise InputError(raw.path, "no text left after cleaning")
    clean = render(raw.doc_id, blocks, frozenset(w for t in texts for w in WORD.findall(t)))
    return replace(clean, warnings=warnings)


def _pdf_kind(text: str, zone: str) -> str:
    """Kind of a PDF line: blank lines are real block breaks."""
    if not text.strip():
        return "strong"
    return "note" if zone == "footnote" else "text"


def repair_typography(texts: list[str]) -> list[str]:
    """Apply the typography repairs; the "mojibake" ones only where the document shows it."""
    whole = "\n".join(texts)
    mojibake = bool(re.search(r"\u2015\w", whole) and re.search(r"[\w.,!?]\u2016", whole))
    rules = [r for r in load_jsonl("typography.jsonl") if r["when"] == "always" or mojibake]
    compiled = [(re.compile(r["find"]), r["replace"]) for r in rules]
    out = []
    for text in texts:
        for pattern, replacement in compiled:
            text = pattern.sub(replacement, text)
        out.append(text)
    return out


def to_pieces(texts: list[str]) -> list[Piece]:
    """Classify text-file lines, dropping the empty line after every line of a double-spaced file.

    A file is double-spaced when most lines are followed by an empty line and
    many of those empty lines fall inside a sentence. There a truly empty line
    means nothing, and a whitespace-only line is only a weak break (it also
    appears at page breaks inside sentences).
    """
    followed = [i for i, t in enumerate(texts[:-1]) if t.strip() and texts[i + 1] == ""]
    filled = sum(bool(t.strip()) for t in texts)
    inside = sum(_continues(texts[i], texts[i + 2 : i + 3]) for i in followed)
    doubled = filled > 0 and len(followed) >= 0.6 * filled and inside >= 0.2 * len(followed)
    blank = "weak" if doubled else "strong"
    return [Piece(t, 0, "text" if t.strip() else blank) for t in texts if not (doubled and t == "")]


def _continues(text: str, after: list[str]) -> bool:
    """Whether the sentence of `text` runs on into the next line (given as a 0/1-list)."""
    following = after[0].strip() if after else ""
    return not is_("terminal", text) and following[:1].islower()


def place_on_pages(pieces: list[Piece]) -> tuple[list[Piece], tuple[str, ...]]:
    """Give every line of a text file a page, read from its page-number lines; return
    them with a warning when page-number lines number page 0 (no page: they are ignored)."""
    ordinal = _text_ordinals(pieces)
    numbered = [
        (ordinal[i], int(re.search(r"\d+", p.text).group()), p.text.strip())
        for i, p in enumerate(pieces)
        if p.kind == "text" and is_("page_number", p.text)
    ]
    markers = [(k, page) for k, page, _ in numbered if page > 0]
    zeros = [text for _, page, text in numbered if page == 0]
    placed = [Piece(p.text, page_of(ordinal[i], markers), p.kind) for i, p in enumerate(pieces)]
    return placed, (_zero_pages(zeros),) if zeros else ()


def _zero_pages(lines: list[str]) -> str:
    """The warning about page-number lines that number page 0."""
    more = f" (and {len(lines) - 1} more such line(s))" if len(lines) > 1 else ""
    return f'page-number line "{lines[0]}" numbers page 0, which is no page: ignored{more}'


def _text_ordinals(pieces: list[Piece]) -> list[int]:
    """For each piece, how many text pieces come before it."""
    out, seen = [], 0
    for piece in pieces:
        out.append(seen)
        seen += piece.kind == "text"
    return out


def page_of(k: int, markers: list[tuple[int, int]]) -> int:
    """Page of the text line with ordinal `k`, given (ordinal, page) of page-number lines.

    A page-number line closes its page. Lines between two markers are spread
    evenly over the pages between them; before the first and after the last
    marker, pages are extrapolated at the document's mean lines per page.
    """
    if not markers:
        return 1
    (k_first, p_first), (k_last, p_last) = markers[0], markers[-1]
    spread = (k_last - k_first) / (p_last - p_first) if p_last > p_first else k_first / p_first
    per_page = max(spread, 1.0)
    if k <= k_first:
        return max(1, p_first - int((k_first - k) / per_page))
    for (k0, p0), (k1, p1) in zip(markers, markers[1:]):
        if k0 < k <= k1:
            return min(p1, p0 + 1 + int((k - k0 - 1) * (p1 - p0) / (k1 - k0)))
    return p_last + 1 + int((k - k_last - 1) / per_page)


def split_footnotes(pieces: list[Piece]) -> tuple[list[Piece], list[list[Piece]]]:
    """Separate footnotes from the body; drop page numbers and note-reference numbers.

    In text files a footnote area opens with a long run of spaces, each note
    starts with its number on a line of its own, and the body resumes on a
    line that opens with a space (a new page) or that continues a sentence.
    Superscript ordinals split over lines ("201" / "st") are glued back.
    """
    body: list[Piece] = []
    notes: list[list[Piece]] = []
    in_area = False
    for piece in pieces:
        if is_("footnote_separator", piece.text) or is_("page_number", piece.text):
            in_area = is_("footnote_separator", piece.text)
            continue
        if piece.kind == "note" or (in_area and piece.kind == "text"):
            if is_("note_number", piece.text) or _opens_note(piece, notes):
                notes.append([])
            if not in_area or not _closes_area(piece, notes[-1]):
                notes[-1].append(piece)
                continue
            in_area = False
        _add_body(body, piece)
    body = [p for p in body if p.kind != "glue"]
    return body, [n for n in notes if any(p.text.strip() for p in n)]


def _opens_note(piece: Piece, notes: list[list[Piece]]) -> bool:
    """A footnote-zone line opens a new note when it starts with a number or none is open."""
    return not notes or (piece.kind == "note" and re.match(r"\s*\d{1,3}\b", piece.text) is not None)


def _closes_area(piece: Piece, note: list[Piece]) -> bool:
    """Whether `piece` is body text resuming after the footnote `note`."""
    texts = [p.text for p in note if not is_("note_number", p.text)]
    if not texts:
        return False
    resumes_page = piece.text[:1].isspace()
    continues = is_("terminal", texts[-1]) and piece.text.strip()[:1].islower()
    return resumes_page or continues


def _add_body(body: list[Piece], piece: Piece) -> None:
    """Append a body piece, gluing superscripts back into their visual line.

    A note-reference number or an ordinal suffix ("201" / "st") split one
    printed line in three; the parts are joined again so that line-length
    rules see the line as printed. A "glue" piece marks a pending join.
    """
    glue = bool(body) and body[-1].kind == "glue"
    if glue:
        body.pop()
    last = body[-1] if body and body[-1].kind == "text" else None
    if piece.kind != "text" or last is None:
        body.append(piece)
        return
    if is_("note_number", piece.text) or is_("ordinal_suffix", piece.text):
        if is_("ordinal_suffix", piece.text) and last.text.rstrip()[-1:].isdigit():
            body[-1] = Piece(last.text.rstrip() + piece.text.strip(), last.page)
        body.append(Piece("", piece.page, "glue"))
        return
    if glue:
        body[-1] = Piece(f"{last.text.rstrip()} {piece.text.strip()}", last.page)
        return
    body.append(piece)


def group_blocks(body: list[Piece]) -> list[Block]:
    """Group body lines into headings and paragraphs."""
    texts = [p for p in body if p.kind == "text"]
    lengths = sorted(len(p.text.strip()) for p in texts) or [0]
    width = lengths[int(0.9 * (len(lengths) - 1))]
    indent = INDENT * width if lengths[len(lengths) // 4] >= JUSTIFIED * width else 0
    blocks: list[list[Piece]] = []
    before = "strong"
    for i, piece in enumerate(body):
        if piece.kind != "text":
            before = "strong" if "strong" in (before, piece.kind) else piece.kind
            continue
        if not before and blocks and blocks[-1][-1].page != piece.page:
            before = "page"
        after = _break_after(body, i)
        heading = _is_heading(piece, blocks, before, after, width)
        if heading or not blocks or _starts_block(blocks[-1], piece, before, (width, indent)):
            blocks.append([])
        blocks[-1].append(Piece(piece.text, piece.page, "heading" if heading else "text"))
        before = ""
    return [Block("heading" if b[0].kind == "heading" else "paragraph", tuple(b)) for b in blocks]


def _break_after(body: list[Piece], i: int) -> str:
    """The kind of break right after piece i: "strong", "weak", "end" or ""."""
    if i + 1 >= len(body):
        return "end"
    return body[i + 1].kind if body[i + 1].kind != "text" else ""


def _starts_block(block: list[Piece], piece: Piece, before: str, widths: tuple[int, float]) -> bool:
    """Whether `piece` opens a new paragraph after the current `block`.

    widths: the usual line width, and the width under which a line of
    justified text is indented (0 when the text is not justified).
    """
    width, indent = widths
    prev = block[-1]
    if before == "strong" or block[0].kind == "heading":
        return True
    if not is_("terminal", prev.text):
        return False
    short = len(prev.text.strip()) < SHORT_LINE * width or is_("paragraph_end", prev.text)
    new_page = prev.page != piece.page and is_("enumerated_start", piece.text)
    indented = len(piece.text.strip()) < indent and not is_("terminal", piece.text)
    return before == "weak" or short or new_page or indented


def _is_heading(
    piece: Piece, blocks: list[list[Piece]], before: str, after: str, width: int
) -> bool:
    """A heading is a short, unpunctuated, capitalised line standing alone."""
    text = piece.text.strip()
    words = text.split()
    if not after or len(words) > MAX_HEADING_WORDS or len(text) > SHORT_LINE * max(width, 40):
        return False
    if re.search(r"[.,;!?\-\u2014]$", text) or not (text[0].isupper() or text[0].isdigit()):
        return False
    opens = not blocks or before == "strong" or is_("terminal", blocks[-1][-1].text)
    opens = opens or (before == "page" and after == "strong")
    long_words = [w for w in words if len(w) > 3] or words
    titled = sum(w[0].isupper() for w in long_words) >= 0.6 * len(long_words)
    return opens and (titled or (before == "strong" and after in ("strong", "end")))


def render(doc_id: str, blocks: list[Block], words: frozenset[str]) -> CleanDocument:
    """Join blocks into the cleaned text; return it with segments and page starts."""
    parts, segments, page_starts = [], [], []
    offset, section = 0, ""
    for number, block in enumerate(blocks, start=1):
        text, starts = join_pieces(block.pieces, words)
        if block.kind == "heading":
            section = text
        for start, piece in zip(starts, block.pieces):
            if not page_starts or page_starts[-1][1] != piece.page:
                page_starts.append((offset + start, piece.page))
        where = "Notes" if block.kind == "footnote" else section
        page = block.pieces[0].page
        segments.append(
            Segment(doc_id, number, block.kind, where, page, offset, offset + len(text))
        )
        parts.append(text)
        offset += len(text) + 2
    return CleanDocument(doc_id, "\n\n".join(parts) + "\n", tuple(segments), tuple(page_starts))


def join_pieces(pieces: tuple[Piece, ...], words: frozenset[str]) -> tuple[str, list[int]]:
    """Join lines into one paragraph; return it and where each line starts in it.

    A line-end hyphen is kept (compounds like "power-sharing") unless the
    document elsewhere writes the joined word without it.
    """
    out, starts = "", []
    for piece in pieces:
        text = re.sub(r"\s+", " ", piece.text.strip())
        if out and re.search(r"[^\W\d_]-$", out) and text:
            left, right = WORD.findall(out)[-1].split("-")[-1], WORD.match(text)
            joined = right and (left + right.group()) in words
            if joined and f"{left}-{right.group()}" not in words:
                out = out[:-1]
        elif out and not (out.endswith("\u2014") or text.startswith("\u2014")):
            out += " "
        starts.append(len(out))
        out += text
    return out, starts
