"""Handing out a stored file: the one way every register's downloads and previews do it (e-File
documents, RTI replies), with the same protective headers, through nginx where it serves the
storage (``KARYALAY_X_ACCEL_PREFIX``) or from Django otherwise."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header

from core.efile.storage import stored_path

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


def stored_serve(path: Path, *, content_type: str, filename: str, as_attachment: bool) -> HttpResponse:
    prefix = settings.KARYALAY_X_ACCEL_PREFIX
    if prefix:
        response = HttpResponse(content_type=content_type)
        relative = path.relative_to(Path(settings.MEDIA_ROOT)).as_posix()
        response["X-Accel-Redirect"] = quote(f"{prefix}{relative}")
        response["Content-Disposition"] = content_disposition_header(as_attachment, filename)
    else:
        response = FileResponse(
            path.open("rb"), content_type=content_type, as_attachment=as_attachment, filename=filename
        )
    return protect(response)


__all__ = ["SANDBOX_CSP", "protect", "stored_or_404", "stored_serve"]
