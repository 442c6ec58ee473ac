"""Helpers of the OCR tests: pages made by the test itself (Hindi and English text drawn by
``core.base.pdf`` with HarfBuzz shaping and Noto Devanagari, rasterised by pdfium at 300 dpi), blank
and scribbled pages, and documents uploaded onto a case through the real services."""

from __future__ import annotations

import functools
import io
import random

import pypdfium2
from PIL import Image, ImageDraw

from core.base.pdf import pdf_bytes, pdf_heading, pdf_new, pdf_paragraph
from core.efile.services.documents import document_upload
from core.models import Document
from tenants.context import district_context
from tests.core.cases.casework import register
from tests.core.efile.samples import upload
from tests.helpers import next_id_in_both_districts

A4_300 = (2480, 3508)
WORDS_HI = ("वैशाली", "महुआ")
WORDS_EN = ("Mahua", "2025")


@functools.cache
def text_pdf() -> bytes:
    """A one-page A4 PDF with a text layer: a Hindi heading, mixed lines in a large clear size.
    Made once per run: fpdf2 instancing the variable Noto fonts takes many seconds."""
    pdf = pdf_new(title="OCR test page")
    pdf_heading(pdf, "पुलिस अधीक्षक कार्यालय, वैशाली", size=20)
    for line in [
        "महुआ थाना कांड संख्या 45/2025",
        "Mahua police station case 45/2025",
        "अनुसंधानकर्ता द्वारा प्रगति प्रतिवेदन समर्पित किया गया।",
        "Progress report submitted by the investigating officer.",
    ]:
        pdf_heading(pdf, line, size=16)
    pdf_paragraph(pdf, "")
    return pdf_bytes(pdf)


GOOD_LAYER_HI = "सात दिनों के भीतर महुआ थाना कांड संख्या 45/2025 की प्राथमिकी की प्रति"


@functools.cache
def good_text_layer_pdf() -> bytes:
    """A one-page PDF whose text layer is exactly the Hindi and English typed (written without
    shaping, so each character is its own glyph with its own Unicode mapping)."""
    pdf = pdf_new(title="Text layer")
    pdf.set_text_shaping(False)
    pdf_heading(pdf, GOOD_LAYER_HI, size=16)
    pdf_heading(pdf, "Mahua police station case 45/2025", size=16)
    return pdf_bytes(pdf)


@functools.cache
def spaced_text_layer_pdf() -> bytes:
    """A one-page PDF whose Hindi text layer is split into syllables, as some producers write it."""
    pdf = pdf_new(title="Text layer")
    pdf.set_text_shaping(False)
    pdf_heading(pdf, "सा त दि नों के भी तर घा ट पर आ वे दन दें", size=16)
    return pdf_bytes(pdf)


def rasterise(data: bytes, *, dpi: int = 300) -> Image.Image:
    document = pypdfium2.PdfDocument(data)
    try:
        return document[0].render(scale=dpi / 72, grayscale=True).to_pil()
    finally:
        document.close()


def png(image: Image.Image, *, dpi: int = 300) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(dpi, dpi))
    return out.getvalue()


def text_png() -> bytes:
    """The Hindi+English test page as a 300 dpi scan (no text layer)."""
    return png(rasterise(text_pdf()))


def blank_image() -> Image.Image:
    return Image.new("L", A4_300, 255)


def scribbles_image(seed: int = 7) -> Image.Image:
    """Pen strokes all over a page: what handwriting looks like to OCR that cannot read it."""
    rng = random.Random(seed)
    image = blank_image()
    draw = ImageDraw.Draw(image)
    for _ in range(40):
        draw.line([(rng.randint(200, 2200), rng.randint(200, 3300)) for _ in range(6)], fill=0, width=6)
    return image


def scanned_pdf(images: list[Image.Image]) -> bytes:
    """An image-only PDF (a scanner's output): each image one page at 300 dpi, no text layer."""
    out = io.BytesIO()
    first, *rest = [image.convert("L") for image in images]
    first.save(out, format="PDF", save_all=True, append_images=rest, resolution=300)
    return out.getvalue()


def case_paper(ef, data: bytes, name: str = "scan.png", *, case=None, key: str = "sho") -> Document:
    """A paper uploaded onto a Mahua thana case by its SHO (run under Vaishali's schema)."""
    case = case or register(ef)
    (document,) = document_upload(actor=ef.actor(key), case=case, uploads=[upload(name, data)])
    return document


def next_document_id_in_both_districts() -> int:
    """Move both districts' document id sequences on to the same next value (forward only)."""
    return next_id_in_both_districts("core_document")


def small_scan_pdf(pages: int = 2) -> bytes:
    """An image-only PDF of small white pages: quick to store and draw, for page and form tests."""
    return scanned_pdf([Image.new("L", (600, 850), 255) for _ in range(pages)])


def paper_read_and_empty(ef):
    """A two-page scanned paper on a Mahua case: page 1 read, page 2 without text (its version)."""
    with district_context("vaishali"):
        document = case_paper(ef, small_scan_pdf(), "scan.pdf")
        version = document.versions.get()
        read_as(version, "read", "empty")
    return version


def read_as(version, *statuses: str) -> None:
    """Give ``version`` pages as if OCR had read them (through ``document_ocr``, no Tesseract):
    a READ page has text "पृष्ठ N महुआ page N" at confidence 87.5."""
    from core.ocr.engine import reason
    from core.ocr.reader import PageResult
    from core.ocr.services import document_ocr

    results = [
        PageResult(
            n,
            status,
            text=f"पृष्ठ {n} महुआ page {n}" if status == "read" else "",
            confidence=87.5 if status == "read" else None,
            reason=reason("unreadable", "OSError: bad sector") if status == "failed" else "",
        )
        for n, status in enumerate(statuses, start=1)
    ]
    document_ocr(version=version, results=results)
