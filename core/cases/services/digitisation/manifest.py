"""Reading a digitisation batch's CSV manifest (``MANIFEST_COLUMNS``, ``title`` optional; one row
per scan), refused with a message under its form field (``manifest``) when it cannot be used, and
copying an upload into the district's temporary folder. The zip of scans is read by
``core.cases.services.digitisation.archive`` (``zip_open``, ``scan_extract``). Nothing here
writes to the database."""

from __future__ import annotations

import csv
import io
import uuid
from pathlib import Path, PurePosixPath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.base.storage import temp_dir

MANIFEST_COLUMNS = ("thana_code", "year", "fir_number", "file")
OPTIONAL_COLUMNS = ("title",)
MANIFEST_MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000


def manifest_rows(data: bytes) -> list[tuple[int, dict[str, str]]]:
    """The manifest's rows as (line number, {column: value}), the header being line 1. Refuses
    (``manifest`` error) what is not a UTF-8 CSV, lacks a column, has no rows or too many."""
    not_csv = ValidationError({"manifest": [_("The manifest is not a CSV file in UTF-8.")]})
    if len(data) > MANIFEST_MAX_BYTES:
        raise ValidationError({"manifest": [_("The manifest is too large: keep it under 2 MB.")]})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise not_csv from None
    if "\x00" in text:
        raise not_csv
    try:
        table = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        raise not_csv from None
    if not table:
        raise ValidationError({"manifest": [_("The manifest is empty.")]})
    header = [cell.strip().lower() for cell in table[0]]
    missing = [column for column in MANIFEST_COLUMNS if column not in header]
    if missing:
        raise ValidationError(
            {
                "manifest": [
                    _("The manifest lacks the columns: %(columns)s.") % {"columns": ", ".join(missing)}
                ]
            }
        )
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        row = {column: "" for column in (*MANIFEST_COLUMNS, *OPTIONAL_COLUMNS)}
        row |= {column: cell.strip() for column, cell in zip(header, cells, strict=False) if column in row}
        rows.append((number, row))
    if not rows:
        raise ValidationError({"manifest": [_("The manifest has no rows.")]})
    if len(rows) > MAX_ROWS:
        raise ValidationError({"manifest": [_("A manifest may have at most %(n)d rows.") % {"n": MAX_ROWS}]})
    return rows


def upload_temp_copy(upload) -> tuple[Path, bool]:
    """The upload as a file in the district's temporary folder (owned: a copy made here)."""
    folder = temp_dir()
    path = getattr(upload, "temporary_file_path", None)
    if path and Path(path()).parent == folder:
        return Path(path()), False
    target = folder / f"{uuid.uuid4().hex}.copy"
    upload.seek(0)
    try:
        with target.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return target, True


def upload_name(upload, fallback: str) -> str:
    name = PurePosixPath(str(getattr(upload, "name", "") or "").replace("\\", "/")).name
    return "".join(ch for ch in name if ch.isprintable())[:255] or fallback
