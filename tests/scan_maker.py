"""Make image-only ("scanned") PDFs for OCR tests and the OCR benchmark.

`rasterise` renders pages of a born-digital PDF (pypdfium2) and stores them as
page images without a text layer (Pillow), which gives OCR a ground truth: the
original's text layer. `images_pdf` turns any images (blank, noise, rotated
text) into such a PDF.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import pypdfium2
from PIL import Image


def images_pdf(images: Sequence[Image.Image], dpi: int) -> bytes:
    """Return a PDF with one page per image, each page the image at `dpi`."""
    buffer = io.BytesIO()
    first, *rest = [im.convert("L") for im in images]
    first.save(buffer, "PDF", resolution=dpi, save_all=True, append_images=rest)
    return buffer.getvalue()


def render(data: bytes, dpi: int, pages: Sequence[int] | None = None) -> list[Image.Image]:
    """Render the 1-based `pages` (default all) of PDF `data` to greyscale images."""
    pdf = pypdfium2.PdfDocument(data)
    try:
        numbers = pages or range(1, len(pdf) + 1)
        return [pdf[n - 1].render(scale=dpi / 72, grayscale=True).to_pil() for n in numbers]
    finally:
        pdf.close()


def rasterise(data: bytes, dpi: int = 200, pages: Sequence[int] | None = None) -> bytes:
    """An image-only PDF of the `pages` (default all) of PDF `data`, rendered at `dpi`."""
    return images_pdf(render(data, dpi, pages), dpi)


def extract(data: bytes, pages: Sequence[int]) -> bytes:
    """A PDF of the 1-based `pages` of PDF `data`, text layer and all."""
    source, target = pypdfium2.PdfDocument(data), pypdfium2.PdfDocument.new()
    try:
        target.import_pages(source, [n - 1 for n in pages])
        buffer = io.BytesIO()
        target.save(buffer)
        return buffer.getvalue()
    finally:
        target.close()
        source.close()
