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

from pipeline import outdir, storage, workers
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


def test_a_refused_manifest_row_is_one_error_not_two(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a&b.txt").write_text(SHORT, encoding="utf-8")
    (corpus / "manifest.csv").write_text("doc_id,file\na&b,a&b.txt\n", encoding="utf-8")
    entries, errors = storage.read_manifest(corpus)
    assert entries == [] and [str(e).split(": ")[0] for e in errors] == [
        f"{corpus / 'manifest.csv'}:2"
    ]


def test_add_makes_a_doc_id_of_a_file_name_that_is_not_one(tmp_path):
    (tmp_path / "A_44_661&S 20911.txt").write_text(SHORT, encoding="utf-8")
    corpus, ann = tmp_path / "corpus", tmp_path / "annotations"
    args = ["add", str(tmp_path / "A_44_661&S 20911.txt"), "--corpus", str(corpus)]
    assert main([*args, "--annotations", str(ann)]) == 0
    assert (
        (corpus / "manifest.csv")
        .read_text(encoding="utf-8")
        .splitlines()[1]
        .startswith("A_44_661_S_20911,")
    )
    assert (ann / "A_44_661_S_20911.events.csv").exists()


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


@pytest.mark.parametrize(
    ("data", "line", "problem"),
    [
        (b"doc_id,file\ngood,good.txt\n\x00\x01\x02garbage\n", 3, "NUL byte"),
        ("doc_id,file,title\ngood,good.txt,caf\u00e9\n".encode("latin-1"), 2, "not UTF-8"),
        (b'doc_id,file,title\ngood,good.txt,"open\nb,b.txt,B\nc,c.txt,C\n', 2, "unclosed quote"),
        (b"doc_id,file,title\ngood,good.txt," + b"x" * 200_000 + b"\n", 2, "field longer than"),
    ],
)
def test_a_broken_manifest_is_one_line_naming_file_and_line(tmp_path, data, line, problem):
    (tmp_path / "good.txt").write_text(SHORT, encoding="utf-8")
    (tmp_path / "manifest.csv").write_bytes(data)
    with pytest.raises(InputError) as caught:
        storage.read_manifest(tmp_path)
    message = str(caught.value)
    assert message.startswith(f"{tmp_path / 'manifest.csv'}:{line}: ") and problem in message
    assert "\n" not in message


def test_a_manifest_with_a_bom_or_in_utf16_is_read(tmp_path):
    (tmp_path / "good.txt").write_text(SHORT, encoding="utf-8")
    plain = "doc_id,file\ng1,good.txt\n"
    for data in (b"\xef\xbb\xbf" + plain.encode(), plain.encode("utf-16")):
        (tmp_path / "manifest.csv").write_bytes(data)
        entries, errors = storage.read_manifest(tmp_path)
        assert [(e.doc_id, e.file) for e in entries] == [("g1", "good.txt")] and not errors


def test_a_manifest_that_is_a_folder_is_one_line(tmp_path, capsys):
    (tmp_path / "corpus" / "manifest.csv").mkdir(parents=True)
    assert main(["run", "--corpus", str(tmp_path / "corpus"), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "manifest.csv: not a regular file" in err


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ("doc_id,gold_id\ngood,\u00e9\n".encode("latin-1"), ":2: not UTF-8"),
        (b"\x00\xff\x00\n", ":1: binary file"),
        (b"doc_id,gold_id\ngood," + b"x" * 200_000 + b"\n", ":2: a field longer than"),
        (b"\xef\xbb\xbfdoc_id,gold_id\ngood,G1\n", ":1: missing column(s) event_type"),
    ],
)
def test_a_broken_gold_file_is_one_line_naming_file_and_line(tmp_path, capsys, data, problem):
    (tmp_path / "out" / "text").mkdir(parents=True)
    (tmp_path / "out" / "text" / "good.txt").write_text(SHORT, encoding="utf-8")
    (tmp_path / "gold").mkdir()
    (tmp_path / "gold" / "good.events.csv").write_bytes(data)
    args = ["score", "--out", str(tmp_path / "out"), "--gold", str(tmp_path / "gold")]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path / 'gold' / 'good.events.csv'}{problem}" in err, err
    assert "Traceback" not in err and err.count("\n") == 1


def test_an_empty_corpus_never_erases_outputs(tmp_path, capsys):
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    corpus.mkdir()
    (corpus / "good.txt").write_text(SHORT, encoding="utf-8")
    assert main(["run", "--corpus", str(corpus), "--out", str(out)]) == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (corpus / "good.txt").unlink()
    capsys.readouterr()
    assert main(["run", "--corpus", str(corpus), "--out", str(out)]) == 0
    assert "no document processed: nothing written" in capsys.readouterr().out
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_a_run_switches_its_outputs_in_as_a_set(tmp_path):
    out = tmp_path / "out"
    old = {"text/a.txt": "old text\n", "events.csv": "doc_id\na\n"}
    outdir.prepare(out)
    outdir.stage(out, old)
    outdir.commit(out)
    assert {n: (out / n).read_text() for n in old} == old and not (out / ".pending").exists()
    # killed before the commit point: the staged files are dropped, the old run stays
    outdir.stage(out, {"text/a.txt": "new text\n", "events.csv": "doc_id\nnew\n"})
    outdir.prepare(out)
    assert {n: (out / n).read_text() for n in old} == old and not (out / ".pending").exists()
    # killed after it (journal written, one file moved): the next reader completes the switch
    pending = outdir.stage(out, {"text/a.txt": "new text\n", "events.csv": "doc_id\nnew\n"})
    (pending / outdir.JOURNAL).write_text("events.csv\ntext/a.txt\n")
    os.replace(pending / "events.csv", out / "events.csv")
    outdir.finish(out)
    assert (out / "text" / "a.txt").read_text() == "new text\n"
    assert (out / "events.csv").read_text() == "doc_id\nnew\n"


