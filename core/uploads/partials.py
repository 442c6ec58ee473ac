"""Partial uploads on disk: the state of a resumable (tus 1.0) upload, kept in its district's
storage and bound to the person who began it.

An upload is two files in ``district_media_dir(schema) / "resumable"``: ``<id>.part`` (the bytes
received so far; its size is the offset) and ``<id>.json`` (who, how long, the file's name, type
and declared SHA-256, when it expires, whether it is complete). The id is 128 random bits; a
lookup by anyone but its owner, in any other district, finds nothing, exactly as an id that never
existed. Chunks are appended under an exclusive ``flock`` of the part, so two requests never write
one upload at once. When the last byte arrives, the whole file's SHA-256 is compared with the one
declared at creation; a mismatch removes the upload. A complete upload is claimed once
(``partial_claim``: an atomic rename into the district's temporary upload folder) and then goes
through the same service and file checks as a plain form upload.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

from django.db import connection

from core.base.uploads.limits import temp_dir_for, upload_limit_bytes
from tenants.storage import district_media_dir

FOLDER = "resumable"
EXPIRE_SECONDS = 24 * 3600
# Uploads (unfinished, or finished and not yet used by a form) one person may keep in one district:
# twice the most files one form takes. With the size limit, this bounds the disk one person can fill.
OPEN_MAX = 40
ID = re.compile(r"[0-9a-f]{32}")
SHA256 = re.compile(r"[0-9a-f]{64}")
READ_CHUNK = 64 * 1024


class PartialGone(Exception):
    """No such upload for this person in this district (or it expired and was removed)."""


class OffsetMismatch(Exception):
    """A chunk sent for another offset than the one the server holds."""

    def __init__(self, offset: int):
        super().__init__(offset)
        self.offset = offset


class Busy(Exception):
    """Another request is writing this upload."""


class ChecksumMismatch(Exception):
    """A chunk's own checksum, or the whole file's SHA-256, is not what the client declared."""


@dataclass
class Partial:
    id: str
    person: int
    schema: str
    length: int
    name: str
    content_type: str
    sha256: str
    created: float
    expires: float
    complete: bool = False

    @property
    def folder(self) -> Path:
        return folder_of(self.schema)

    @property
    def part_path(self) -> Path:
        return self.folder / f"{self.id}.part"

    @property
    def meta_path(self) -> Path:
        return self.folder / f"{self.id}.json"

    @property
    def offset(self) -> int:
        try:
            return self.part_path.stat().st_size
        except FileNotFoundError:
            return 0

    @property
    def expired(self) -> bool:
        return self.expires <= time.time()


def folder_of(schema_name: str | None = None) -> Path:
    return district_media_dir(schema_name or connection.schema_name) / FOLDER


def _save(partial: Partial) -> None:
    """Write the metadata whole or not at all (a temporary file renamed over it)."""
    temporary = partial.folder / f"{partial.id}.json.{uuid.uuid4().hex}"
    temporary.write_text(json.dumps(asdict(partial)))
    os.replace(temporary, partial.meta_path)


def _remove(partial: Partial) -> None:
    partial.part_path.unlink(missing_ok=True)
    partial.meta_path.unlink(missing_ok=True)


def _load(path: Path) -> Partial | None:
    try:
        return Partial(**json.loads(path.read_text()))
    except (FileNotFoundError, ValueError, TypeError):
        return None


def partial_open_count(*, person_id: int) -> int:
    folder = folder_of()
    if not folder.is_dir():
        return 0
    return sum(
        1 for path in folder.glob("*.json") if (p := _load(path)) and p.person == person_id and not p.expired
    )


def partial_create(*, person_id: int, length: int, name: str, content_type: str, sha256: str) -> Partial:
    """A new, empty upload of ``length`` bytes for ``person_id`` in the current district. The caller
    has checked the length against the limit and the hash's form."""
    if not 0 < length <= upload_limit_bytes() or not SHA256.fullmatch(sha256):
        raise ValueError("length or sha256 out of range")
    now = time.time()
    partial = Partial(
        id=uuid.uuid4().hex,
        person=person_id,
        schema=connection.schema_name,
        length=length,
        name=name[:255],
        content_type=content_type[:100],
        sha256=sha256,
        created=now,
        expires=now + EXPIRE_SECONDS,
    )
    partial.folder.mkdir(parents=True, exist_ok=True)
    partial.part_path.touch(exist_ok=False)
    _save(partial)
    return partial


