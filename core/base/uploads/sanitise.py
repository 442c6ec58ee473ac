"""Uploaded images redrawn into a fresh file of the same type before they are stored.

The checks of ``core.base.uploads.filecheck`` refuse what is plainly a web page, but markup hidden in an
image's metadata (a JPEG comment or APP segment, a PNG text chunk, a TIFF tag) cannot all be told
from ordinary metadata by pattern. So every image is decoded and its pixels written into a new
file, turned as its EXIF orientation says: a JPEG with its own quantisation tables and sampling
(the least loss a re-encode allows), a PNG losslessly, a TIFF page by page, losslessly compressed (CCITT
Group 4 for black and white, deflate otherwise). Only the pixels, the palette, the transparency
and the resolution are kept: EXIF, XMP, IPTC, ICC profiles, comments, text chunks and private
tags are not. PDFs are not rewritten (``core.base.uploads.pdf_active`` refuses the active ones).

The stored file is the redrawn one, so its SHA-256 and size are the redrawn file's
(``file_sanitise`` returns them); the SHA-256 of the bytes received is kept in the audit event.
"""

from __future__ import annotations

import hashlib
import math
import struct
import uuid
from pathlib import Path

from django.utils.translation import gettext as _

from core.base.uploads.filecheck import JPEG, PNG, TIFF, FileRefused, markup_anywhere, refusal

JPEG_MODES = ("L", "RGB", "CMYK")


def _dpi(image) -> tuple[float, float] | None:
    dpi = image.info.get("dpi")
    try:
        x, y = (float(value) for value in dpi)
    except (TypeError, ValueError):
        return None
    return (x, y) if all(math.isfinite(v) and 0 < v < 100_000 for v in (x, y)) else None


def _fresh(image, keep: tuple[str, ...] = ()):
    """A copy of the decoded pixels (palette included), turned as its EXIF orientation says,
    carrying none of the file's metadata but the ``keep`` entries."""
    from PIL import ImageOps

    clean = ImageOps.exif_transpose(image)  # a copy, turned or not
    clean.info = {key: image.info[key] for key in keep if key in image.info}
    return clean


def _jpeg(image, target: Path) -> None:
    from PIL.JpegImagePlugin import get_sampling

    tables, sampling, dpi = getattr(image, "quantization", None), get_sampling(image), _dpi(image)
    image.load()
    clean = _fresh(image)
    if clean.mode not in JPEG_MODES:
        clean = clean.convert("RGB")
    options = {"qtables": tables} if tables else {"quality": 90}
    if sampling != -1 and clean.mode != "L":
        options["subsampling"] = sampling
    if dpi:
        options["dpi"] = dpi
    clean.save(target, format="JPEG", **options)


def _png(image, target: Path, name: str) -> None:
    if getattr(image, "n_frames", 1) > 1:
        raise refusal("type", _("animated PNG images are not accepted; upload a still image."), name)
    dpi = _dpi(image)
    image.load()
    clean = _fresh(image, keep=("transparency",))
    options = {"dpi": dpi} if dpi else {}
    if "transparency" in clean.info:
        options["transparency"] = clean.info["transparency"]
    clean.save(target, format="PNG", **options)


def _tiff(image, target: Path) -> None:
    from PIL import ImageSequence, TiffImagePlugin

    dpi = _dpi(image)
    with TiffImagePlugin.AppendingTiffWriter(str(target), new=True) as out:
        for frame in ImageSequence.Iterator(image):
            frame.load()
            clean = _fresh(frame)
            options = {"compression": "group4" if clean.mode == "1" else "tiff_adobe_deflate"}
            if dpi:
                options["dpi"] = dpi
            clean.save(out, format="TIFF", **options)
            out.newFrame()


def _hash(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def file_sanitise(path: Path, *, content_type: str, name: str) -> tuple[Path, str, int] | None:
    """For a checked image: the redrawn file (beside ``path``, which is left as it is), its
    SHA-256 and size. None for a PDF, which is kept as received. Raises ``FileRefused`` when the
    image cannot be redrawn, or when the redrawn file still spells web page markup."""
    if content_type not in (JPEG, PNG, TIFF):
        return None
    from PIL import Image, UnidentifiedImageError

    target = path.with_name(f"{uuid.uuid4().hex}{path.suffix or '.img'}.clean")
    try:
        with Image.open(path) as image:
            if content_type == JPEG:
                _jpeg(image, target)
            elif content_type == PNG:
                _png(image, target, name)
            else:
                _tiff(image, target)
        if markup_anywhere(target):
            raise refusal("polyglot", _("the file also carries web page (HTML) markup; it is refused."), name)
        sha256, size = _hash(target)
    except FileRefused:
        target.unlink(missing_ok=True)
        raise
    except Image.DecompressionBombError:
        target.unlink(missing_ok=True)
        raise refusal("damaged", _("the image is too large to open safely."), name) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, struct.error, EOFError, KeyError):
        target.unlink(missing_ok=True)
        raise refusal("damaged", _("the image is damaged and cannot be read."), name) from None
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return target, sha256, size
