"""Stage 1a: turn a source document's bytes into lines with page provenance."""

from __future__ import annotations

import codecs

from .clean import layout
from .models import InputError, Line, RawDocument
from .pdf import read_pdf

PROSE_SHARE = 0.5  # of the whitespace-separated tokens of a text file that must be words
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def ingest(doc_id: str, path: str, data: bytes) -> RawDocument:
    """Parse `data` (the bytes of `path`) by its suffix; InputError when it cannot be used."""
    suffix = path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""
    if not data.strip():
        raise InputError(path, "empty file")
    if suffix == "txt":
        lines = read_txt(data, path)
        return RawDocument(doc_id, path, "txt", lines, n_pages=0)
    if suffix == "pdf":
        lines, n_pages = read_pdf(data, path)
        return RawDocument(doc_id, path, "pdf", lines, n_pages=n_pages)
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


def decode_text(data: bytes, path: str) -> str:
    """Decode the bytes of a text or CSV file: UTF-8 (a BOM dropped), or UTF-16 with its
    BOM (and the zero bytes of mostly Latin text). InputError naming the line of a NUL
    byte or an invalid byte."""
    if data.startswith(UTF16_BOMS) and data.count(0) * 4 >= len(data):  # text, not a binary
        try:
            return _no_nul(data.decode("utf-16"), path, "UTF-16 ")
        except UnicodeDecodeError as err:
            raise InputError(path, "not valid UTF-16 text (it starts with a UTF-16 mark)") from err
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise InputError(f"{path}:{line}", "binary file, not plain text (a NUL byte)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        byte = data[err.start : err.start + 1].hex()
        reason = f"not UTF-8 text (invalid byte 0x{byte} at offset {err.start})"
        raise InputError(f"{path}:{line}", reason) from err


def _no_nul(text: str, path: str, encoding: str) -> str:
    """`text` unchanged; InputError naming the line of its first NUL character."""
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise InputError(f"{path}:{line}", f"binary file, not plain {encoding}text (a NUL)")
    return text


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
