"""A preview of a document: page one as a PNG, small enough for a file's correspondence side.

PDFs are drawn by pdfium (pypdfium2), images by Pillow (a TIFF's first page). The preview is made
from the checked upload before anything is stored, so a PDF that pdfium cannot draw is refused as
damaged rather than kept without a preview.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.base.uploads.filecheck import PDF, FileRefused

# The longest side of a preview, in pixels.
PREVIEW_SIZE = 800


def _pdf_page_one(source: Path):
    import pypdfium2

    document = pypdfium2.PdfDocument(str(source))
    try:
        page = document[0]
        width, height = page.get_size()
        scale = PREVIEW_SIZE / max(width, height, 1)
        bitmap = page.render(scale=scale)
        image = bitmap.to_pil()
        page.close()
        return image
    finally:
        document.close()


def _image_page_one(source: Path):
    from PIL import Image, ImageOps

    with Image.open(source) as image:
        image.seek(0)
        if image.format == "JPEG":
            # Decode at the smallest scale still above the preview size: a 35-megapixel scan
            # then costs a few megabytes, not a hundred.
            image.draft("RGB", (PREVIEW_SIZE, PREVIEW_SIZE))
        image.thumbnail((PREVIEW_SIZE, PREVIEW_SIZE))
        image = ImageOps.exif_transpose(image)
        if image.mode not in ("RGB", "RGBA", "L", "LA"):
            image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
        return image


def preview_make(source: Path | str, *, content_type: str, target: Path | str, name: str = "") -> None:
    """Write page one of ``source`` (a checked upload of ``content_type``) as a PNG at ``target``.

    Raises ``FileRefused`` when the file cannot be drawn.
    """
    source, target = Path(source), Path(target)
    try:
        image = _pdf_page_one(source) if content_type == PDF else _image_page_one(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        image.save(target, format="PNG", optimize=False)
    except ValidationError:
        raise
    except Exception as error:  # pdfium and Pillow raise many kinds; any of them means "cannot draw"
        target.unlink(missing_ok=True)
        raise FileRefused(
            _("%(name)s: the file is damaged and cannot be shown.") % {"name": name or source.name},
            code="damaged",
        ) from error
