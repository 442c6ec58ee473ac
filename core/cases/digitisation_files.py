"""Reading a digitisation batch's two files: the CSV manifest (``MANIFEST_COLUMNS``, ``title``
optional; one row per scan) and the zip of scans, each refused with a message under its form field
(``manifest`` or ``zip``) when it cannot be used; and taking a scan out of the zip into the
district's temporary folder, hashed on the way, for the document service. Nothing here writes to
the database."""

from __future__ import annotations

import csv
import hashlib
import io
import uuid
import zipfile
from pathlib import Path, PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _

from core.efile.storage import temp_dir

MANIFEST_COLUMNS = ("thana_code", "year", "fir_number", "file")
OPTIONAL_COLUMNS = ("title",)
MANIFEST_MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_ZIP_MEMBERS = 10000


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


# Compression methods Python's zipfile can unpack.
READABLE_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA})


def zip_open(path: Path) -> zipfile.ZipFile:
    """The zip, its directory read; refuses (``zip`` error) what is not one, or is locked."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise ValidationError({"zip": [_("The zip file is damaged or is not a zip file.")]}) from None
    members = [info for info in archive.infolist() if not info.is_dir()]
    problem = None
    if not members:
        problem = _("The zip file holds no files.")
    elif len(members) > MAX_ZIP_MEMBERS:
        problem = _("A zip file may hold at most %(n)d files.") % {"n": MAX_ZIP_MEMBERS}
    elif any(info.flag_bits & 0x1 for info in members):
        problem = _("The zip file is protected by a password; upload it without one.")
    elif any(info.compress_type not in READABLE_METHODS for info in members):
        # Deflate64 (Windows Explorer's, for large files) and others Python cannot unpack.
        problem = _("The zip file is compressed in a way that cannot be read; make it again as a plain zip.")
    if problem:
        archive.close()
        raise ValidationError({"zip": [problem]})
    return archive


def member_name(name: str) -> str:
    name = name.replace("\\", "/").strip()
    while name.startswith("./"):
        name = name[2:]
    return name.lstrip("/")


def zip_members(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """The zip's files by their path, and by their bare name where only one file has it."""
    by_path = {member_name(info.filename): info for info in archive.infolist() if not info.is_dir()}
    by_base: dict[str, list[zipfile.ZipInfo]] = {}
    for name, info in by_path.items():
        by_base.setdefault(PurePosixPath(name).name, []).append(info)
    return {name: infos[0] for name, infos in by_base.items() if len(infos) == 1} | by_path


class ExtractedScan(File):
    """A scan taken out of the zip into the district's temporary folder, hashed on the way: the
    document service takes it as it takes a streamed upload (moved into storage, not copied)."""

    def __init__(self, path: Path, name: str, size: int, sha256: str):
        super().__init__(None, name)
        self.path, self.size, self.sha256 = path, size, sha256

    def temporary_file_path(self) -> str:
        return str(self.path)


def scan_extract(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> ExtractedScan | None:
    """The member as a temporary file, or None if it is larger than ``limit`` (its header may
    lie: the bytes are counted)."""
    target = temp_dir() / f"{uuid.uuid4().hex}.scan"
    digest, size = hashlib.sha256(), 0
    try:
        with archive.open(info) as source, target.open("wb") as out:
            while chunk := source.read(1 << 20):
                size += len(chunk)
                if size > limit:
                    target.unlink(missing_ok=True)
                    return None
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return ExtractedScan(target, PurePosixPath(member_name(info.filename)).name, size, digest.hexdigest())


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
