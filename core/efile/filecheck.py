"""What an uploaded file really is, found from its content, never from its name or the browser's word.

Accepted: PDF (opened with pypdf; damaged, truncated and encrypted files are refused, each with
its reason; its pages are counted), JPEG, PNG and TIFF (Pillow checks the structure and decodes
the image). Everything else is refused with a message that says why: an empty file, a file
too large, a web page (HTML, whatever it is named), an SVG drawing (it can carry scripts),
any other type. A file that is an image and a web page at once (a polyglot: HTML or script
markup in its first bytes, or data after a PNG's last chunk) is refused too, because a browser
could be talked into running it as a page.
"""

from __future__ import annotations

import re
import struct
import warnings
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PDF, JPEG, PNG, TIFF = "application/pdf", "image/jpeg", "image/png", "image/tiff"
EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png", TIFF: ".tif"}

# Bytes a browser reads to guess a type (the MIME sniffing standard reads up to 1445).
SNIFF_BYTES = 2048
# Markup a browser would run as a page. Long enough words that compressed image data never
# spells them by chance.
MARKUP = re.compile(
    rb"<\s*(?:!doctype|html|head|body|script|iframe|frameset|object|embed|svg)|javascript:",
    re.IGNORECASE,
)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class FileRefused(ValidationError):
    """An upload that may not be kept; ``code`` names the reason (empty, type, html, svg …)."""


@dataclass(frozen=True)
class Checked:
    content_type: str
    pages: int = 1

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]


def _refuse(code: str, message: str, name: str) -> FileRefused:
    return FileRefused(_("%(name)s: %(reason)s") % {"name": name, "reason": message}, code=code)


def _kind_by_magic(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(PNG_SIGNATURE):
        return PNG
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return TIFF
    return None


def _not_accepted(head: bytes, name: str) -> FileRefused:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"<svg" in text[:SNIFF_BYTES]:
        return _refuse("svg", _("SVG drawings are not accepted; upload a PDF or a scanned image."), name)
    if MARKUP.search(text):
        return _refuse(
            "html", _("this is a web page (HTML), not a PDF or an image, whatever its name says."), name
        )
    return _refuse("type", _("only PDF, JPEG, PNG and TIFF files are accepted."), name)


def _check_pdf(path: Path, name: str) -> int:
    import pypdf
    from pypdf.errors import PdfReadError

    with path.open("rb") as f:
        f.seek(max(0, path.stat().st_size - 1024))
        if b"%%EOF" not in f.read():
            # pypdf would rebuild a cut-off file from what is left; the paper would lose pages.
            raise _refuse("damaged", _("the PDF is damaged or incomplete (it has no end)."), name)
    try:
        # An open file, not a path: given a path, pypdf reads the whole file into memory.
        with warnings.catch_warnings(), path.open("rb") as stream:
            warnings.simplefilter("ignore")
            reader = pypdf.PdfReader(stream, strict=False)
            if reader.is_encrypted:
                raise _refuse(
                    "encrypted",
                    _("the PDF is encrypted (password protected); upload it without a password."),
                    name,
                )
            pages = len(reader.pages)
    except FileRefused:
        raise
    except (
        PdfReadError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        RecursionError,
        OSError,
    ):
        raise _refuse("damaged", _("the PDF is damaged and cannot be read."), name) from None
    if pages < 1:
        raise _refuse("damaged", _("the PDF has no pages."), name)
    return pages


def _png_tail(path: Path) -> str:
    """ "ok" when the PNG ends with its IEND chunk, "extra" when data follows it (how PNG/HTML
    polyglots hide), "cut" when the chunks end before IEND."""
    with path.open("rb") as f:
        f.seek(len(PNG_SIGNATURE))
        while True:
            header = f.read(8)
            if len(header) < 8:
                return "cut"
            length, kind = struct.unpack(">I4s", header)
            f.seek(length + 4, 1)  # data and CRC
            if kind == b"IEND":
                return "ok" if f.read(1) == b"" else "extra"


def _check_image(path: Path, content_type: str, name: str) -> int:
    from PIL import Image, UnidentifiedImageError

    tail = _png_tail(path) if content_type == PNG else "ok"
    if tail == "extra":
        raise _refuse("polyglot", _("the PNG carries other data after its image; it is refused."), name)
    if tail == "cut":
        raise _refuse("damaged", _("the image is damaged and cannot be read."), name)
    try:
        with Image.open(path) as image:
            image.verify()
        with Image.open(path) as image:
            if image.format not in ("JPEG", "PNG", "TIFF"):
                raise _refuse("type", _("only PDF, JPEG, PNG and TIFF files are accepted."), name)
            frames = getattr(image, "n_frames", 1)
            if image.format == "JPEG":
                image.draft("L", (1024, 1024))  # decode at a reduced scale: enough to prove it
            image.load()
    except FileRefused:
        raise
    except Image.DecompressionBombError:
        raise _refuse("damaged", _("the image is too large to open safely."), name) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, struct.error, EOFError):
        raise _refuse("damaged", _("the image is damaged and cannot be read."), name) from None
    return frames


def file_check(
    path: Path | str, *, name: str, size: int | None = None, max_bytes: int | None = None
) -> Checked:
    """The type of the file at ``path`` found from its content, or ``FileRefused`` saying why not.

    ``name`` is only used in messages; ``max_bytes`` refuses a larger file.
    """
    path = Path(path)
    size = path.stat().st_size if size is None else size
    if size == 0:
        raise _refuse("empty", _("the file is empty."), name)
    if max_bytes is not None and size > max_bytes:
        raise _refuse(
            "too_large",
            _("it is larger than %(mb)d MB, the most one upload may be.") % {"mb": max_bytes // 2**20},
            name,
        )
    with path.open("rb") as f:
        head = f.read(SNIFF_BYTES)
    content_type = _kind_by_magic(head)
    if content_type is None:
        raise _not_accepted(head, name)
    if MARKUP.search(head):
        raise _refuse("polyglot", _("the file also carries web page (HTML) markup; it is refused."), name)
    if content_type == PDF:
        return Checked(PDF, pages=_check_pdf(path, name))
    return Checked(content_type, pages=_check_image(path, content_type, name))
