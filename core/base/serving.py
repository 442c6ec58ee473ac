"""Handing out a stored file: the one way every register's downloads and previews do it (e-File
documents and case papers, digitised scans, RTI replies, OCR page images), with the same
protective headers, through nginx where it serves the storage (``KARYALAY_X_ACCEL_PREFIX``) or from
Django otherwise.

A file is offered under the uploader's name with the extension of the type its content was
checked to be (``download_name``), never the uploader's own suffix: a PDF uploaded as
``notice.hta`` is saved as ``notice.pdf``, so whoever opens the saved file opens a PDF."""

from __future__ import annotations

import mimetypes
import os
import re
import unicodedata
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse

from core.base.storage import stored_path
from core.base.uploads.filecheck import EXTENSIONS

# What a fetched document may do if a browser ever renders it: nothing (no scripts, no plugins, no
# requests); images may still show when the preview is opened on its own.
SANDBOX_CSP = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"


def protect(response: HttpResponse) -> HttpResponse:
    """The headers of every stored file handed out: not sniffed, sandboxed, not cached, not
    embedded by other sites."""
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_CSP
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def stored_or_404(name: str) -> Path:
    """The stored file's path, checked before the read is recorded. A row whose file is gone:
    say nothing more than for any other missing thing."""
    path = stored_path(name)
    if not path.is_file():
        raise Http404
    return path


# Extensions of the types handed out besides the checked upload types.
OTHER_EXTENSIONS = {"application/zip": ".zip", "text/csv": ".csv"}
NAME_MAX = 120
# Characters no file name should carry: reserved on Windows, or quotes and separators.
RESERVED = re.compile(r'[<>:"/\\|?*;]')


def _stem(name: str) -> str:
    name = os.path.basename(str(name).replace("\\", "/"))
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    stem = os.path.splitext(name)[0] if "." in name.lstrip(".") else name
    stem = RESERVED.sub("_", stem)
    return re.sub(r"\s+", " ", stem).strip(" .")[:NAME_MAX].strip(" .")


def extension_for(content_type: str) -> str:
    """The extension a file of ``content_type`` is saved with."""
    return (
        EXTENSIONS.get(content_type)
        or OTHER_EXTENSIONS.get(content_type)
        or mimetypes.guess_extension(content_type)
        or ".bin"
    )


def download_name(name: str, content_type: str) -> str:
    """The name a stored file is offered under: the stem of ``name`` (no folders, no control
    characters, reserved ones as "_", no dots or spaces at either end; "document" when nothing
    is left) and the
    extension of ``content_type``, the type the file's content was checked to be."""
    return f"{_stem(name) or 'document'}{extension_for(content_type)}"


def _ascii_name(name: str) -> str:
    """``name`` in plain ASCII for clients that do not read ``filename*``."""
    stem, extension = os.path.splitext(name)
    plain = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    plain = re.sub(r"[^A-Za-z0-9 ()._-]+", "_", plain).strip(" .")
    return f"{plain if re.search(r'[A-Za-z0-9]', plain) else 'document'}{extension}"


def content_disposition(as_attachment: bool, filename: str) -> str:
    """The header with both names (RFC 6266): an ASCII ``filename`` and the full ``filename*``."""
    kind = "attachment" if as_attachment else "inline"
    return f"{kind}; filename=\"{_ascii_name(filename)}\"; filename*=utf-8''{quote(filename)}"


def stored_serve(path: Path, *, content_type: str, filename: str, as_attachment: bool) -> HttpResponse:
    """The stored file at ``path`` as ``content_type`` (the type its content was checked to be),
    offered as ``download_name(filename, content_type)``, with ``protect``'s headers."""
    filename = download_name(filename, content_type)
    prefix = settings.KARYALAY_X_ACCEL_PREFIX
    if prefix:
        response = HttpResponse(content_type=content_type)
        relative = path.relative_to(Path(settings.MEDIA_ROOT)).as_posix()
        response["X-Accel-Redirect"] = quote(f"{prefix}{relative}")
    else:
        response = FileResponse(path.open("rb"), content_type=content_type)
    response["Content-Disposition"] = content_disposition(as_attachment, filename)
    return protect(response)


__all__ = [
    "SANDBOX_CSP",
    "content_disposition",
    "download_name",
    "protect",
    "stored_or_404",
    "stored_serve",
]
