"""The only module that touches the disk: corpus manifest, source bytes, outputs, gold files."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from .models import InputError, ManifestEntry

MANIFEST = "manifest.csv"
MANIFEST_COLUMNS = ("doc_id", "file", "title", "author", "year", "language", "source")
SOURCE_SUFFIXES = (".txt", ".pdf")


def read_manifest(corpus: Path) -> tuple[list[ManifestEntry], list[InputError]]:
    """Read `corpus/manifest.csv` plus unlisted source files (doc_id = file stem).

    Returns the usable entries and one error per entry whose doc_id is already
    taken (that entry is left out). Raises InputError for a missing corpus or a
    malformed manifest.
    """
    if not corpus.is_dir():
        raise InputError(str(corpus), "corpus folder not found")
    listed = _manifest_rows(corpus / MANIFEST)
    known = {e.file for e in listed}
    extra = [
        ManifestEntry(doc_id=p.stem, file=p.name)
        for p in sorted(corpus.iterdir())
        if p.suffix.lower() in SOURCE_SUFFIXES and p.name not in known
    ]
    return _unique(listed + extra, corpus)


def _manifest_rows(path: Path) -> list[ManifestEntry]:
    """Return the rows of a manifest file, or [] when it does not exist."""
    if not path.exists():
        return []
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    if rows and not {"doc_id", "file"} <= set(rows[0]):
        raise InputError(str(path), "manifest needs the columns doc_id and file")
    entries = []
    for number, row in enumerate(rows, start=2):
        if not row.get("doc_id") or not row.get("file"):
            raise InputError(f"{path}:{number}", "empty doc_id or file")
        entries.append(ManifestEntry(**{k: (row.get(k) or "").strip() for k in MANIFEST_COLUMNS}))
    return entries


def _unique(
    entries: Sequence[ManifestEntry], corpus: Path
) -> tuple[list[ManifestEntry], list[InputError]]:
    """Split entries into the first of each doc_id and errors for the repeats."""
    kept: dict[str, ManifestEntry] = {}
    errors = []
    for entry in entries:
        first = kept.get(entry.doc_id)
        if first is None:
            kept[entry.doc_id] = entry
            continue
        reason = f"duplicate doc_id {entry.doc_id!r} (already used by {first.file}); skipped"
        errors.append(InputError(str(corpus / entry.file), reason))
    return list(kept.values()), errors


def absent_outside(corpus: Path, file: str) -> bool:
    """Whether a manifest `file` lies outside the corpus folder and is absent.

    Such a document (e.g. a shared test document, `../../shared/corpus/x.pdf`)
    is skipped when missing rather than reported as an error.
    """
    path = (corpus / file).resolve()
    return not path.exists() and not path.is_relative_to(corpus.resolve())


def read_source(path: Path) -> bytes:
    """Return the bytes of a source document; InputError if it is missing or unreadable."""
    if not path.exists():
        raise InputError(str(path), "file not found")
    if not path.is_file():
        raise InputError(str(path), "not a regular file")
    try:
        return path.read_bytes()
    except OSError as err:
        raise InputError(str(path), f"cannot read ({err.strerror})") from err


def read_text(path: Path) -> str:
    """Return a UTF-8 text file (gold files, earlier outputs)."""
    return path.read_text(encoding="utf-8")


def write_atomic(path: Path, content: str) -> None:
    """Write `content` to `path` through a temporary file and a rename, never half-written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def csv_text(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """Render rows as CSV text with a header and \\n line endings."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue()


def read_csv_rows(path: Path) -> list[dict[str, str]]:
    """Return the rows of a CSV file as dicts, or [] when the file does not exist."""
    if not path.exists():
        return []
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def add_to_corpus(source: Path, corpus: Path, entry: ManifestEntry) -> Path:
    """Copy `source` into the corpus and append its manifest row; return the copy's path."""
    target = corpus / entry.file
    if target.exists():
        raise InputError(str(target), "a file of that name is already in the corpus")
    corpus.mkdir(parents=True, exist_ok=True)
    manifest = corpus / MANIFEST
    existing = manifest.read_text(encoding="utf-8") if manifest.exists() else ""
    if not existing:
        existing = csv_text(MANIFEST_COLUMNS, [])
    row = csv_text(MANIFEST_COLUMNS, [[getattr(entry, c) for c in MANIFEST_COLUMNS]])
    shutil.copyfile(source, target)
    write_atomic(manifest, existing + row.split("\n", 1)[1])
    return target


def append_rows(path: Path, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """Append CSV rows to `path`, keeping its existing bytes as they are (header if new)."""
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    if existing and not existing.endswith("\n"):
        existing += "\n"
    body = csv_text(columns, rows)
    write_atomic(path, existing + body.split("\n", 1)[1] if existing else body)


def write_if_absent(path: Path, content: str) -> bool:
    """Write `content` to `path` unless it exists; return whether it was written."""
    if path.exists():
        return False
    write_atomic(path, content)
    return True


def list_files(folder: Path, suffix: str) -> list[Path]:
    """Return the files in `folder` whose names end with `suffix`, sorted; InputError if absent."""
    if not folder.is_dir():
        raise InputError(str(folder), "folder not found")
    return sorted(p for p in folder.iterdir() if p.is_file() and p.name.endswith(suffix))


def read_csv_if_present(path: Path) -> list[dict[str, str]] | None:
    """Return the rows of a CSV file as dicts, or None when the file does not exist."""
    return read_csv_rows(path) if path.exists() else None


def read_register(path: Path) -> list[dict[str, str]]:
    """Return the rows of a PA-X export (UTF-8, with or without a BOM; cells may span lines).

    InputError when the file is missing or not UTF-8 text.
    """
    try:
        text = read_source(path).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(str(path), "not UTF-8 text") from None
    return list(csv.DictReader(io.StringIO(text, newline="")))


def write_bytes_atomic(path: Path, content: bytes) -> None:
    """Write bytes to `path` through a temporary file and a rename, never half-written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def same_content(source: Path, corpus: Path, entries: Iterable[ManifestEntry]) -> list:
    """The entries whose file (present) has the same bytes (SHA-256) as `source`."""
    digest = hashlib.sha256(read_source(source)).hexdigest()
    return [
        e
        for e in entries
        if (corpus / e.file).is_file()
        and hashlib.sha256((corpus / e.file).read_bytes()).hexdigest() == digest
    ]


def read_csv_table(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Return the header and the rows (as dicts) of a CSV file."""
    reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))
    rows = list(reader)
    return list(reader.fieldnames or []), rows
def read_cached(folder: Path, key: str) -> str | None:
    """Return the cache entry `folder/<key>.json` (OCR output), or None when absent."""
    path = folder / f"{key}.json"
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def write_cached(folder: Path, key: str, content: str) -> None:
    """Store the cache entry `folder/<key>.json` atomically."""
    write_atomic(folder / f"{key}.json", content)
