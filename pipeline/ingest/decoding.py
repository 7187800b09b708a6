"""Decode the bytes of a text, manifest or gold file (pure: bytes in, text out).

Its own module because both ingestion and storage read text files, and ingestion
(through OCR) already depends on storage.
"""

from __future__ import annotations

import codecs

from pipeline.models import InputError

UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


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
