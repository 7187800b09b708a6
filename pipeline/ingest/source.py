"""Stage 1a: turn a source document's bytes into lines with page provenance."""

from __future__ import annotations

from pipeline.ingest.clean import layout
from pipeline.ingest.decoding import decode_text
from pipeline.ingest.ocr import Recogniser
from pipeline.ingest.pdf import Ocr, read_pdf_pages
from pipeline.models import InputError, Line, RawDocument

PROSE_SHARE = 0.5  # of the whitespace-separated tokens of a text file that must be words


def ingest(doc_id: str, path: str, data: bytes, ocr: Ocr | None = None) -> RawDocument:
    """Parse `data` (the bytes of `path`) by its suffix; InputError when it cannot be used.

    PDF pages without a text layer are read by `ocr` (default: ocr.Recogniser(), uncached).
    """
    suffix = path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""
    if not data.strip():
        raise InputError(path, "empty file")
    if suffix == "txt":
        lines = read_txt(data, path)
        return RawDocument(doc_id, path, "txt", lines, n_pages=0)
    if suffix == "pdf":
        lines, n_pages, read = read_pdf_pages(data, path, ocr or Recogniser())
        return RawDocument(doc_id, path, "pdf", lines, n_pages=n_pages, ocr=read)
    what = "a PDF" if data.startswith(b"%PDF") else "text" if _is_prose(_try_decode(data)) else ""
    reason = f"it looks like {what}: name it .txt or .pdf" if what else "no running prose either"
    kind = suffix or "(none)"
    raise InputError(path, f"not a document: unsupported file type {kind!r}; {reason}")


def read_txt(data: bytes, path: str) -> tuple[Line, ...]:
    """Decode UTF-8 (or UTF-16 with a byte-order mark) text into Lines without pages
    (cleaning infers them); InputError for a file that is no running prose."""
    if data.startswith(b"%PDF"):
        raise InputError(path, "binary file, not plain text (a PDF: name it .pdf)")
    text = decode_text(data, path)
    if not _is_prose(text):
        raise InputError(path, "not a document: too few words of running prose")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return tuple(Line(t, None, n) for n, t in enumerate(text.split("\n"), start=1))


def _try_decode(data: bytes) -> str:
    """The text of `data` when it decodes, else ""."""
    try:
        return decode_text(data, "")
    except InputError:
        return ""


def _is_prose(text: str) -> bool:
    """Whether at least PROSE_SHARE of the text's tokens are words (a password file,
    a table of numbers or source code is no narrative)."""
    tokens = text.split()
    if not tokens:
        return False
    word = layout()["prose_word"]
    return sum(bool(word.fullmatch(t)) for t in tokens) >= PROSE_SHARE * len(tokens)
