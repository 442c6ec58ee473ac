"""The zip of a digitisation batch, read as something that may be hostile (a zip bomb).

Nothing is unpacked until the zip's directory has been judged (``zip_open``, at upload and again
when the batch runs): how many members it has (read from its end record, before Python builds the
directory), each member's compression method (stored and deflate only, what scanners and the
usual zip tools write: Python unpacks bzip2 and LZMA members in one unbounded call, the way a
1 KB member becomes 1 GB in memory), password protection, a path that leaves its folder or
starts at the root, and the sizes the directory declares: each member's ratio of unpacked to
packed size, and the sum of all of them.

Declared sizes may lie, so the bytes really unpacked are counted too (``member_chunks``): a
member is never read past the per-file upload limit, a run never unpacks more than
``unpacked_limit()`` in all, and a run stops at its wall-clock budget (``ZipBudget``), checked
while it streams. Each refusal has its reason in the uploader's language.
"""

from __future__ import annotations

import hashlib
import time
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _

from core.base.storage import temp_dir
from core.base.uploads.limits import upload_limit_bytes

MAX_ZIP_MEMBERS = 10000
# Methods a scanner writes; bzip2 (12), LZMA (14), Deflate64 (9) and the rest are refused.
ACCEPTED_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})
# A member larger than RATIO_FLOOR may unpack to at most MAX_RATIO times its packed size. Scans
# (JPEG, PDF, compressed TIFF) barely shrink in a zip; deflate at its best reaches about 1030.
MAX_RATIO = 200
RATIO_FLOOR = 1 << 20
# Folders in a member's path.
MAX_DEPTH = 16
# Central directory bytes read at most (names of MAX_ZIP_MEMBERS files, generously).
MAX_DIRECTORY_BYTES = MAX_ZIP_MEMBERS * 1024
# All the members of one zip together, as a multiple of the per-file upload limit (1 GB at 50 MB).
UNPACKED_FACTOR = 20
# A batch's run stops after this long, whatever it is doing (checked between rows and chunks).
RUN_SECONDS = 3600
CHUNK = 1 << 20


def unpacked_limit() -> int:
    return UNPACKED_FACTOR * upload_limit_bytes()


