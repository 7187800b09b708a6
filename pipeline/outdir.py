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
from collections.abc import Mapping
from pathlib import Path

from . import storage
from .models import InputError

PENDING = ".pending"
JOURNAL = "SWITCH"


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
