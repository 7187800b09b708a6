"""The only module that touches the disk: corpus manifest, source bytes, outputs, gold files.

Writing a run's set of outputs is `outdir.py`'s (the other module that touches the disk).
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import secrets
import shutil
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path

from pipeline.ingest.decoding import decode_text
from pipeline.models import InputError, ManifestEntry

MANIFEST = "manifest.csv"
MANIFEST_COLUMNS = ("doc_id", "file", "title", "author", "year", "language", "source")
SOURCE_SUFFIXES = (".txt", ".pdf")
# A doc_id names files (text/<doc_id>.txt, <doc_id>.events.csv): a name, never a path.
DOC_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]{0,199}")
DOC_ID_RULE = "letters, digits, '.', '_', '-', starting with a letter, digit or '_'"
# A cell a spreadsheet would run as a formula (OWASP CSV injection, CWE-1236).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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
    _switch_all(plan)
    return target


def append_rows(path: Path, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """Append CSV rows to `path`, keeping its existing bytes as they are (header if new)."""
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    if existing and not existing.endswith("\n"):
        existing += "\n"
    body = csv_text(columns, rows)
    write_atomic(path, existing + body.split("\n", 1)[1] if existing else body)


def _switch_all(plan: list[tuple[Path, bytes]]) -> None:
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
