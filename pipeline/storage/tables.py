"""CSV tables on disk: rendering, reading (errors name the file and line), spreadsheet-safe
cells."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from pipeline.ingest.decoding import decode_text
from pipeline.models import InputError
from pipeline.storage.files import read_source, write_atomic

# A cell a spreadsheet would run as a formula (OWASP CSV injection, CWE-1236).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """A table value as a spreadsheet may show it: text that would start a formula gets a
    leading single quote (OWASP); numbers and other text are unchanged. Idempotent."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def raw_cell(text: str) -> str:
    """The text a cell had before safe_cell neutralised it (the `score` command reads the
    tables back into the records the run scored)."""
    if text.startswith("'") and text[1:].startswith(FORMULA_START):
        return text[1:]
    return text


def csv_text(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """Render rows as CSV text with a header and \\n line endings."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue()


def csv_rows_text(rows: Iterable[Sequence[object]]) -> str:
    """Render rows as CSV lines without a header, as csv_text writes them."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def read_csv_rows(path: Path) -> list[dict[str, str]]:
    """Return the rows of a CSV file as dicts, or [] when the file does not exist.

    InputError names the file and line of the first problem: not a file, not
    UTF-8 text, a NUL byte, an unclosed quote, an over-long field.
    """
    if not os.path.lexists(path):
        return []
    reader = csv.reader(io.StringIO(decode_text(read_source(path), str(path))), strict=True)
    records, line = [], 1
    try:
        for record in reader:
            records.append(record)
            line = reader.line_num + 1
    except csv.Error as err:
        problem = str(err)
        if "end of data" in problem:
            problem = "unclosed quote: the quoted field opened here runs to the end of the file"
        elif "field limit" in problem:
            problem = f"a field longer than {csv.field_size_limit():,} characters"
        raise InputError(f"{path}:{line}", problem) from err
    if not records:
        return []
    header = records[0]
    return [dict(zip(header, r + [""] * (len(header) - len(r)))) for r in records[1:] if r]


def append_rows(path: Path, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """Append CSV rows to `path`, keeping its existing bytes as they are (header if new)."""
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    if existing and not existing.endswith("\n"):
        existing += "\n"
    body = csv_text(columns, rows)
    write_atomic(path, existing + body.split("\n", 1)[1] if existing else body)


def read_csv_if_present(path: Path) -> list[dict[str, str]] | None:
    """Return the rows of a CSV file as dicts, or None when the file does not exist."""
    return read_csv_rows(path) if os.path.lexists(path) else None


def read_register(path: Path) -> list[dict[str, str]]:
    """Return the rows of a PA-X export (UTF-8, with or without a BOM; cells may span lines).

    InputError when the file is missing or not UTF-8 text.
    """
    try:
        text = read_source(path).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(str(path), "not UTF-8 text") from None
    return list(csv.DictReader(io.StringIO(text, newline="")))


def read_csv_table(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Return the header and the rows (as dicts) of a CSV file."""
    reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))
    rows = list(reader)
    return list(reader.fieldnames or []), rows
