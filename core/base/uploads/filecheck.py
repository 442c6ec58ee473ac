"""What an uploaded file really is, found from its content, never from its name or the browser's word.

Accepted: PDF (opened with pypdf; damaged, truncated and encrypted files are refused, each with
its reason, and so are PDFs with JavaScript, actions that run programs, send data or act by
themselves, or embedded files: ``core.base.uploads.pdf_active``; its pages are counted), JPEG, PNG and
TIFF (Pillow checks the structure and decodes the image; the document service then stores a
redrawn copy without metadata, ``core.base.uploads.sanitise``). Everything else is refused with a
message that says why: an empty file, a file too large, a web page (HTML, whatever it is named),
an SVG drawing (it can carry scripts), any other type. A file that is an image and a web page at
once (a polyglot: HTML or script markup in its first bytes or, for an image, anywhere in it; data
after a PNG's last chunk or a JPEG's end marker) is refused too, because a browser could be talked
into running it as a page.
"""

from __future__ import annotations

import re
import struct
import warnings
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.base.uploads.limits import too_large_message

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

# Markup searched for through the whole of an image. Each tag must be followed by what ends a tag
# name, so that compressed image data (tens of megabytes of it) does not spell one by chance.
IMAGE_MARKUP = re.compile(
    rb"<(?:html|script|svg|iframe|body|frameset|object|embed)[\s/>]|<!doctype\s|<\?xml\s",
    re.IGNORECASE,
)
# The whole file is read this much at a time (memory stays flat); each chunk is searched together
# with the end of the one before, so a marker cut in two by the boundary is still found.
SCAN_CHUNK = 1 << 20
SCAN_OVERLAP = 32
# Bytes some encoders leave after a JPEG's end marker (zeros, 0xFF fill); more is hidden data.
JPEG_PADDING = 16
# In a JPEG's compressed data, 0xFF is followed by 0x00 (a stuffed byte) or a restart marker
# (0xD0–0xD7); anything else begins the next marker.
JPEG_NEXT_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7]")


class FileRefused(ValidationError):
    """An upload that may not be kept; ``code`` names the reason (empty, type, html, svg …)."""


@dataclass(frozen=True)
class Checked:
    content_type: str
    pages: int = 1

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]


def refusal(code: str, message: str, name: str) -> FileRefused:
    """The refusal of the upload ``name``, saying ``message``."""
    return FileRefused(_("%(name)s: %(reason)s") % {"name": name, "reason": message}, code=code)


_refuse = refusal


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


# Why a PDF with active content is refused (``core.base.uploads.pdf_active``), by what was found.
ACTIVE_REASONS = {
    "javascript": gettext_lazy(
        "the PDF contains JavaScript, which a PDF reader could run; save or print it again as a "
        "plain PDF, or scan the paper, and upload that."
    ),
    "action": gettext_lazy(
        "the PDF contains actions that start programs, send data or play media, or act by themselves "
        "when it is opened; save or print it again as a plain PDF, or scan the paper, and upload that."
    ),
    "embedded": gettext_lazy("the PDF carries other files inside it; upload each file on its own."),
    "complex": gettext_lazy(
        "the PDF is too complex to check; save or print it again as a plain PDF, or scan the paper, "
        "and upload that."
    ),
}


def _check_pdf(path: Path, name: str) -> int:
    import pypdf
    from pypdf.errors import PdfReadError

    # lazy: pypdf (which it imports) is loaded only when a PDF is checked
    from core.base.uploads.pdf_active import pdf_active_content

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
            active = pdf_active_content(reader)
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
    if active:
        raise _refuse(active, str(ACTIVE_REASONS[active]), name)
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


def _jpeg_skip_scan(f) -> bool:
    """Move past a JPEG's compressed data to the 0xFF of the next marker; False at the file's end."""
    while True:
        start = f.tell()
        chunk = f.read(SCAN_CHUNK)
        if len(chunk) < 2:
            return False
        found = JPEG_NEXT_MARKER.search(chunk)
        if found:
            f.seek(start + found.start())
            return True
        # A 0xFF as the chunk's last byte is read again with what follows it.
        f.seek(start + len(chunk) - 1 if chunk.endswith(b"\xff") else start + len(chunk))


def _jpeg_end(f) -> int | None:
    """Where the JPEG starting at the file's position ends (just after its end marker, found by
    walking its segments), or None when it ends before its marker or is not laid out as one."""
    if f.read(2) != b"\xff\xd8":
        return None
    while True:
        byte = f.read(1)
        if byte != b"\xff":
            return None
        marker = f.read(1)
        while marker == b"\xff":  # fill bytes before a marker
            marker = f.read(1)
        if not marker:
            return None
        code = marker[0]
        if code == 0xD9:  # EOI
            return f.tell()
        if 0xD0 <= code <= 0xD7 or code == 0x01:  # markers without a length
            continue
        length = f.read(2)
        if len(length) < 2 or struct.unpack(">H", length)[0] < 2:
            return None
        f.seek(struct.unpack(">H", length)[0] - 2, 1)
        if code == 0xDA and not _jpeg_skip_scan(f):  # SOS: compressed data follows
            return None


def _jpeg_tail(path: Path) -> str:
    """ "ok" when the JPEG ends at its end marker (a few padding bytes allowed, and further whole
    JPEG images after it, as cameras store previews and gain maps), "extra" when other data follows
    (how JPEG/HTML polyglots hide), "cut" when the end marker is never reached."""
    size = path.stat().st_size
    with path.open("rb") as f:
        end = _jpeg_end(f)
        if end is None:
            return "cut"
        while size - end > JPEG_PADDING:
            f.seek(end)
            if f.read(2) != b"\xff\xd8":
                return "extra"
            f.seek(end)
            following = _jpeg_end(f)
            if following is None:
                return "extra"
            end = following
        f.seek(end)
        return "ok" if f.read().strip(b"\x00\xff") == b"" else "extra"


def markup_anywhere(path: Path) -> bool:
    """Whether web page markup occurs anywhere in the file, read in chunks (memory stays flat)."""
    with path.open("rb") as f:
        tail = b""
        while chunk := f.read(SCAN_CHUNK):
            window = tail + chunk
            if IMAGE_MARKUP.search(window):
                return True
            tail = window[-SCAN_OVERLAP:]
    return False


def _check_image(path: Path, content_type: str, name: str) -> int:
    from PIL import Image, UnidentifiedImageError

    tail = _png_tail(path) if content_type == PNG else "ok"
    if tail == "extra":
        raise _refuse("polyglot", _("the PNG carries other data after its image; it is refused."), name)
    if tail == "cut":
        raise _refuse("damaged", _("the image is damaged and cannot be read."), name)
    # A JPEG without its end marker is left to Pillow to judge; data after the end is refused.
    if content_type == JPEG and _jpeg_tail(path) == "extra":
        raise _refuse("polyglot", _("the JPEG carries other data after its image; it is refused."), name)
    if markup_anywhere(path):
        raise _refuse("polyglot", _("the file also carries web page (HTML) markup; it is refused."), name)
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
        # The same words as when the upload handler stops a file while it streams in.
        raise FileRefused(too_large_message(name, mb=max_bytes // 2**20), code="too_large")
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
