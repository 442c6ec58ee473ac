"""Backups an operator can trust: one district, or the whole deployment, each checked after writing.

One path: a district backup is the district archive of ``export.archive_write`` (its schema, its
files under ``MEDIA_ROOT/districts/<schema>``, the accounts that hold postings in it) with the
manifest extended by the kind, the app version and the audit chain's head; ``deploy/backup.sh``
and the CronJob call ``manage.py backup_create``. A deployment backup is one ``.tar`` of
``database.dump`` (``pg_dump --format=custom`` of the whole database), every file under
``MEDIA_ROOT/districts`` and a manifest (every schema's row counts, every file's SHA-256, every
district's audit head, the migration state). Both are written under a hidden temporary name,
fsynced, renamed, and then read back and verified (``backup_verify``) before they are reported.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from state_admin.services.export import _audit_head, _migrations, _snapshot, archive_write, fsync_path
from state_admin.services.export_archive import (
    ArchiveError,
    archive_open,
    pg_program,
    quote_ident,
    run_pg,
    schema_row_counts,
    server_major,
    sha256_of,
)
from tenants.models import STATUSES_WITH_SCHEMA, District
from tenants.schemas import tenant_migration_keys

DEPLOYMENT_FORMAT = "karyalay-deployment-1"
DATABASE_DUMP = "database.dump"
MANIFEST = "manifest.json"


def app_version() -> str:
    try:
        return importlib.metadata.version("karyalay")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _stamp() -> str:
    return timezone.now().strftime("%Y%m%dT%H%M%S%fZ")


@dataclass
class BackupResult:
    path: Path
    size: int
    sha256: str
    manifest: dict


def _target_ready(target_dir: Path) -> Path:
    target_dir = Path(target_dir)
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ArchiveError(
            _("Cannot use the backup folder %(path)s: %(e)s") % {"path": target_dir, "e": exc}
        ) from exc
    if not os.access(target_dir, os.W_OK | os.X_OK):
        raise ArchiveError(_("The backup folder %(path)s is not writable.") % {"path": target_dir})
    return target_dir


def backup_create_district(*, district: District, target_dir: Path) -> BackupResult:
    """Back up one district to ``<target_dir>/<slug>-<UTC time>.tar.gz`` and verify it.

    Raises ArchiveError for a district without a schema, an unwritable or full target (nothing
    that looks complete is left behind), or an archive that does not read back as written.
    """
    if not district.has_schema:
        raise ArchiveError(_("%(name)s has no data to back up yet.") % {"name": district.name})
    target_dir = _target_ready(target_dir)
    final = target_dir / f"{district.slug}-{_stamp()}.tar.gz"
    extra = {"kind": "district", "app_version": app_version(), "postgresql": server_major()}
    try:
        size, digest, manifest = archive_write(district, final=final, extra=extra, mode=0o600)
    except OSError as exc:
        raise ArchiveError(_("Writing the backup failed: %(e)s") % {"e": exc}) from exc
    backup_verify(archive=final)
    return BackupResult(path=final, size=size, sha256=digest, manifest=manifest)


def backup_create_all(*, target_dir: Path) -> BackupResult:
    """Back up the whole deployment (every schema, every district's files) and verify it."""
    target_dir = _target_ready(target_dir)
    final = target_dir / f"deployment-{_stamp()}.tar"
    partial = target_dir / f".{final.name}.partial"
    pg_dump = pg_program("pg_dump", server_major())
    try:
        with tempfile.TemporaryDirectory(dir=target_dir, prefix=".build-") as work:
            dump = Path(work) / DATABASE_DUMP
            with _snapshot("public") as (snapshot, cursor):
                manifest = _deployment_manifest(cursor)
                run_pg(
                    [str(pg_dump), "--format=custom", f"--snapshot={snapshot}", f"--file={dump}"],
                    what="pg_dump",
                )
            media = Path(settings.MEDIA_ROOT) / "districts"
            files = sorted(p for p in media.rglob("*") if p.is_file()) if media.is_dir() else []
            manifest["members"] = {DATABASE_DUMP: sha256_of(dump)}
            manifest["members"] |= {f"files/{p.relative_to(media).as_posix()}": sha256_of(p) for p in files}
            (Path(work) / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
            with tarfile.open(partial, "w") as tar:
                tar.add(Path(work) / MANIFEST, arcname=MANIFEST)
                tar.add(dump, arcname=DATABASE_DUMP)
                for path in files:
                    tar.add(path, arcname=f"files/{path.relative_to(media).as_posix()}")
        os.chmod(partial, 0o600)  # personal data: the owner only
        fsync_path(partial)
        digest = sha256_of(partial)
        os.replace(partial, final)
        fsync_path(target_dir)
    except OSError as exc:
        raise ArchiveError(_("Writing the backup failed: %(e)s") % {"e": exc}) from exc
    finally:
        partial.unlink(missing_ok=True)
    backup_verify(archive=final)
    return BackupResult(path=final, size=final.stat().st_size, sha256=digest, manifest=manifest)


def _deployment_manifest(cursor) -> dict:
    """Row counts of every project schema, audit heads and migrations, read on ``cursor`` in the
    snapshot that pg_dump shares, so the counts are exactly those of the dump."""
    cursor.execute(
        f"SELECT schema_name FROM public.{quote_ident(District._meta.db_table)} "  # noqa: S608
        "WHERE status = ANY(%s) ORDER BY schema_name",
        [list(STATUSES_WITH_SCHEMA)],
    )
    schemas = ["public"] + [row[0] for row in cursor.fetchall()]
    counts = {schema: schema_row_counts(cursor, schema) for schema in schemas}
    heads = {schema: _audit_head(cursor, schema) for schema in schemas[1:]}
    migrations = _migrations(cursor, "public")
    return {
        "format": DEPLOYMENT_FORMAT,
        "kind": "deployment",
        "created_at": timezone.now().isoformat(),
        "app_version": app_version(),
        "postgresql": server_major(),
        "row_counts": counts,
        "audit_heads": heads,
        "migrations": migrations,
    }


def backup_version_check(manifest: dict) -> None:
    """Refuse a backup made by another version of the code (other district migrations)."""
    here = tenant_migration_keys()
    labels = {app for app, _name in here}
    there = {(app, name) for app, names in manifest.get("migrations", {}).items() for name in names}
    there = {key for key in there if key[0] in labels}
    newer, older = sorted(there - here), sorted(here - there)
    if newer or older:
        raise ArchiveError(
            _(
                "This backup was made by another version of Karyalay (%(version)s): its district "
                "migrations differ from this code's (%(diff)s). Restore it with the version that "
                "made it, then upgrade."
            )
            % {
                "version": manifest.get("app_version", "?"),
                "diff": ", ".join(
                    [f"only in the backup: {a}.{n}" for a, n in newer[:3]]
                    + [f"not in the backup: {a}.{n}" for a, n in older[:3]]
                ),
            }
        )


def backup_verify(*, archive: Path) -> dict:
    """Read ``archive`` back and check every member against its manifest; returns the manifest.

    Raises ArchiveError naming the first problem (unreadable, a member missing, extra or with
    another SHA-256, or made by another version of the code).
    """
    archive = Path(archive)
    with tempfile.TemporaryDirectory(prefix="karyalay-verify-") as work:
        if archive.name.endswith(".tar.gz"):
            manifest = archive_open(archive, Path(work)).manifest
            backup_version_check(manifest)
            return manifest
        return _deployment_open(archive, Path(work))


def _deployment_open(archive: Path, folder: Path) -> dict:
    if not archive.is_file():
        raise ArchiveError(_("No archive at %(path)s.") % {"path": archive})
    try:
        with tarfile.open(archive, "r:") as tar:
            bad = [m.name for m in tar.getmembers() if not (m.isfile() or m.isdir()) or ".." in m.name]
            if bad:
                raise ArchiveError(_("Unexpected members in the archive: %(names)s") % {"names": bad[:5]})
            tar.extractall(folder, filter="data")
        manifest = json.loads((folder / MANIFEST).read_text())
    except (tarfile.TarError, EOFError, OSError, ValueError) as exc:
        raise ArchiveError(_("Not a readable deployment backup: %(error)s") % {"error": exc}) from exc
    if manifest.get("format") != DEPLOYMENT_FORMAT:
        raise ArchiveError(_("Unknown archive format %(f)r.") % {"f": manifest.get("format")})
    listed = manifest.get("members", {})
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} - {MANIFEST}
    if set(listed) != present:
        raise ArchiveError(
            _("The archive's members differ from its manifest (missing %(m)s, extra %(x)s).")
            % {"m": sorted(set(listed) - present)[:5], "x": sorted(present - set(listed))[:5]}
        )
    for name, expected in listed.items():
        if sha256_of(folder / name) != expected:
            raise ArchiveError(_("%(name)s does not match its checksum in the manifest.") % {"name": name})
    run_pg(
        [str(pg_program("pg_restore", server_major())), "--list", str(folder / DATABASE_DUMP)],
        what="pg_restore",
    )
    return manifest


def deployment_restore(*, archive: Path) -> dict:
    """Restore a deployment backup into this (empty, freshly created) database and MEDIA_ROOT.

    For disaster recovery: the database must hold no project tables yet (refused otherwise: a
    running deployment's districts are restored one at a time with ``backup_restore --district``).
    pg_restore runs in one transaction, so a failure leaves the database empty; the files are
    unpacked afterwards. Run ``manage.py db_roles`` afterwards to give the app role its rights.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('public.django_migrations') IS NOT NULL")
        if cursor.fetchone()[0]:
            raise ArchiveError(
                _("This database already holds a deployment; restore a whole backup only into an empty one.")
            )
    with tempfile.TemporaryDirectory(prefix="karyalay-restore-") as work:
        folder = Path(work)
        manifest = _deployment_open(Path(archive), folder)
        pg_restore = pg_program("pg_restore", server_major())
        db = connection.settings_dict
        run_pg(
            [str(pg_restore), "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error",
             f"--dbname={db['NAME']}", str(folder / DATABASE_DUMP)],
            what="pg_restore",
        )  # fmt: skip
        media = Path(settings.MEDIA_ROOT) / "districts"
        if (folder / "files").is_dir():
            for source in sorted((folder / "files").iterdir()):
                target = media / source.name
                if target.exists():
                    raise ArchiveError(_("The file folder %(path)s already exists.") % {"path": target})
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(source, target)
    with connection.cursor() as cursor:
        for schema, expected in manifest["row_counts"].items():
            actual = schema_row_counts(cursor, schema)
            if actual != expected:
                raise ArchiveError(
                    _("Row counts of %(schema)s differ from the manifest after the restore.")
                    % {"schema": quote_ident(schema)}
                )
    return manifest
