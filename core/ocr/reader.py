"""Reading a stored document version page by page.

A PDF page with a text layer of its own (made by a word processor, or already OCR'd by a scanner)
gives that text, with no confidence (nothing checked it: pages show "from the PDF's text"), unless
its Hindi reads wrong (``core.ocr.textlayer``: words split into syllables, vowel signs cut off,
stray characters where a conjunct was), when the page is read by Tesseract instead; any other PDF
page is drawn by pdfium at 300 dpi and read by Tesseract. An image (PNG, JPEG, or each frame of a
multi-page TIFF) is read by Tesseract as it is. A page Tesseract finds no words on is EMPTY (marked
for manual indexing); a page, or a file, that cannot be read at all is FAILED with the reason.
Nothing here raises for a bad file: the reason is in the result, so one damaged paper never stops a
worker.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from core.base.uploads.filecheck import PDF
from core.ocr.engine import OcrError, image_read, reason
from core.ocr.textlayer import text_layer_broken

DPI = 300
# A text layer with fewer letters than this is a scanner's stray marks, not the page's text.
TEXT_LAYER_MIN_CHARS = 20
# Pixels on the longest side of a page image shown beside its text.
VIEW_SIZE = 1000

READ, EMPTY, FAILED = "read", "empty", "failed"


@dataclass(frozen=True)
class PageResult:
    number: int
    status: str
    text: str = ""
    confidence: float | None = None
    source: str = "ocr"  # "ocr" or "text" (the PDF's own text layer)
    reason: str = ""
    text_layer_broken: bool = False  # the page had a text layer, set aside as broken Hindi


def _text_layer(page) -> str:
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range() or ""
    finally:
        textpage.close()
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").strip()
    return text if sum(ch.isalnum() for ch in text) >= TEXT_LAYER_MIN_CHARS else ""


def _ocr(number: int, image, *, dpi: int) -> PageResult:
    try:
        reading = image_read(image, dpi=dpi)
    except OcrError as error:
        return PageResult(number, FAILED, reason=error.reason)
    if reading.empty:
        return PageResult(number, EMPTY, confidence=reading.confidence)
    return PageResult(number, READ, text=reading.text, confidence=reading.confidence)


def _pdf_pages(path: Path, *, dpi: int, ocr: bool) -> Iterator[PageResult]:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        for index in range(len(document)):
            page = document[index]
            try:
                text = _text_layer(page)
                broken = bool(text) and text_layer_broken(text)
                if text and (not broken or not ocr):
                    # Kept as it is, even when broken if there is no Tesseract: still searchable
                    # in part. Never given a confidence: nothing has checked it.
                    yield PageResult(index + 1, READ, text=text, source="text", text_layer_broken=broken)
                elif not ocr:
                    yield PageResult(index + 1, FAILED, reason=reason("no_tesseract"))
                else:
                    image = page.render(scale=dpi / 72, grayscale=True).to_pil()
                    result = _ocr(index + 1, image, dpi=dpi)
                    yield replace(result, text_layer_broken=broken)
            except Exception as error:  # pdfium raises several kinds for one bad page
                yield PageResult(index + 1, FAILED, reason=reason("not_drawn", error))
            finally:
                page.close()
    finally:
        document.close()


def _image_frames(path: Path) -> Iterator:
    from PIL import Image, ImageOps, ImageSequence

    with Image.open(path) as image:
        for frame in ImageSequence.Iterator(image):
            frame = ImageOps.exif_transpose(frame)
            yield frame.convert("L") if frame.mode not in ("L", "RGB") else frame.copy()


def _image_dpi(path: Path) -> int:
    from PIL import Image

    with Image.open(path) as image:
        dpi = image.info.get("dpi") or (DPI, DPI)
    try:
        value = int(round(float(dpi[0])))
    except (TypeError, ValueError, IndexError):
        return DPI
    return value if 70 <= value <= 1200 else DPI


def version_pages(path: Path, *, content_type: str, dpi: int = DPI, ocr: bool = True) -> list[PageResult]:
    """Every page of the stored file at ``path`` read, in order. ``ocr`` False (Tesseract missing)
    still takes PDF text layers and marks the other pages FAILED. Never raises for a bad file: a
    file that cannot be opened at all is one FAILED page with the reason."""
    results: list[PageResult] = []
    try:
        if content_type == PDF:
            results.extend(_pdf_pages(path, dpi=dpi, ocr=ocr))
        else:
            image_dpi = _image_dpi(path)
            for number, frame in enumerate(_image_frames(path), start=1):
                if ocr:
                    results.append(_ocr(number, frame, dpi=image_dpi))
                else:
                    results.append(PageResult(number, FAILED, reason=reason("no_tesseract")))
    except Exception as error:  # a missing, truncated or damaged stored file
        why = reason("unreadable", f"{type(error).__name__}: {error}")
        done = {result.number for result in results}
        results.append(PageResult(max(done, default=0) + 1, FAILED, reason=why))
    return results


def page_image(path: Path, *, content_type: str, number: int, size: int = VIEW_SIZE):
    """Page ``number`` (from 1) of the stored file as a greyscale Pillow image at most ``size``
    pixels on its longest side, or None when the file has no such page or cannot be drawn."""
    try:
        if content_type == PDF:
            import pypdfium2

            document = pypdfium2.PdfDocument(str(path))
            try:
                if not 0 < number <= len(document):
                    return None
                page = document[number - 1]
                width, height = page.get_size()
                image = page.render(scale=size / max(width, height, 1), grayscale=True).to_pil()
                page.close()
                return image
            finally:
                document.close()
        for index, frame in enumerate(_image_frames(path), start=1):
            if index == number:
                frame.thumbnail((size, size))
                return frame.convert("L")
    except Exception:  # a damaged stored file draws as nothing, like a page that is not there
        return None
    return None
