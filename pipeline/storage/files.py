"""Files on disk: source bytes, atomic writes (temporary file, then rename), caches."""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import stat
from collections.abc import Sequence
from pathlib import Path

from pipeline.ingest.decoding import decode_text
from pipeline.models import InputError


def read_source(path: Path) -> bytes:
    """Return the bytes of a source document; InputError if it is missing or unreadable."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise InputError(str(path), "not a regular file")
        return path.read_bytes()
    except FileNotFoundError as err:  # also a symbolic link to nothing
        raise InputError(str(path), "file not found") from err
    except OSError as err:  # a symlink loop, a name too long, no permission
        raise InputError(str(path), f"cannot read ({err.strerror or err})") from err


def read_text(path: Path) -> str:
    """Return a UTF-8 text file (earlier outputs); InputError naming the problem."""
    return decode_text(read_source(path), str(path))


def write_atomic(path: Path, content: str) -> None:
    """Write `content` (UTF-8) to `path` through a temporary file and a rename, never
    half-written; the file's mode honours the umask."""
    write_bytes_atomic(path, content.encode("utf-8"))


def new_file(folder: Path, name: str, data: bytes) -> Path:
    """Write `data` to a fresh hidden temporary file in `folder` (mode 0666 less the umask,
    as any new file); return its path. The file is removed again if writing fails."""
    tmp = folder / f".{name}.{secrets.token_hex(4)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def write_bytes_atomic(path: Path, content: bytes) -> None:
    """Write bytes to `path` through a temporary file and a rename, never half-written
    (the new file honours the umask, as write_atomic's)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = new_file(path.parent, path.name, content)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def switch_all(plan: list[tuple[Path, bytes]]) -> None:
    """Write every (path, data) of `plan` to a temporary file, then rename them in order;
    on any failure remove what was written or renamed and raise one InputError."""
    made: list[Path] = []
    current = plan[0][0]
    staged: list[tuple[Path, Path]] = []
    done: list[Path] = []
    try:
        for path, data in plan:
            current = path
            for folder in reversed([path.parent, *path.parent.parents]):
                if not folder.exists():
                    folder.mkdir()
                    made.append(folder)
            staged.append((new_file(path.parent, path.name, data), path))
        for tmp, path in staged:
            current = path
            os.replace(tmp, path)
            done.append(path)
    except OSError as err:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        for path in done:  # the manifest, renamed last, is never among them
            path.unlink(missing_ok=True)
        for folder in reversed(made):
            shutil.rmtree(folder, ignore_errors=True)
        reason = f"cannot write ({err.strerror or err}); nothing added"
        raise InputError(str(current), reason) from err


def list_files(folder: Path, suffix: str) -> list[Path]:
    """Return the files in `folder` whose names end with `suffix`, sorted; InputError if the
    folder is absent or one such name is no regular file (a folder named `x.events.csv`)."""
    if not folder.is_dir():
        raise InputError(str(folder), "folder not found")
    found = sorted(p for p in folder.iterdir() if p.name.endswith(suffix))
    for path in found:
        if not path.is_file():
            raise InputError(str(path), "not a regular file")
    return found


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


def read_bytes_if_present(path: Path) -> bytes | None:
    """The bytes of `path`, or None when it cannot be read (a cache entry not there)."""
    try:
        return path.read_bytes()
    except OSError:
        return None


def tree_digest(folder: Path, suffixes: Sequence[str]) -> str:
    """SHA-256 over the relative path and bytes of every file under `folder` whose name ends
    with one of `suffixes` (all files when empty), in sorted order."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if suffixes and not path.name.endswith(tuple(suffixes)):
            continue
        digest.update(str(path.relative_to(folder)).encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()
