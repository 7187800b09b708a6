"""Shared fixtures: paths, the cleaned article, the spaCy pipeline (built once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.ingest.clean import clean_document
from pipeline.ingest.source import ingest
from pipeline.models import CleanDocument
from pipeline.nlp.model import DEFAULT_MODEL, build_nlp

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared" / "corpus"
ARTICLE = CORPUS / "tajik-negotiations.txt"


def shared_file(name: str) -> Path:
    """Path of a file in ../shared/corpus, skipping the test when it is absent."""
    path = SHARED / name
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared corpus is not beside this checkout)")
    return path


def load(path: Path, doc_id: str | None = None) -> CleanDocument:
    """Ingest and clean one file."""
    return clean_document(ingest(doc_id or path.stem, str(path), path.read_bytes()))


@pytest.fixture(scope="session")
def article() -> CleanDocument:
    """The cleaned source article."""
    return load(ARTICLE)


@pytest.fixture(scope="session")
def nlp():
    """The pipeline's spaCy pipeline (model + gazetteer ruler), built once per session."""
    return build_nlp(DEFAULT_MODEL)


@pytest.fixture(autouse=True)
def one_worker_by_default(monkeypatch):
    """Runs in the tests use one process unless a test asks for more (--workers): a test's
    monkeypatching reaches no worker process, and a pool per small run would slow the
    suite; tests/test_parallel.py runs pools and a cluster and compares the outputs."""
    monkeypatch.setattr("pipeline.cli.default_workers", lambda: 1)
