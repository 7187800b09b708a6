"""The corpus folder: its manifest, doc_ids, and adding a document (all or nothing)."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from pipeline.models import InputError, ManifestEntry
from pipeline.storage.files import read_source, read_text, switch_all
from pipeline.storage.tables import csv_text, read_csv_rows

MANIFEST = "manifest.csv"
MANIFEST_COLUMNS = ("doc_id", "file", "title", "author", "year", "language", "source")
SOURCE_SUFFIXES = (".txt", ".pdf")
# A doc_id names files (text/<doc_id>.txt, <doc_id>.events.csv): a name, never a path.
DOC_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]{0,199}")
DOC_ID_RULE = "letters, digits, '.', '_', '-', starting with a letter, digit or '_'"


def check_doc_id(doc_id: str, where: str) -> None:
    """Raise InputError naming `where` unless `doc_id` is a safe file name (DOC_ID)."""
    if not DOC_ID.fullmatch(doc_id):
        raise InputError(where, f"doc_id {doc_id!r} is not a name ({DOC_ID_RULE})")


def doc_id_of(stem: str) -> str:
    """A doc_id made from a file name's stem: every character DOC_ID does not allow becomes
    "_" ("UNGOMAP_A_44_661&S_20911" -> "UNGOMAP_A_44_661_S_20911"), cut to 200."""
    name = re.sub(r"[^A-Za-z0-9._-]", "_", stem)[:200]
    return name if DOC_ID.fullmatch(name) else "_" + name[:199]


def inside(folder: Path, name: str) -> Path:
    """Return `folder / name`; InputError unless it resolves inside `folder`."""
    path = folder / name
    try:
        if os.path.realpath(path).startswith(os.path.realpath(folder) + os.sep):
            return path
    except (OSError, ValueError):
        pass
    raise InputError(str(path), f"would be written outside {folder}; refused")


def read_manifest(corpus: Path) -> tuple[list[ManifestEntry], list[InputError]]:
    """Read `corpus/manifest.csv` plus unlisted source files (doc_id = file stem).

    Returns the usable entries and one error per entry left out: a doc_id
    already taken or one that is not a name. Raises InputError for a missing
    corpus or a manifest that cannot be read (naming its line).
    """
    if not corpus.is_dir():
        raise InputError(str(corpus), "corpus folder not found")
    listed, errors, known = _manifest_rows(corpus / MANIFEST)
    extra = []
    for path in sorted(corpus.iterdir()):
        if path.suffix.lower() not in SOURCE_SUFFIXES or path.name in known:
            continue
        try:
            check_doc_id(path.stem, str(path))
        except InputError as err:
            errors.append(InputError(err.path, f"{err.reason}; skipped"))
            continue
        extra.append(ManifestEntry(doc_id=path.stem, file=path.name))
    kept, duplicates = _unique(listed + extra, corpus)
    return kept, errors + duplicates


def _manifest_rows(path: Path) -> tuple[list[ManifestEntry], list[InputError], set[str]]:
    """Return the rows of a manifest file ([] when it does not exist), one error per row
    whose doc_id is not a name, and the files that every row names (a refused row's file
    is not also reported as an unlisted file)."""
    if not os.path.lexists(path):
        return [], [], set()
    rows = read_csv_rows(path)
    if rows and not {"doc_id", "file"} <= set(rows[0]):
        raise InputError(f"{path}:1", "manifest needs the columns doc_id and file")
    entries, errors = [], []
    for number, row in enumerate(rows, start=2):
        if not row.get("doc_id") or not row.get("file"):
            raise InputError(f"{path}:{number}", "empty doc_id or file")
        entry = ManifestEntry(**{k: (row.get(k) or "").strip() for k in MANIFEST_COLUMNS})
        try:
            check_doc_id(entry.doc_id, f"{path}:{number}")
        except InputError as err:
            errors.append(InputError(err.path, f"{err.reason}; skipped"))
            continue
        entries.append(entry)
    return entries, errors, {(row.get("file") or "").strip() for row in rows}


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
    return not os.path.lexists(corpus / file) and outside(corpus, file)


def outside(corpus: Path, file: str) -> bool:
    """Whether a manifest `file` resolves to a place outside the corpus folder."""
    real, folder = os.path.realpath(corpus / file), os.path.realpath(corpus)
    return not real.startswith(folder + os.sep)


def add_to_corpus(
    source: Path, corpus: Path, entry: ManifestEntry, templates: dict[Path, str]
) -> Path:
    """Copy `source` into the corpus, append its manifest row and create the gold
    `templates` (path -> text; an existing one is kept), all or nothing: every file is
    first written beside its place, then renamed in, the manifest last. Returns the
    copy's path; InputError (and nothing changed) when any step fails."""
    target = inside(corpus, entry.file)
    if os.path.lexists(target):
        raise InputError(str(target), "a file of that name is already in the corpus")
    manifest = corpus / MANIFEST
    existing = read_text(manifest) if os.path.lexists(manifest) else ""
    if existing and not existing.endswith("\n"):
        existing += "\n"
    row = csv_text(MANIFEST_COLUMNS, [[getattr(entry, c) for c in MANIFEST_COLUMNS]])
    content = (existing or row.split("\n", 1)[0] + "\n") + row.split("\n", 1)[1]
    plan = [(target, read_source(source))]
    plan += [(p, t.encode("utf-8")) for p, t in templates.items() if not os.path.lexists(p)]
    plan.append((manifest, content.encode("utf-8")))
    switch_all(plan)
    return target


def same_content(source: Path, corpus: Path, entries: Iterable[ManifestEntry]) -> list:
    """The entries whose file (present) has the same bytes (SHA-256) as `source`."""
    digest = hashlib.sha256(read_source(source)).hexdigest()
    return [
        e
        for e in entries
        if (corpus / e.file).is_file()
        and hashlib.sha256((corpus / e.file).read_bytes()).hexdigest() == digest
    ]
