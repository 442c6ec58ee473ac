"""Where documents lie on disk, and the sweep that keeps the disk and the rows in step.

A stored document is ``district_media_dir(schema) / "documents/YYYY/MM/<uuid>"`` (the server makes
the name; the uploader's name is only kept on the row), its preview the same name plus ``.png``.
Uploads wait in ``district_media_dir(schema) / "tmp"`` (``core.base.uploads.limits``).

The services move a checked upload into place inside their transaction and take it out again when
the transaction fails (``placement``). A rollback further out, or a process killed half-way, can
still leave a stored file with no row; ``documents_sweep`` (nightly, and ``manage.py
sweep_documents``) removes such files and stale temporary files once they are old enough that no
upload can still be on its way to committing them.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
import uuid
from pathlib import Path

from django.db import connection
from django.utils import timezone

from core.base.districts import WITH_SCHEMA, each_district
from core.base.uploads.limits import temp_dir_for
from core.models import DigitisationBatch, DocumentVersion, RtiReply
from tenants.storage import district_media_dir

logger = logging.getLogger(__name__)

DOCUMENTS = "documents"
PREVIEW_SUFFIX = ".png"
# A stored file with no row, or a temporary upload, older than this is left over from something
# that failed: no upload takes this long to commit.
SWEEP_AFTER_HOURS = 24


def district_root(schema_name: str | None = None) -> Path:
    return district_media_dir(schema_name or connection.schema_name)


def stored_path(stored_name: str, schema_name: str | None = None) -> Path:
    """The file on disk of a stored name (``documents/2025/03/<hex>``) in the current district."""
    return district_root(schema_name) / stored_name


def stored_name_new() -> str:
    now = timezone.localtime()
    return f"{DOCUMENTS}/{now:%Y}/{now:%m}/{uuid.uuid4().hex}"


def temp_dir(schema_name: str | None = None) -> Path:
    path = temp_dir_for(schema_name or connection.schema_name)
    path.mkdir(parents=True, exist_ok=True)
    return path


class Placement:
    """Files moved into storage by one service call, removed again if the call fails."""

    def __init__(self):
        self.paths: list[Path] = []

    def move(self, source: Path | str, stored_name: str) -> Path:
        target = stored_path(stored_name)
        target.parent.mkdir(parents=True, exist_ok=True)
        self.paths.append(target)
        os.replace(source, target)  # same disk as the temporary folder: a rename
        return target

    def discard(self) -> None:
        for path in self.paths:
            path.unlink(missing_ok=True)


@contextlib.contextmanager
def placement():
    placed = Placement()
    try:
        yield placed
    except BaseException:
        placed.discard()
        raise


# Every stored name a row keeps: a file named by none of these is an orphan.
_STORED_BY = (
    (DocumentVersion, ("stored_name", "preview_name")),
    (RtiReply, ("pdf_stored", "zip_stored")),
    (DigitisationBatch, ("zip_stored", "manifest_stored")),
)


def _sweep_documents(root: Path, cutoff: float) -> int:
    removed = 0
    for month in sorted(root.glob(f"{DOCUMENTS}/*/*")):
        if not month.is_dir():
            continue
        prefix = f"{month.relative_to(root).as_posix()}/"
        known = set()
        for model, fields in _STORED_BY:
            for field in fields:
                known.update(
                    model.objects.filter(**{f"{field}__startswith": prefix}).values_list(field, flat=True)
                )
        for path in month.iterdir():
            name = f"{prefix}{path.name}"
            if path.is_file() and name not in known and path.stat().st_mtime < cutoff:
                logger.info("Removing a stored file no document names: %s/%s", connection.schema_name, name)
                path.unlink(missing_ok=True)
                removed += 1
    return removed


def _sweep_temp(folder: Path, cutoff: float) -> int:
    removed = 0
    if folder.is_dir():
        for path in folder.iterdir():
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
                removed += 1
    return removed


def documents_sweep(*, older_than_hours: float = SWEEP_AFTER_HOURS) -> int:
    """Remove, in the current district, stored files that no document version names and temporary
    uploads, both when older than ``older_than_hours``. Returns how many files went. Must run under
    a district's schema."""
    root = district_root()
    cutoff = time.time() - older_than_hours * 3600
    removed = _sweep_temp(temp_dir_for(connection.schema_name), cutoff)
    if (root / DOCUMENTS).is_dir():
        removed += _sweep_documents(root, cutoff)
    return removed


def documents_sweep_all(*, older_than_hours: float = SWEEP_AFTER_HOURS) -> dict[str, int]:
    """``documents_sweep`` in every district with a schema, each under its own schema; a district that
    fails is logged and the others still run. Returns {schema name: files removed}; "public"
    counts the state console's temporary uploads."""
    cutoff = time.time() - older_than_hours * 3600
    results: dict[str, int] = {"public": _sweep_temp(temp_dir_for(None), cutoff)}
    results.update(
        each_district(
            lambda: documents_sweep(older_than_hours=older_than_hours),
            failure="Document sweep failed",
            statuses=WITH_SCHEMA,
        )
    )
    return results
