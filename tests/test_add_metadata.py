"""`add` with the document's metadata, the warning for content already in the corpus, and the
`negotiation-events` console script."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ARTICLE

from pipeline.cli import main


def manifest(corpus: Path) -> list[dict[str, str]]:
    with (corpus / "manifest.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_add_records_author_year_and_source(tmp_path):
    corpus = tmp_path / "corpus"
    args = ["add", str(ARTICLE), "--corpus", str(corpus), "--annotations", str(tmp_path / "a")]
    meta = ["--title", "Tajik talks", "--author", "K. Iji", "--year", "2001", "--source", "Journal"]
    assert main([*args, *meta]) == 0
    (row,) = manifest(corpus)
    assert (row["title"], row["author"], row["year"], row["source"]) == (
        "Tajik talks",
        "K. Iji",
        "2001",
        "Journal",
    )


def test_add_warns_when_the_same_content_is_already_there_under_another_name(tmp_path, capsys):
    corpus, other = tmp_path / "corpus", tmp_path / "incoming" / "copy.txt"
    other.parent.mkdir()
    shutil.copyfile(ARTICLE, other)
    common = ["--corpus", str(corpus), "--annotations", str(tmp_path / "a")]
    assert main(["add", str(ARTICLE), *common]) == 0
    assert "warning" not in capsys.readouterr().err
    assert main(["add", str(other), "--doc-id", "copy", *common]) == 0
    err = capsys.readouterr().err
    assert "warning: " in err and "tajik-negotiations.txt (doc_id tajik-negotiations)" in err
    assert [r["doc_id"] for r in manifest(corpus)] == ["tajik-negotiations", "copy"]


def test_the_console_script_runs_the_same_commands():
    script = Path(sys.executable).with_name("negotiation-events")
    done = subprocess.run([str(script), "run", "--help"], capture_output=True, text=True)
    assert done.returncode == 0 and "--register" in done.stdout
