"""Exporting a district: a ``.tar.gz`` of its schema, its files and the accounts it refers to.

``export_jobs.district_export_request`` (state console, platform staff) records an ExportJob and
enqueues the build; ``district_export_build`` (the task, or ``manage.py district_export``) builds
it. The members are described in ``export_archive``. Everything read from the database comes from one
REPEATABLE READ snapshot that pg_dump shares (``--snapshot``), so the row counts in the manifest
are exactly those of ``schema.sql``. The archive is written under a temporary name and renamed
when complete: a failure leaves no half archive, only a FAILED job with the reason.
"""

from __future__ import annotations

import json
import os
import tarfile
import tempfile
import time
from pathlib import Path

import psycopg
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.base.audit import audit_seal
from state_admin.models import ExportJob
from state_admin.services.export_archive import (
    ACCOUNTS_JSON,
    DISTRICT_JSON,
    FILES_DIR,
    FORMAT_VERSION,
    MANIFEST,
    SCHEMA_SQL,
    ArchiveError,
    exports_dir,
    pg_program,
    quote_ident,
    run_pg,
    schema_row_counts,
    server_major,
    sha256_of,
)
from tenants.account_references import account_places
from tenants.context import district_context
from tenants.models import District, DistrictMembership, User
from tenants.storage import district_media_dir

ACCOUNT_FIELDS = ("id", "login_id", "full_name", "full_name_hi", "email", "service_number", "rank", "mobile")


def export_path(job: ExportJob) -> Path | None:
    return exports_dir() / job.stored_name if job.stored_name else None


def district_export_build(*, job_id) -> ExportJob | None:
    """Build the archive of an ExportJob; returns the job (DONE or FAILED), None if it is gone.

    Runs outside any transaction (it takes as long as pg_dump does); called by the export task
    and by ``manage.py district_export``. A job that is not QUEUED is returned unchanged, so a
    task delivered twice does not build twice.
    """
    updated = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED).update(
        status=ExportJob.Status.RUNNING
    )
    job = ExportJob.objects.filter(pk=job_id).select_related("district").first()
    if job is None or not updated:
        return job
    started = time.monotonic()
    try:
        if job.district is None:
            raise ArchiveError(_("The district no longer exists."))
        result = _build(job.district, job_id=str(job.pk))
    except Exception as exc:  # recorded on the job for the page; nothing is left on disk
        job.status, job.message = ExportJob.Status.FAILED, str(exc)[:2000]
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "message", "finished_at"])
        return job
    job.status = ExportJob.Status.DONE
    job.stored_name, job.size, job.sha256, job.row_counts = result
    job.message = _("Built in %(seconds).1f s.") % {"seconds": time.monotonic() - started}
    job.finished_at = timezone.now()
    job.save(
        update_fields=["status", "stored_name", "size", "sha256", "row_counts", "message", "finished_at"]
    )
    return job


def _build(district: District, *, job_id: str) -> tuple[str, int, str, dict]:
    target_dir = exports_dir()
    target_dir.mkdir(parents=True, exist_ok=True)
    final = target_dir / f"{job_id}.tar.gz"
    size, digest, manifest = archive_write(district, final=final)
    return final.name, size, digest, manifest["row_counts"]


def archive_write(
    district: District, *, final: Path, extra: dict | None = None, mode: int = 0o644
) -> tuple[int, str, dict]:
    """Write the district's archive (schema, files, accounts, manifest) to ``final``.

    The one writer behind exports and district backups (``state_admin.services.backup``). The
    audit trail is sealed first, so the manifest's ``audit_head`` is the head of every event
    committed before the snapshot. Written under a hidden temporary name, flushed to disk
    (fsync of the file and its folder) and only then renamed: a full or unwritable target raises
    and leaves nothing that looks complete. ``mode``: the archive's permissions (exports are
    served by nginx, another user; backups are the owner's only). Returns (size, SHA-256, manifest).
    """
    pg_dump = pg_program("pg_dump", server_major())
    target_dir = final.parent
    partial = target_dir / f".{final.name}.partial"
    _seal(district)
    try:
        with tempfile.TemporaryDirectory(dir=target_dir, prefix=".build-") as work:
            stage = Path(work)
            with _snapshot(district.schema_name) as (snapshot, cursor):
                row_counts = schema_row_counts(cursor, district.schema_name)
                accounts = _accounts(cursor, district)
                migrations = _migrations(cursor, district.schema_name)
                audit_head = _audit_head(cursor, district.schema_name)
                run_pg(
                    [
                        str(pg_dump),
                        f"--schema={quote_ident(district.schema_name)}",
                        "--format=plain",
                        "--no-owner",
                        "--no-privileges",
                        f"--snapshot={snapshot}",
                        f"--file={stage / SCHEMA_SQL}",
                    ],
                    what="pg_dump",
                )
            _write_json(stage / DISTRICT_JSON, _district_description(district))
            _write_json(stage / ACCOUNTS_JSON, accounts)
            media = district_media_dir(district.schema_name)
            members = {SCHEMA_SQL: sha256_of(stage / SCHEMA_SQL)}
            members |= {name: sha256_of(stage / name) for name in (DISTRICT_JSON, ACCOUNTS_JSON)}
            files = sorted(p for p in media.rglob("*") if p.is_file()) if media.is_dir() else []
            members |= {f"{FILES_DIR}/{p.relative_to(media).as_posix()}": sha256_of(p) for p in files}
            manifest = {
                "format": FORMAT_VERSION,
                "district": district.slug,
                "schema": district.schema_name,
                "created_at": timezone.now().isoformat(),
                "row_counts": row_counts,
                "migrations": migrations,
                "audit_head": audit_head,
                "members": members,
                **(extra or {}),
            }
            _write_json(stage / MANIFEST, manifest)
            with tarfile.open(partial, "w:gz") as tar:
                for name in (MANIFEST, SCHEMA_SQL, DISTRICT_JSON, ACCOUNTS_JSON):
                    tar.add(stage / name, arcname=name)
                folder = tarfile.TarInfo(FILES_DIR)  # present even when the district has no files
                folder.type, folder.mode, folder.mtime = tarfile.DIRTYPE, 0o755, int(time.time())
                tar.addfile(folder)
                for path in files:
                    tar.add(path, arcname=f"{FILES_DIR}/{path.relative_to(media).as_posix()}")
        os.chmod(partial, mode)
        fsync_path(partial)
        digest = sha256_of(partial)
        os.replace(partial, final)
        fsync_path(target_dir)
    finally:
        partial.unlink(missing_ok=True)
    return final.stat().st_size, digest, manifest


