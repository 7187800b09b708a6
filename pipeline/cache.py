"""The result cache: a document's DocResult under `<out>/cache/`, keyed by a SHA-256 of the
document's bytes and of everything that made the result (model, resource files, the
pipeline's version and source code, the OCR engine), so that any change re-runs it."""

from __future__ import annotations

import hashlib
import pickle
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from pipeline import storage
from pipeline.ingest.ocr import engine_name
from pipeline.process import DocResult

FOLDER = "cache"  # under the output folder
PACKAGE = Path(__file__).resolve().parent
REVISION = "1"  # of the entry format


def _version(name: str) -> str:
    """An installed distribution's version, or '' when it is not installed under that name."""
    try:
        return version(name)
    except PackageNotFoundError:
        return ""


def fingerprint(model: str) -> str:
    """What every result depends on besides the document: the model (name and installed
    version), spaCy, the package's version, its resource files and .py sources, OCR engine."""
    parts = (
        REVISION,
        model,
        _version(model),
        _version(model.replace("_", "-")),
        _version("spacy"),
        _version("negotiation-events"),
        storage.tree_digest(PACKAGE / "resources", ()),
        storage.tree_digest(PACKAGE, (".py",)),
        engine_name(),
    )
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def key(fingerprint_: str, data: bytes) -> str:
    """The cache key of a document's bytes under a run's fingerprint."""
    return hashlib.sha256(fingerprint_.encode("ascii") + hashlib.sha256(data).digest()).hexdigest()


def load(out: Path, key_: str) -> DocResult | None:
    """The result cached under `key_` in the output folder `out`, or None (absent, or an
    entry that cannot be read: it is made anew)."""
    data = storage.read_bytes_if_present(out / entry_name(key_))
    if data is None:
        return None
    try:  # entries are written only by `save` under a key covering the code that reads them
        result = pickle.loads(data)
    except Exception:  # a damaged entry (truncated, foreign) is a miss, never a failure
        return None
    return result if isinstance(result, DocResult) else None


def dump(result: DocResult) -> bytes:
    """The bytes of a cache entry (staged with the run's outputs: outdir.Staging)."""
    return pickle.dumps(result, protocol=5)


def entry_name(key_: str) -> str:
    """The entry's path under the output folder."""
    return f"{FOLDER}/{key_}.pickle"
