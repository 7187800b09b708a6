"""The output folder, the other module that touches the disk: a run's files are written
into `<out>/.pending/` and switched in as a set.

The switch is journalled: once every file of the run is complete in `.pending/`, the
list of them is written (`.pending/SWITCH`, through a rename: the commit point) and
the files are renamed into place. A run killed before the commit point leaves the
earlier outputs as they were; one killed after it is completed by the next command
that opens the folder (`prepare`), so a reader sees the old run or the new one,
never a mix of the two.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from pipeline import storage
from pipeline.models import InputError

PENDING = ".pending"
JOURNAL = "SWITCH"
SPOOL = ".spool"  # in the staging folder: each table's rows as documents come


def prepare(out: Path) -> None:
    """Create `out`, finish (or drop) an interrupted switch and check that files can be
    written there; InputError with the reason otherwise, before any work is done."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        finish(out)
        storage.new_file(out, "write-check", b"").unlink()
    except OSError as err:
        reason = f"cannot write the outputs here ({err.strerror or err})"
        raise InputError(str(out), reason) from err


def finish(out: Path) -> None:
    """Complete a switch whose journal was written; remove a staging folder without one."""
    pending = out / PENDING
    journal = pending / JOURNAL
    if journal.is_file():
        for name in storage.read_text(journal).splitlines():
            staged = pending / name
            if staged.is_file():
                target = storage.inside(out, name)
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staged, target)
    if pending.exists():
        shutil.rmtree(pending)


def stage(out: Path, files: Mapping[str, str]) -> Path:
    """Write `files` (path relative to `out` -> text) into a fresh `<out>/.pending/`, with
    links to the texts of `out/text/` they do not replace, so that the staging folder
    holds the whole new set (and can be scored). Returns the staging folder;
    InputError (the earlier outputs untouched) when the disk refuses."""
    pending = out / PENDING
    try:
        if pending.exists():
            shutil.rmtree(pending)
        pending.mkdir()
        add(pending, files)
        for old in sorted((out / "text").glob("*.txt")):
            kept = pending / "text" / old.name
            if not kept.exists():
                kept.parent.mkdir(exist_ok=True)
                _link(old, kept)
    except OSError as err:
        shutil.rmtree(pending, ignore_errors=True)
        reason = f"cannot write the outputs ({err.strerror or err}); earlier outputs kept"
        raise InputError(str(out), reason) from err
    return pending


def add(pending: Path, files: Mapping[str, str]) -> None:
    """Write more files (relative path -> text) into the staging folder."""
    for name, content in files.items():
        path = storage.inside(pending, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        os.replace(storage.new_file(path.parent, path.name, content.encode("utf-8")), path)


def commit(out: Path) -> None:
    """Write the journal of the staged files (the commit point), then switch them in."""
    pending = out / PENDING
    names = sorted(
        str(p.relative_to(pending)) for p in pending.rglob("*") if p.is_file() and p.name != JOURNAL
    )
    storage.write_atomic(pending / JOURNAL, "".join(f"{n}\n" for n in names))
    finish(out)


def _link(old: Path, new: Path) -> None:
    """Hard-link `old` as `new` (a copy where the file system has no links)."""
    try:
        os.link(old, new)
    except OSError:
        shutil.copy2(old, new)


class Staging:
    """A run's staging folder filled document by document: each document's text is staged
    as it comes and its table rows appended to a spool, so that no more than one
    document's rows are held; `close` writes the tables in corpus order."""

    def __init__(self, out: Path, tables: Mapping[str, Sequence[str]]) -> None:
        """Start a fresh `<out>/.pending/` for the tables (file name -> columns)."""
        self.out, self.pending, self.tables = out, out / PENDING, tables
        self.spans: dict[str, dict[str, tuple[int, int]]] = {name: {} for name in tables}
        try:
            if self.pending.exists():
                shutil.rmtree(self.pending)
            (self.pending / SPOOL).mkdir(parents=True)
        except OSError as err:
            raise self._refused(err) from err

    def _refused(self, err: OSError) -> InputError:
        """The one-line error of a disk that refuses the outputs (staging dropped)."""
        shutil.rmtree(self.pending, ignore_errors=True)
        reason = f"cannot write the outputs ({err.strerror or err}); earlier outputs kept"
        return InputError(str(self.out), reason)

    def add_document(self, doc_id: str, text: str, rows: Mapping[str, Sequence[Sequence]]) -> None:
        """Stage text/<doc_id>.txt and append the document's rows of each table."""
        try:
            add(self.pending, {f"text/{doc_id}.txt": text})
            for name, table_rows in rows.items():
                data = storage.csv_rows_text(table_rows).encode("utf-8")
                with (self.pending / SPOOL / name).open("ab") as spool:
                    start = spool.tell()
                    spool.write(data)
                self.spans[name][doc_id] = (start, start + len(data))
        except OSError as err:
            raise self._refused(err) from err

    def add_bytes(self, name: str, data: bytes) -> None:
        """Stage one more file (relative path -> bytes), switched in with the rest."""
        try:
            path = storage.inside(self.pending, name)
            path.parent.mkdir(parents=True, exist_ok=True)
            os.replace(storage.new_file(path.parent, path.name, data), path)
        except OSError as err:
            raise self._refused(err) from err

    def close(self, order: Sequence[str], old: Callable[[str], list[dict[str, str]]]) -> Path:
        """Write each table: its header, then for each doc_id in `order` its staged rows,
        or the rows `old(name)` keeps of it when it has none (read only when needed);
        link the texts of `out/text/` not replaced. Returns the staging folder."""
        try:
            for name, columns in self.tables.items():
                self._write_table(name, columns, order, old)
            shutil.rmtree(self.pending / SPOOL)
            for previous in sorted((self.out / "text").glob("*.txt")):
                kept = self.pending / "text" / previous.name
                if not kept.exists():
                    kept.parent.mkdir(exist_ok=True)
                    _link(previous, kept)
        except OSError as err:
            raise self._refused(err) from err
        return self.pending

    def _write_table(
        self, name: str, columns: Sequence[str], order: Sequence[str], old: Callable
    ) -> None:
        """Assemble one table from the spool (and old rows) through a temporary file."""
        spans = self.spans[name]
        kept: dict[str, list] = {}
        if any(doc_id not in spans for doc_id in order):
            for row in old(name):
                if row.get("doc_id") not in spans:
                    cells = [storage.safe_cell(row.get(c, "")) for c in columns]
                    kept.setdefault(row.get("doc_id"), []).append(cells)
        target = self.pending / name
        tmp = storage.new_file(self.pending, name, storage.csv_text(columns, []).encode("utf-8"))
        with (self.pending / SPOOL / name).open("a+b") as spool, tmp.open("ab") as handle:
            for doc_id in order:
                if doc_id in spans:
                    start, end = spans[doc_id]
                    spool.seek(start)
                    handle.write(spool.read(end - start))
                elif doc_id in kept:
                    handle.write(storage.csv_rows_text(kept[doc_id]).encode("utf-8"))
        os.replace(tmp, target)
