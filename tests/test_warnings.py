"""Facts about a document that cost it nothing but that its reader should know (issue 14):
a page-number line "- 0 -" and a dropped impossible date each give one `warning:` line
naming the file; the run goes on and exits 0. Every case is a real file made here."""

from __future__ import annotations

import csv

import pytest

from pipeline.cli import main

GOOD = "Talks in Geneva\n\nThe parties met in Geneva on 3 May 1999. They agreed on a ceasefire.\n"
ZERO = GOOD + "\n- 0 -\n\nThe talks resumed in Oslo on 4 June 1999.\n"
YEARS = (
    "Talks\n\nThe parties met in Geneva on 3 May 1994. 2000 years earlier nothing happened. "
    "The parties met in Oslo on 4 May 1994. 9000 years later they met in Bern. They met in "
    "Rome on 5 May 1994. 1500 years earlier, too. They met in Paris on 6 May 1994. "
    "3000000 days later they met in Vienna.\n"
)
DROPPED = ("2000 years earlier", "9000 years later", "1500 years earlier", "3000000 days later")


def rows(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A corpus of a good document, one with a page "- 0 -" and one with impossible dates."""
    folder = tmp_path_factory.mktemp("warnings") / "corpus"
    folder.mkdir()
    for name, text in (("good", GOOD), ("zero", ZERO), ("years", YEARS)):
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


def run(corpus, out, capsys) -> list[str]:
    """Run the corpus into `out` (exit 0 asserted); the warning lines said."""
    capsys.readouterr()
    assert main(["run", "--corpus", str(corpus), "--out", str(out), "--gold", "none"]) == 0
    return [line for line in capsys.readouterr().err.splitlines() if line.startswith("warning")]


def test_page_zero_and_impossible_dates_are_warnings_and_the_run_goes_on(corpus, capsys):
    out = corpus.parent / "out"
    said = run(corpus, out, capsys)
    zero = [line for line in said if "zero.txt" in line]
    assert zero == [
        f'warning: {corpus / "zero.txt"}: page-number line "- 0 -" numbers page 0, '
        "which is no page: ignored"
    ]
    years = [line for line in said if "years.txt" in line]
    assert years == [
        f'warning: {corpus / "years.txt"}: time expression "{surface}" falls outside the '
        "years 1000-2999: dropped"
        for surface in DROPPED
    ]
    assert len(said) == 5  # nothing about good.txt
    events = rows(out / "events.csv")
    assert {e["doc_id"] for e in events} == {"good", "zero", "years"}
    values = [r["value_start"] for r in rows(out / "timexes.csv") if r["doc_id"] == "years"]
    assert values == ["1994-05-03", "1994-05-04", "1994-05-05", "1994-05-06"]
    pages = {r["page"] for r in rows(out / "segments.csv") if r["doc_id"] == "zero"}
    assert pages == {"1"}


def test_a_cached_result_says_its_warnings_again(corpus, capsys):
    out = corpus.parent / "out-cached"
    first = run(corpus, out, capsys)
    again = run(corpus, out, capsys)
    assert len(first) == 5 and again == first


def test_several_zero_pages_are_one_warning(tmp_path, capsys):
    (tmp_path / "corpus").mkdir()
    text = ZERO + "\n- 0 -\n\nThey met again in Bern on 5 July 1999.\n"
    (tmp_path / "corpus" / "zeros.txt").write_text(text, encoding="utf-8")
    said = run(tmp_path / "corpus", tmp_path / "out", capsys)
    assert len(said) == 1 and said[0].endswith("ignored (and 1 more such line(s))")