def partial_get(*, person_id: int | None, upload_id: str) -> Partial:
    """The person's upload ``upload_id`` in the current district; ``PartialGone`` for anything else
    (an unknown id, another person's, another district's, an expired one: the last is removed)."""
    if not person_id or not ID.fullmatch(upload_id or ""):
        raise PartialGone
    partial = _load(folder_of() / f"{upload_id}.json")
    if partial is None or partial.person != person_id or partial.schema != connection.schema_name:
        raise PartialGone
    if partial.expired:
        _remove(partial)
        raise PartialGone
    return partial


def _hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(READ_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def partial_append(partial: Partial, *, offset: int, stream, declared: int | None, checksum=None) -> Partial:
    """Append the bytes of ``stream`` at ``offset`` (which must be the offset the server holds),
    at most up to the upload's length. What arrives before a cut-off link is kept (the client
    resumes from it). ``checksum`` (algorithm name, expected digest bytes) checks this chunk: a
    mismatch takes the chunk back out. When the last byte is in, the whole file's SHA-256 must be
    the declared one, else the upload is removed (``ChecksumMismatch``)."""
    with partial.part_path.open("r+b") as part:
        try:
            fcntl.flock(part, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise Busy from error
        held = os.fstat(part.fileno()).st_size
        if offset != held:
            raise OffsetMismatch(held)
        room = partial.length - held
        if declared is not None and declared > room:
            raise ValueError("more bytes than the upload's length")
        part.seek(held)
        digest = hashlib.new(checksum[0]) if checksum else None
        written = 0
        try:
            while written < room:
                chunk = stream.read(min(READ_CHUNK, room - written))
                if not chunk:
                    break
                part.write(chunk)
                written += len(chunk)
                if digest:
                    digest.update(chunk)
        except OSError:
            pass  # the link went: keep what arrived, the client asks for the offset and resumes
        part.flush()
        if digest is not None and digest.digest() != checksum[1]:
            part.truncate(held)
            raise ChecksumMismatch
        if held + written == partial.length:
            if _hash_file(partial.part_path) != partial.sha256:
                _remove(partial)
                raise ChecksumMismatch
            partial.complete = True
            _save(partial)
    return partial


def partial_terminate(partial: Partial) -> None:
    """Cancel: the upload and its bytes go."""
    _remove(partial)


def partial_claim(*, person_id: int | None, upload_id: str) -> tuple[Partial, Path]:
    """Take a complete upload out of the resumable folder into the district's temporary upload
    folder (a rename on the same disk), once: a second claim of the same id (a second click)
    finds nothing. Returns the upload and the path of its bytes, which the caller keeps or
    removes. ``PartialGone`` when it is not this person's, not here, expired or not complete."""
    partial = partial_get(person_id=person_id, upload_id=upload_id)
    if not partial.complete:
        raise PartialGone
    target_folder = temp_dir_for(partial.schema)
    target_folder.mkdir(parents=True, exist_ok=True)
    target = target_folder / f"{uuid.uuid4().hex}.upload"
    try:
        os.rename(partial.part_path, target)
    except FileNotFoundError as error:  # claimed by a request a moment ago
        raise PartialGone from error
    partial.meta_path.unlink(missing_ok=True)
    return partial, target


def partials_expire(*, now: float | None = None) -> int:
    """Remove, in the current district, every upload past its expiry, and any part or metadata file
    left without the other for longer than the expiry. Returns how many uploads went."""
    folder = folder_of()
    if not folder.is_dir():
        return 0
    now = time.time() if now is None else now
    removed = 0
    for meta in folder.glob("*.json"):
        partial = _load(meta)
        if partial is None or partial.expires <= now:
            if partial is not None:
                _remove(partial)
            else:
                meta.unlink(missing_ok=True)
            removed += 1
    for path in folder.iterdir():
        stem = path.name.split(".", 1)[0]
        if path.is_file() and not (folder / f"{stem}.json").exists():
            with contextlib.suppress(FileNotFoundError):
                if path.stat().st_mtime < now - EXPIRE_SECONDS:
                    path.unlink()
                    removed += 1
    return removed