def test_add_handles_a_manifest_without_final_newline(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(SHORT, encoding="utf-8")
    (corpus / "manifest.csv").write_text("doc_id,file\ngood,good.txt", encoding="utf-8")
    (tmp_path / "new.txt").write_text(SHORT, encoding="utf-8")
    args = ["add", str(tmp_path / "new.txt"), "--corpus", str(corpus)]
    assert main([*args, "--annotations", str(tmp_path / "ann")]) == 0
    assert [r["doc_id"] for r in rows(corpus / "manifest.csv")] == ["good", "new"]


def test_a_failed_add_changes_nothing_and_a_retry_works(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "manifest.csv").write_text("doc_id,file\n", encoding="utf-8")
    (tmp_path / "new.txt").write_text(SHORT, encoding="utf-8")
    (tmp_path / "ann").write_text("a file where the folder should be")
    args = ["add", str(tmp_path / "new.txt"), "--corpus", str(corpus), "--annotations"]
    assert main([*args, str(tmp_path / "ann")]) == 2
    assert "cannot write" in capsys.readouterr().err
    assert sorted(p.name for p in corpus.iterdir()) == ["manifest.csv"]
    assert (corpus / "manifest.csv").read_text() == "doc_id,file\n"
    assert main([*args, str(tmp_path / "ann2")]) == 0
    assert (corpus / "new.txt").exists() and (tmp_path / "ann2" / "new.events.csv").exists()


def test_an_unwritable_out_is_one_line_before_any_work(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(SHORT, encoding="utf-8")
    (tmp_path / "file").write_text("not a folder")
    assert main(["run", "--corpus", str(corpus), "--out", str(tmp_path / "file" / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot write the outputs here" in err


def test_a_document_longer_than_spacy_max_length_is_processed_in_pieces(
    tmp_path, capsys, nlp, monkeypatch
):
    monkeypatch.setattr("pipeline.nlp.model.build_nlp", lambda model: nlp)
    monkeypatch.setattr(nlp, "max_length", 2000)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    said = "Round {}: the parties met in Geneva on {} May 1999."
    long = "\n\n".join(said.format(n, n % 28 + 1) for n in range(80))
    (corpus / "long.txt").write_text("Talks\n\n" + long + "\n", encoding="utf-8")
    assert main(["run", "--corpus", str(corpus), "--out", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert "long.txt: 4,209 characters, more than the 2,000 processed at once" in err
    assert "processed in 3 pieces cut at blank lines, else full stops" in err
    text = (tmp_path / "out" / "text" / "long.txt").read_text(encoding="utf-8")
    found = rows(tmp_path / "out" / "timexes.csv")
    assert len(found) >= 80
    assert all(text[int(r["char_start"]) : int(r["char_end"])] == r["text"] for r in found)


def test_a_gold_file_that_is_a_folder_is_one_line(tmp_path, capsys):
    (tmp_path / "out" / "text").mkdir(parents=True)
    (tmp_path / "out" / "text" / "good.txt").write_text(SHORT, encoding="utf-8")
    (tmp_path / "gold" / "good.events.csv").mkdir(parents=True)
    assert main(["score", "--out", str(tmp_path / "out"), "--gold", str(tmp_path / "gold")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "good.events.csv: not a regular file" in err


def test_a_full_disk_while_writing_keeps_the_earlier_outputs(tmp_path, capsys, monkeypatch):
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    corpus.mkdir()
    (corpus / "good.txt").write_text(SHORT, encoding="utf-8")
    assert main(["run", "--corpus", str(corpus), "--out", str(out)]) == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (corpus / "good.txt").write_text(SHORT.replace("Geneva", "Vienna"), encoding="utf-8")
    written = []

    def full(folder, name, data):
        if len(written) >= 3:  # the disk fills up after three files of the new run
            raise OSError(28, "No space left on device")
        written.append(name)
        return new_file(folder, name, data)

    new_file = storage.new_file
    monkeypatch.setattr(storage, "new_file", full)
    capsys.readouterr()
    assert main(["run", "--corpus", str(corpus), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "No space left on device" in err and "earlier outputs kept" in err
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_a_bug_met_on_one_document_is_one_error_line_and_the_others_go_on(
    tmp_path, capsys, monkeypatch
):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(SHORT, encoding="utf-8")
    (corpus / "bad.txt").write_text(SHORT.replace("Geneva", "Vienna"), encoding="utf-8")
    real = workers.process

    def fails_on_bad(entry, *args, **kwargs):
        if entry.doc_id == "bad":
            raise TypeError("'<' not supported between instances of 'When' and 'When'")
        return real(entry, *args, **kwargs)

    monkeypatch.setattr(workers, "process", fails_on_bad)
    assert main(["run", "--corpus", str(corpus), "--out", str(tmp_path / "out")]) == 1
    err = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error")]
    assert len(err) == 1 and "bad.txt: internal error, please report it: TypeError" in err[0]
    assert (tmp_path / "out" / "text" / "good.txt").exists()
    assert not (tmp_path / "out" / "text" / "bad.txt").exists()
