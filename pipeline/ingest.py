"""Stage 1a: turn a source document's bytes into lines with page provenance."""

from __future__ import annotations

from .models import InputError, Line, RawDocument
from .ocr import Recogniser
from .pdf import Ocr, read_pdf_pages


def ingest(doc_id: str, path: str, data: bytes, ocr: Ocr | None = None) -> RawDocument:
    """Parse `data` (the bytes of `path`) by its suffix; InputError when it cannot be used.

    PDF pages without a text layer are read by `ocr` (default: ocr.Recogniser(), uncached).
    """
    suffix = path.rsplit(".", 1)[-1].lower() if "." in path else ""
    if not data.strip():
        raise InputError(path, "empty file")
    if suffix == "txt":
        lines = read_txt(data, path)
        return RawDocument(doc_id, path, "txt", lines, n_pages=0)
    if suffix == "pdf":
        lines, n_pages, read = read_pdf_pages(data, path, ocr or Recogniser())
        return RawDocument(doc_id, path, "pdf", lines, n_pages=n_pages, ocr=read)
    raise InputError(path, f"unsupported file type {suffix or '(none)'!r}; use .txt or .pdf")


def read_txt(data: bytes, path: str) -> tuple[Line, ...]:
    """Decode UTF-8 text into Lines without pages (cleaning infers them)."""
    if b"\x00" in data[:8192] or data.startswith(b"%PDF"):
        raise InputError(path, "binary file, not plain text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(path, f"not UTF-8 text (invalid byte at offset {err.start})") from err
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return tuple(Line(t, None, n) for n, t in enumerate(text.split("\n"), start=1))
