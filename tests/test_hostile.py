"""Hostile and broken input (issue 14): no file written outside its folder, no formula
cells, no run lost to one document, nothing lost. Every case is a real file made here."""

from __future__ import annotations

import csv
import io
import os
import stat
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import NamedTuple

import pytest

from pipeline import storage
from pipeline.cli import main
from pipeline.models import InputError

SHORT = (
    "Talks in Geneva\n\nThe parties met in Geneva on 3 May 1999. They agreed on a "
    "ceasefire.\n\nA second round was held in Oslo in June.\n"
)
FORMULA = (
    "Talks\n\n=1+1 On 5 April 1994 the parties met in Geneva and signed a ceasefire.\n\n"
    "@SUM(A1) Talks were held in Oslo on 3 May 1999.\n\n-2 A ceasefire agreement was signed.\n"
)
PASSWD = "".join(f"user{n}:x:{n}:{n}:User {n}:/home/user{n}:/bin/sh\n" for n in range(40))
YEARS = (
    "Talks\n\nThe parties met in Geneva on 3 May 1994. 2000 years earlier nothing happened. "
    "The parties met in Oslo on 4 May 1994. 9000 years later they met in Bern. They met in "
    "Rome on 5 May 1994. 1500 years earlier, too. They met in Paris on 6 May 1994. "
    "3000000 days later they met in Vienna.\n"
)
TABLES = ("events.csv", "entities.csv", "timexes.csv", "mentions.csv", "segments.csv")


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def cells(out: Path) -> list[str]:
    """Every cell of every table under `out`."""
    found = []
    for path in sorted(out.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            found += [cell for row in csv.reader(handle) for cell in row]
    return found


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """One run over a corpus of hostile files beside a good one (umask 027)."""
    base = tmp_path_factory.mktemp("hostile")
    corpus, out = base / "corpus", base / "deep" / "out"
    corpus.mkdir()
    (corpus / "good.txt").write_text(SHORT, encoding="utf-8")
    (corpus / "formula.txt").write_text(FORMULA, encoding="utf-8")
    (corpus / "=HYPERLINK(1).txt").write_text(SHORT, encoding="utf-8")
    os.symlink("loop.txt", corpus / "loop.txt")
    (corpus / "zero.txt").write_text(SHORT + "\n- 0 -\n\nThe talks resumed in Oslo.\n")
    (corpus / "years.txt").write_text(YEARS, encoding="utf-8")
    (corpus / "nul.txt").write_text("Talks\n\n" + "The parties met. " * 600 + "\x00 Then.\n")
    (corpus / "wide.txt").write_bytes(SHORT.replace("Geneva", "Bern").encode("utf-16"))
    (corpus / "passwd.txt").write_text(PASSWD, encoding="utf-8")
    (base / "outside.txt").write_text(SHORT.replace("Geneva", "Vienna"), encoding="utf-8")
    (corpus / "manifest.csv").write_text(
        "doc_id,file\ngood,good.txt\n../../../evil,good.txt\n/tmp/abs,good.txt\n"
        "sub/dir,good.txt\nfar,../outside.txt\n",
        encoding="utf-8",
    )
    mask = os.umask(0o027)
    said, printed = io.StringIO(), io.StringIO()
    try:
        with redirect_stderr(said), redirect_stdout(printed):
            code = main(["run", "--corpus", str(corpus), "--out", str(out), "--gold", "none"])
    finally:
        os.umask(mask)
    return Run(base, out, code, printed.getvalue(), said.getvalue())


class Run(NamedTuple):
    base: Path
    out: Path
    code: int
    stdout: str
    stderr: str


def test_each_bad_file_gives_one_line_naming_it(hostile):
    errors = [line for line in hostile.stderr.splitlines() if line.startswith("error: ")]
    corpus = hostile.base / "corpus"
    expected = [
        (f"{corpus / 'manifest.csv'}:3: doc_id '../../../evil' is not a name",),
        (f"{corpus / 'manifest.csv'}:4: doc_id '/tmp/abs' is not a name",),
        (f"{corpus / 'manifest.csv'}:5: doc_id 'sub/dir' is not a name",),
        (f"{corpus / '=HYPERLINK(1).txt'}: doc_id '=HYPERLINK(1)' is not a name",),
        (f"{corpus / 'loop.txt'}: cannot read (", "symbolic links"),
        (f"{corpus / 'nul.txt'}:3: binary file", "NUL byte"),
        (f"{corpus / 'passwd.txt'}: not a document", "running prose"),
    ]
    for parts in expected:
        assert sum(all(p in e for p in parts) for e in errors) == 1, (parts, errors)
    assert len(errors) == len(expected) and "Traceback" not in hostile.stderr
    assert hostile.code == 1


def test_a_doc_id_is_a_name_never_a_path(hostile):
    base, out = hostile.base, hostile.out
    written = {p.relative_to(base) for p in base.rglob("*") if p.is_file()} - {Path("outside.txt")}
    assert all(p.parts[0] == "corpus" or p.parts[:2] == ("deep", "out") for p in written)
    assert not (base / "evil.txt").exists() and not Path("/tmp/abs.txt").exists()
    assert not (out / "text" / "sub").exists()
    names = sorted(p.name for p in (out / "text").iterdir())
    assert names == ["far.txt", "formula.txt", "good.txt", "wide.txt", "years.txt", "zero.txt"]


def test_refused_doc_ids_name_the_manifest_row(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(SHORT, encoding="utf-8")
    (corpus / "=cmd.txt").write_text(SHORT, encoding="utf-8")
    (corpus / "manifest.csv").write_text(
        "doc_id,file\na,a.txt\n../x,a.txt\n.hidden,a.txt\n", encoding="utf-8"
    )
    entries, errors = storage.read_manifest(corpus)
    assert [e.doc_id for e in entries] == ["a"]
    messages = sorted(str(e) for e in errors)
    assert len(messages) == 3 and all("is not a name" in m for m in messages)
    assert any(m.startswith(f"{corpus / 'manifest.csv'}:3: doc_id '../x'") for m in messages)
    assert any(m.startswith(f"{corpus / 'manifest.csv'}:4: doc_id '.hidden'") for m in messages)
    assert any(m.startswith(f"{corpus / '=cmd.txt'}: doc_id '=cmd'") for m in messages)


def test_add_refuses_a_path_as_doc_id(tmp_path, capsys):
    (tmp_path / "in.txt").write_text(SHORT, encoding="utf-8")
    ann, corpus = tmp_path / "a" / "b" / "annotations", tmp_path / "corpus"
    args = ["add", str(tmp_path / "in.txt"), "--corpus", str(corpus), "--annotations", str(ann)]
    assert main([*args, "--doc-id", "../../evil"]) == 2
    assert "--doc-id: doc_id '../../evil' is not a name" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["in.txt"]


def test_every_written_path_resolves_inside_its_folder(tmp_path):
    (tmp_path / "out").mkdir()
    os.symlink(tmp_path, tmp_path / "out" / "link")
    assert storage.inside(tmp_path / "out", "text/a.txt") == tmp_path / "out" / "text" / "a.txt"
    for name in ("../a.txt", "/etc/a.txt", "link/a.txt"):
        with pytest.raises(InputError, match="outside"):
            storage.inside(tmp_path / "out", name)


def test_formula_cells_are_neutralised_and_the_text_kept_raw(hostile):
    out = hostile.out
    found = cells(out)
    assert not [c for c in found if c.startswith(storage.FORMULA_START)]
    assert any(c.startswith("'=1+1 On 5 April 1994") for c in found)
    assert "=1+1 On 5 April 1994" in (out / "text" / "formula.txt").read_text(encoding="utf-8")


def test_safe_cell_is_idempotent_and_leaves_numbers():
    for text in ("=1+1", "+x", "-2", "@SUM(A1)", "\tx", "\rx"):
        assert storage.safe_cell(text) == "'" + text
        assert storage.safe_cell(storage.safe_cell(text)) == "'" + text
    assert storage.safe_cell(-3) == -3 and storage.safe_cell("Geneva") == "Geneva"


def test_reading_outside_the_corpus_is_named_and_a_non_document_refused(hostile):
    corpus = hostile.base / "corpus"
    assert f"1 document(s) read from outside {corpus}/: far" in hostile.stdout
    assert "far" in {r["doc_id"] for r in rows(hostile.out / "segments.csv")}
    assert not (hostile.out / "text" / "passwd.txt").exists()


def test_one_document_never_costs_the_run(hostile):
    out = hostile.out
    docs = {r["doc_id"] for r in rows(out / "segments.csv")}
    assert {"good", "zero", "years", "wide"} <= docs  # page "- 0 -", date overflow, UTF-16
    text = (out / "text" / "wide.txt").read_text(encoding="utf-8")
    assert "Bern" in text
    pages = {r["page"] for r in rows(out / "segments.csv") if r["doc_id"] == "zero"}
    assert pages == {"1"}


def test_impossible_years_never_reach_the_outputs(hostile):
    out = hostile.out
    found = [r for r in rows(out / "timexes.csv") if r["doc_id"] == "years"]
    values = [r["value_start"] for r in found]
    assert values == ["1994-05-03", "1994-05-04", "1994-05-05", "1994-05-06"]
    events = [r for r in rows(out / "events.csv") if r["doc_id"] == "years"]
    assert events and all(1000 <= int(e["date_start"][:4]) <= 2999 for e in events)


def test_nul_bytes_are_refused_with_their_line(hostile):
    out = hostile.out
    for path in (out / "text").iterdir():
        assert "\x00" not in path.read_text(encoding="utf-8")
    assert not [c for c in cells(out) if "\x00" in c]


def test_run_output_files_honour_the_umask(hostile):
    out = hostile.out
    modes = {stat.S_IMODE(p.stat().st_mode) for p in out.rglob("*") if p.is_file()}
    assert modes == {0o640}
