"""The command line on real and broken corpora: outputs, errors, determinism, `add`."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from conftest import ARTICLE, ROOT

from pipeline.cli import main
from pipeline.storage import absent_outside, read_manifest

SHORT = (
    "Talks in Geneva\n\nThe parties met in Geneva on 3 May 1999. They agreed on a "
    "ceasefire.\n\nA second round was held in Oslo in June.\n"
)


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_fresh_run_reproduces_committed_outputs(tmp_path):
    """Every committed file under outputs/ is what `run` writes now, byte for byte.

    The run covers the documents whose texts are committed, so a document a user
    has since added (`add`, not yet run) does not make the shipped outputs differ.
    """
    entries, _ = read_manifest(ROOT / "corpus")
    absent = [e.file for e in entries if absent_outside(ROOT / "corpus", e.file)]
    if absent:
        pytest.skip(f"shared documents absent, so the outputs cannot be reproduced: {absent}")
    committed = {p.stem for p in (ROOT / "outputs" / "text").glob("*.txt")}
    docs = [e.doc_id for e in entries if e.doc_id in committed]
    assert docs, "no committed outputs"
    args = ["run", "--corpus", str(ROOT / "corpus"), "--gold", str(ROOT / "annotations")]
    assert main([*args, "--out", str(tmp_path), "--docs", *docs]) == 0
    cache = tmp_path / "cache"  # the result cache (pipeline/cache.py) is not an output
    written = sorted(
        p.relative_to(tmp_path)
        for p in tmp_path.rglob("*")
        if p.is_file() and cache not in p.parents
    )
    assert written, "run wrote nothing"
    for name in written:
        committed = ROOT / "outputs" / name
        assert committed.exists(), f"outputs/{name} is not committed"
        assert committed.read_bytes() == (tmp_path / name).read_bytes(), f"outputs/{name} differs"


def test_segments_point_into_the_text(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "short.txt").write_text(SHORT, encoding="utf-8")
    assert main(["run", "--corpus", str(corpus), "--out", str(tmp_path / "out")]) == 0
    text = (tmp_path / "out" / "text" / "short.txt").read_text(encoding="utf-8")
    segments = rows(tmp_path / "out" / "segments.csv")
    assert [s["kind"] for s in segments] == ["heading", "paragraph", "paragraph"]
    assert text[int(segments[0]["char_start"]) : int(segments[0]["char_end"])] == "Talks in Geneva"


def test_bad_files_are_reported_and_the_rest_goes_on(tmp_path, capsys):
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    corpus.mkdir()
    (corpus / "good.txt").write_text(SHORT, encoding="utf-8")
    (corpus / "later.txt").write_text(SHORT.replace("Geneva", "Vienna"), encoding="utf-8")
    assert main(["run", "--corpus", str(corpus), "--out", str(out)]) == 0
    before = rows(out / "segments.csv")

    (corpus / "later.txt").write_bytes(b"\xff\xfe\x00binary\x00")
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "latin.txt").write_bytes("caf\u00e9 talks".encode("latin-1"))
    (corpus / "scan.pdf").write_bytes(b"%PDF-1.4 broken")
    (corpus / "manifest.csv").write_text(
        "doc_id,file\ngood,good.txt\nmissing,missing.txt\ngood,latin.txt\n", encoding="utf-8"
    )
    capsys.readouterr()
    assert main(["run", "--corpus", str(corpus), "--out", str(out)]) == 1
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error")]
    for name, reason in [
        ("later.txt", "binary file"),
        ("empty.txt", "empty file"),
        ("missing.txt", "file not found"),
        ("latin.txt", "duplicate doc_id 'good'"),
        ("scan.pdf", "not a readable PDF"),
    ]:
        assert sum(name in e and reason in e for e in errors) == 1, (name, errors)
    assert "Traceback" not in "".join(errors)
    after = rows(out / "segments.csv")
    assert [r for r in after if r["doc_id"] == "later"] == [
        r for r in before if r["doc_id"] == "later"
    ]
    assert (out / "text" / "later.txt").exists()
    assert not list(out.rglob("*.tmp"))


def test_absent_document_from_outside_the_corpus_is_skipped(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "short.txt").write_text(SHORT, encoding="utf-8")
    (corpus / "manifest.csv").write_text(
        "doc_id,file\nshort,short.txt\nfar,../elsewhere/far.txt\n", encoding="utf-8"
    )
    assert main(["run", "--corpus", str(corpus), "--out", str(tmp_path / "out")]) == 0
    captured = capsys.readouterr()
    assert "skipped: " in captured.err and "far.txt: absent" in captured.err
    assert "1 absent document(s) skipped: far" in captured.out
    (corpus / "manifest.csv").write_text("doc_id,file\nlost,lost.txt\n", encoding="utf-8")
    assert main(["run", "--corpus", str(corpus), "--out", str(tmp_path / "out")]) == 1


def test_an_absent_document_is_not_scored_from_stale_rows(tmp_path):
    corpus, out, gold = tmp_path / "corpus", tmp_path / "out", tmp_path / "gold"
    corpus.mkdir()
    gold.mkdir()
    outside = tmp_path / "elsewhere" / "far.txt"
    outside.parent.mkdir()
    outside.write_text(SHORT.replace("Geneva", "Vienna"), encoding="utf-8")
    (corpus / "near.txt").write_text(SHORT, encoding="utf-8")
    (corpus / "manifest.csv").write_text(
        "doc_id,file\nnear,near.txt\nfar,../elsewhere/far.txt\n", encoding="utf-8"
    )
    gold_row = "{d},G001,meeting,round,held,Talks,1999-05-03,1999-05-03,,{p},,,,,met,0\n"
    header = "doc_id,gold_id,event_type,subtype,status,title,date_start,date_end,date_mod,"
    header += "location,country,participants,mediators,round,evidence,optional\n"
    for doc_id, place in (("near", "Geneva"), ("far", "Vienna")):
        (gold / f"{doc_id}.events.csv").write_text(
            header + gold_row.format(d=doc_id, p=place), encoding="utf-8"
        )
    args = ["run", "--corpus", str(corpus), "--out", str(out), "--gold", str(gold)]
    assert main(args) == 0
    assert {"near", "far"} <= set(json.loads((out / "scores.json").read_text()))
    outside.unlink()
    assert main(args) == 0
    scores = json.loads((out / "scores.json").read_text())
    assert "near" in scores and "far" not in scores
    assert any(r["doc_id"] == "far" for r in rows(out / "events.csv"))  # its rows are kept


def test_run_scores_its_records_in_memory_as_score_scores_them_from_disk(tmp_path, monkeypatch):
    corpus, out, gold = tmp_path / "corpus", tmp_path / "out", tmp_path / "gold"
    corpus.mkdir()
    gold.mkdir()
    (corpus / "near.txt").write_text(SHORT, encoding="utf-8")
    (corpus / "manifest.csv").write_text("doc_id,file\nnear,near.txt\n", encoding="utf-8")
    header = "doc_id,gold_id,event_type,subtype,status,title,date_start,date_end,date_mod,"
    header += "location,country,participants,mediators,round,evidence,optional\n"
    (gold / "near.events.csv").write_text(
        header + "near,G001,meeting,round,held,Talks,1999-05-03,1999-05-03,,Geneva,,,,,met,0\n",
        encoding="utf-8",
    )

    def no_reading_back(*args):
        raise AssertionError("the run read its own tables back to score them")

    with monkeypatch.context() as patched:
        patched.setattr("pipeline.evaluate.scoring.load_system", no_reading_back)
        patched.setattr("pipeline.evaluate.scoring.read_texts", no_reading_back)
        assert main(["run", "--corpus", str(corpus), "--out", str(out), "--gold", str(gold)]) == 0
    from_run = (out / "scores.json").read_bytes()
    assert json.loads(from_run)["near"]["events"]["all"]["tp"] == 1
    assert main(["score", "--out", str(out), "--gold", str(gold)]) == 0
    assert (out / "scores.json").read_bytes() == from_run


def test_missing_corpus_is_one_line_error(tmp_path, capsys):
    assert main(["run", "--corpus", str(tmp_path / "nope"), "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "corpus folder not found" in err


def test_unknown_model_is_one_line_error(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "short.txt").write_text(SHORT, encoding="utf-8")
    code = main(["run", "--corpus", str(corpus), "--out", str(tmp_path), "--model", "xx_nope"])
    assert code == 2
    assert "xx_nope: spaCy model is not installed" in capsys.readouterr().err


def test_add_copies_document_and_makes_gold_templates(tmp_path, capsys):
    corpus, gold = tmp_path / "corpus", tmp_path / "annotations"
    source = tmp_path / "incoming" / "article.txt"
    source.parent.mkdir()
    shutil.copyfile(ARTICLE, source)
    args = [
        "add",
        str(source),
        "--doc-id",
        "tajik",
        "--title",
        "Tajik talks",
        "--corpus",
        str(corpus),
        "--annotations",
        str(gold),
    ]
    assert main(args) == 0
    assert (corpus / "article.txt").read_bytes() == ARTICLE.read_bytes()
    assert rows(corpus / "manifest.csv")[0]["doc_id"] == "tajik"
    assert rows(corpus / "manifest.csv")[0]["title"] == "Tajik talks"
    header = (gold / "tajik.events.csv").read_text(encoding="utf-8").splitlines()
    assert header[0].startswith("doc_id,gold_id,event_type")
    assert main(args) == 2  # the same doc_id twice is refused
    assert "already" in capsys.readouterr().err


def test_add_refuses_a_file_that_cannot_be_ingested(tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    assert main(["add", str(bad), "--corpus", str(tmp_path / "c")]) == 2
    assert "bad.txt: empty file" in capsys.readouterr().err
    assert not (tmp_path / "c").exists()


def test_help_explains_commands(capsys):
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    text = capsys.readouterr().out
    for option in ("--corpus", "--out", "--model", "--docs"):
        assert option in text
