"""Scanned papers for the demo: pages in Hindi and English drawn as a scanner would give them (a
PNG of a printed page), so the demo's OCR has real text to read and the search finds it.

The pages are drawn with ``core.base.pdf`` (HarfBuzz shapes the Devanagari) and rasterised with PDFium;
nothing is shipped as a binary file.
"""

from __future__ import annotations

import io

import pypdfium2
from django.core.files.uploadedfile import SimpleUploadedFile

from core.base.pdf import pdf_bytes, pdf_heading, pdf_new, pdf_paragraph

# A scanner's resolution: enough for OCR, small enough for a demo.
SCAN_DPI = 150


def scanned_page(*, title: str, lines: list[str], name: str) -> SimpleUploadedFile:
    """One A4 page with a heading and paragraphs, as a greyscale PNG upload named ``name``."""
    pdf = pdf_new(title=title)
    pdf_heading(pdf, title)
    for line in lines:
        pdf_paragraph(pdf, line)
    document = pypdfium2.PdfDocument(pdf_bytes(pdf))
    try:
        image = document[0].render(scale=SCAN_DPI / 72, grayscale=True).to_pil()
    finally:
        document.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def fir_copy(
    *, thana_hi: str, thana: str, number: int, year: int, sections: str, facts: str, complainant: str
):
    """The first page of an FIR copy, in Hindi with its English heading."""
    return scanned_page(
        title=f"प्रथम सूचना रिपोर्ट / First Information Report — {thana_hi} थाना कांड संख्या {number}/{year}",
        lines=[
            f"थाना: {thana_hi} ({thana} PS), जिला: वैशाली (Vaishali)",
            f"कांड संख्या: {number}/{year}    धाराएँ: {sections}",
            f"वादी / Complainant: {complainant}",
            f"संक्षिप्त तथ्य: {facts}",
            "थानाध्यक्ष के हस्ताक्षर / Signature of the officer in charge",
        ],
        name=f"FIR-{thana}-{number}-{year}.png",
    )
