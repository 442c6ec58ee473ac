"""Uploads streamed to disk: the one upload handler of the site (``FILE_UPLOAD_HANDLERS``).

Each uploaded file goes, chunk by chunk, into a temporary file in its district's storage
(``district_media_dir(schema) / "tmp"``; ``MEDIA_ROOT / "tmp"`` on the state console's host), on
the same disk as the stored documents, so keeping an upload is a rename, not a copy. The SHA-256
and the size are computed as the chunks pass; nothing is ever held whole in memory (Django's
default keeps files under 2.5 MB in memory: not here).

A file larger than ``settings.KARYALAY_UPLOAD_MAX_MB`` stops the upload: what was written is
removed, the rest of the request body is read and thrown away, and ``upload_errors(request)``
says which file was too large, so the view can say so.

Temporary files go when the request ends, whatever happened: closed with the request when it
succeeded (a service that keeps a file has moved it away first), removed at once when the upload
was cut off half-way or stopped, and a ``request_finished`` receiver removes anything still left
by a request that failed while reading its body. The nightly sweep (``core.base.storage``)
removes whatever a killed process could leave.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import threading
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.core.signals import request_finished
from django.utils.translation import gettext as _

from tenants.storage import district_media_dir

TEMP_SUFFIX = ".upload"

# Temporary files made by the requests of this thread and not yet known to be gone.
_pending = threading.local()


def upload_limit_bytes() -> int:
    return settings.KARYALAY_UPLOAD_MAX_MB * 1024 * 1024


def too_large_message(name: str, *, mb: int | None = None) -> str:
    """Why ``name`` is refused for its size; ``mb`` is the limit (the site's by default)."""
    return _("%(name)s is larger than %(mb)d MB, the most one upload may be.") % {
        "name": name,
        "mb": settings.KARYALAY_UPLOAD_MAX_MB if mb is None else mb,
    }


def temp_dir_for(schema_name: str | None) -> Path:
    """The temporary folder of a district's uploads (the state console's own on the public schema)."""
    if schema_name and schema_name != "public":
        return district_media_dir(schema_name) / "tmp"
    return Path(settings.MEDIA_ROOT) / "tmp"


def _remember(path: str) -> None:
    if not hasattr(_pending, "paths"):
        _pending.paths = set()
    _pending.paths.add(path)


def _remove_pending(**_kwargs) -> None:
    """At the end of every request: remove the temporary files its upload left on disk."""
    for path in getattr(_pending, "paths", ()):
        with contextlib.suppress(FileNotFoundError):  # kept (moved into storage) or already closed
            os.unlink(path)
    _pending.paths = set()


request_finished.connect(_remove_pending, dispatch_uid="karyalay_upload_temp_cleanup")


class StreamedUpload(UploadedFile):
    """An uploaded file on disk with its SHA-256 and size, removed when closed unless moved away."""

    def __init__(self, name: str, content_type: str, charset, content_type_extra, *, directory: Path):
        directory.mkdir(parents=True, exist_ok=True)
        # Closed (and so removed) by the request, by ``upload_interrupted`` or by the service.
        file = tempfile.NamedTemporaryFile(suffix=TEMP_SUFFIX, dir=directory)  # noqa: SIM115
        _remember(file.name)
        super().__init__(file, name, content_type, 0, charset, content_type_extra)
        self._sha256 = hashlib.sha256()
        self.sha256 = ""

    def temporary_file_path(self) -> str:
        return self.file.name

    def write(self, data: bytes) -> None:
        self._sha256.update(data)
        self.file.write(data)

    def finish(self, size: int) -> None:
        self.file.flush()
        self.file.seek(0)
        self.size = size
        self.sha256 = self._sha256.hexdigest()

    def close(self):
        try:
            return self.file.close()
        except FileNotFoundError:
            pass  # moved into storage: nothing left to remove


def upload_errors(request) -> list[str]:
    """Messages about files the upload handler refused for this request (too large)."""
    request.FILES  # noqa: B018 -- reads the body if nothing has yet (the CSRF check usually has)
    return list(getattr(request, "_karyalay_upload_errors", []))


class DistrictUploadHandler(FileUploadHandler):
    """Streams every uploaded file to a temporary file in the request's district storage."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        tenant = getattr(self.request, "tenant", None)
        self.limit = upload_limit_bytes()
        self.file = StreamedUpload(
            self.file_name,
            self.content_type,
            self.charset,
            self.content_type_extra,
            directory=temp_dir_for(getattr(tenant, "schema_name", None)),
        )

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.upload_interrupted()
            errors = getattr(self.request, "_karyalay_upload_errors", [])
            errors.append(too_large_message(self.file_name))
            self.request._karyalay_upload_errors = errors
            # Read and drop the rest of the body (nginx has already limited it), so the browser
            # gets the page that says why.
            raise StopUpload(connection_reset=False)
        self.file.write(raw_data)
        return None

    def file_complete(self, file_size):
        self.file.finish(file_size)
        return self.file

    def upload_interrupted(self):
        if hasattr(self, "file"):
            path = self.file.temporary_file_path()
            self.file.close()
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