def fsync_path(path: Path) -> None:
    """Flush a file's (or a folder's entries') data to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _seal(district: District) -> None:

    with district_context(district.schema_name), transaction.atomic():
        audit_seal()


def _audit_head(cursor, schema_name: str) -> dict:
    """The sealed chain's newest event (id, hash, seal number) and how many wait unsealed."""
    table = f"{quote_ident(schema_name)}.core_auditevent"
    cursor.execute(
        f"SELECT id, hash, seq FROM {table} WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1"  # noqa: S608
    )
    row = cursor.fetchone()
    cursor.execute(f"SELECT count(*) FROM {table} WHERE seq IS NULL")  # noqa: S608
    unsealed = cursor.fetchone()[0]
    event_id, head_hash, count = row or (0, "0" * 64, 0)
    return {"event_id": event_id, "hash": head_hash, "count": count, "unsealed": unsealed}


class _snapshot:
    """A read-only REPEATABLE READ transaction on its own connection, with an exported snapshot."""

    def __init__(self, schema_name: str):
        self.schema_name = schema_name

    def __enter__(self):
        db = connection.settings_dict
        self.conn = psycopg.connect(
            dbname=db["NAME"],
            host=db.get("HOST") or None,
            port=db.get("PORT") or None,
            user=db.get("USER") or None,
            password=db.get("PASSWORD") or None,
            connect_timeout=20,
        )
        self.conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        self.conn.read_only = True
        cursor = self.conn.cursor()
        cursor.execute("SELECT pg_export_snapshot()")
        return cursor.fetchone()[0], cursor

    def __exit__(self, *exc):
        self.conn.rollback()
        self.conn.close()
        return False


def _accounts(cursor, district: District) -> list[dict]:
    """Every account the schema refers to (postings, confirmations …) or that has a membership."""
    user_table = User._meta.db_table
    # The columns that name accounts carry no foreign key (core.0027): they come from the models.
    selects = [
        f"SELECT {quote_ident(col)} FROM {quote_ident(district.schema_name)}.{quote_ident(table)}"  # noqa: S608
        for _schema, table, col in account_places(cursor, schemas=[district.schema_name])
    ]
    selects.append(
        f"SELECT person_id FROM public.{quote_ident(DistrictMembership._meta.db_table)} "  # noqa: S608
        "WHERE district_id = %(district)s"
    )
    fields = ", ".join(quote_ident(f) for f in ACCOUNT_FIELDS)
    cursor.execute(
        f"SELECT {fields} FROM public.{quote_ident(user_table)} "  # noqa: S608 (quoted catalog names)
        f"WHERE id IN ({' UNION '.join(selects)}) ORDER BY id",
        {"district": district.pk},
    )
    return [dict(zip(ACCOUNT_FIELDS, row, strict=True)) for row in cursor.fetchall()]


def _migrations(cursor, schema_name: str) -> dict[str, list[str]]:
    cursor.execute(
        f"SELECT app, name FROM {quote_ident(schema_name)}.django_migrations ORDER BY id"  # noqa: S608
    )
    state: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        state.setdefault(app, []).append(name)
    return state


def _district_description(district: District) -> dict:
    police_range = district.police_range
    return {
        "slug": district.slug,
        "schema_name": district.schema_name,
        "name": district.name,
        "name_hi": district.name_hi,
        "status": district.status,
        "status_reason": district.status_reason,
        # A range office or headquarters is restored as one, not as a police district.
        "kind": district.kind,
        "created_at": district.created_at.isoformat(),
        "range": {"name": police_range.name, "name_hi": police_range.name_hi} if police_range else None,
        "domains": [
            {"domain": d.domain, "is_primary": d.is_primary} for d in district.domains.order_by("domain")
        ],
    }


def _write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n")


def export_remove_file(job: ExportJob) -> None:
    """Remove a job's archive from disk (tests and housekeeping)."""
    path = export_path(job)
    if path is not None:
        path.unlink(missing_ok=True)