class ZipLimit(Exception):
    """A run stopped by a limit: ``code`` is ``member`` (a member unpacks to more than it said or
    than one upload may be), ``total`` (the zip unpacks to more than ``unpacked_limit()``) or
    ``time`` (the run's budget is spent); ``name`` is the member being read."""

    def __init__(self, code: str, name: str = ""):
        super().__init__(code, name)
        self.code, self.name = code, name

    def message(self) -> str:
        if self.code == "time":
            return _(
                "The batch was stopped after %(minutes)d minutes, the most one batch may take; "
                "split it into smaller batches."
            ) % {"minutes": RUN_SECONDS // 60}
        if self.code == "total":
            return _(
                "The files in the zip file unpack to more than %(mb)d MB in all; "
                "split it into smaller batches."
            ) % {"mb": unpacked_limit() // 2**20}
        return _("%(name)s unpacks to more than its zip file says; such a zip file is refused.") % {
            "name": self.name
        }


class ZipBudget:
    """What one run may still unpack (bytes across the whole zip) and until when."""

    def __init__(self, *, total: int | None = None, seconds: float | None = None):
        self.total = unpacked_limit() if total is None else total
        self.deadline = time.monotonic() + (RUN_SECONDS if seconds is None else seconds)
        self.read = 0

    def again(self) -> ZipBudget:
        """A budget for reading the same members a second time: its bytes counted afresh, the
        same deadline."""
        budget = ZipBudget(total=self.total)
        budget.deadline = self.deadline
        return budget

    def check_time(self, name: str = "") -> None:
        if time.monotonic() > self.deadline:
            raise ZipLimit("time", name)

    def take(self, count: int, name: str) -> None:
        self.read += count
        if self.read > self.total:
            raise ZipLimit("total", name)
        self.check_time(name)


def member_name(name: str) -> str:
    name = name.replace("\\", "/").strip()
    while name.startswith("./"):
        name = name[2:]
    return name.lstrip("/")


def _unsafe_path(name: str) -> bool:
    """A path that starts at the root or a drive, climbs out of its folder, or is nested too deep."""
    name = name.replace("\\", "/")
    parts = name.split("/")
    return (
        name.startswith("/")
        or (len(name) > 1 and name[1] == ":")
        or ".." in parts
        or len(parts) > MAX_DEPTH + 1
        or "\x00" in name
    )


def _declared_entries(path: Path) -> tuple[int, int] | None:
    """(entries, directory bytes) as the zip's end record says, read before Python builds its
    directory (which holds every entry in memory); None where the record cannot be found."""
    end_record = getattr(zipfile, "_EndRecData", None)
    if end_record is None:  # pragma: no cover - a Python without it: ZipFile judges alone
        return None
    with path.open("rb") as f:
        record = end_record(f)
    if not record:
        return None
    return record[zipfile._ECD_ENTRIES_TOTAL], record[zipfile._ECD_SIZE]


def _directory_problem(members: list[zipfile.ZipInfo]) -> str | None:
    """Why the zip's directory is refused (the first reason found), or None."""
    if not members:
        return _("The zip file holds no files.")
    if len(members) > MAX_ZIP_MEMBERS:
        return _("A zip file may hold at most %(n)d files.") % {"n": MAX_ZIP_MEMBERS}
    total = 0
    for info in members:
        if info.flag_bits & 0x1:
            return _("The zip file is protected by a password; upload it without one.")
        if info.compress_type not in ACCEPTED_METHODS:
            # bzip2, LZMA, Deflate64 (Windows Explorer's, for large files) and others.
            return _("The zip file is compressed in a way that cannot be read; make it again as a plain zip.")
        if _unsafe_path(info.filename):
            return _(
                "%(name)s in the zip file has a path that leaves its folder or is nested too deep; "
                "make the zip file again with plain folders."
            ) % {"name": info.filename[:200]}
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            return _(
                "%(name)s in the zip file unpacks to more than %(ratio)d times its packed size; "
                "such a zip file is refused."
            ) % {"name": info.filename[:200], "ratio": MAX_RATIO}
        total += info.file_size
    if total > unpacked_limit():
        return ZipLimit("total").message()
    return None


def zip_open(path: Path) -> zipfile.ZipFile:
    """The zip, its directory read and judged (see the module's docstring); refuses (``zip``
    error) what is not a zip, is locked, or could be a zip bomb. Nothing is unpacked."""
    damaged = ValidationError({"zip": [_("The zip file is damaged or is not a zip file.")]})
    try:
        declared = _declared_entries(path)
    except (OSError, ValueError, EOFError, zipfile.BadZipFile):
        raise damaged from None
    if declared is not None and (declared[0] > MAX_ZIP_MEMBERS or declared[1] > MAX_DIRECTORY_BYTES):
        too_many = _("A zip file may hold at most %(n)d files.") % {"n": MAX_ZIP_MEMBERS}
        raise ValidationError({"zip": [too_many]})
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise damaged from None
    problem = _directory_problem([info for info in archive.infolist() if not info.is_dir()])
    if problem:
        archive.close()
        raise ValidationError({"zip": [problem]})
    return archive


def zip_members(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """The zip's files by their path, and by their bare name where only one file has it."""
    by_path = {member_name(info.filename): info for info in archive.infolist() if not info.is_dir()}
    by_base: dict[str, list[zipfile.ZipInfo]] = {}
    for name, info in by_path.items():
        by_base.setdefault(PurePosixPath(name).name, []).append(info)
    return {name: infos[0] for name, infos in by_base.items() if len(infos) == 1} | by_path


def member_chunks(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, limit: int, budget: ZipBudget
) -> Iterator[bytes]:
    """The member's bytes, a chunk at a time. Never more than ``limit`` (nor than it declares:
    ``ZipLimit("member")``), the budget's bytes and time checked after every chunk. A damaged
    member raises ``zipfile.BadZipFile`` (its CRC is checked at its end), ``zlib.error`` or
    ``EOFError``."""
    if info.compress_type not in ACCEPTED_METHODS:  # zip_open refused it already; never unpack it
        raise zipfile.BadZipFile(info.filename)
    cap = min(limit, info.file_size)
    size = 0
    budget.check_time(info.filename)
    with archive.open(info) as source:
        while chunk := source.read(min(CHUNK, cap - size + 1)):
            size += len(chunk)
            if size > cap:
                raise ZipLimit("member", info.filename)
            budget.take(len(chunk), info.filename)
            yield chunk


def member_verify(archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, limit: int, budget: ZipBudget) -> None:
    """Read the member through to its end (its CRC checked there), keeping nothing."""
    for _chunk in member_chunks(archive, info, limit=limit, budget=budget):
        pass


class ExtractedScan(File):
    """A scan taken out of the zip into the district's temporary folder, hashed on the way: the
    document service takes it as it takes a streamed upload (moved into storage, not copied)."""

    def __init__(self, path: Path, name: str, size: int, sha256: str):
        super().__init__(None, name)
        self.path, self.size, self.sha256 = path, size, sha256

    def temporary_file_path(self) -> str:
        return str(self.path)


def scan_extract(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, budget: ZipBudget | None = None
) -> ExtractedScan | None:
    """The member as a temporary file, or None if it is larger than ``limit`` (its header may
    lie: the bytes are counted). A limit of the budget raises ``ZipLimit``; nothing is left on
    disk whatever happens."""
    if info.file_size > limit:
        return None
    budget = budget or ZipBudget()
    target = temp_dir() / f"{uuid.uuid4().hex}.scan"
    digest, size = hashlib.sha256(), 0
    try:
        with target.open("wb") as out:
            for chunk in member_chunks(archive, info, limit=limit, budget=budget):
                size += len(chunk)
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return ExtractedScan(target, PurePosixPath(member_name(info.filename)).name, size, digest.hexdigest())
