"""Bulk import of officers from the state console: dry run, then the import in the background.

``officer_import_preview`` reads and checks an uploaded file and keeps it (with an ImportJob that
records its totals and row errors) without changing any account or posting.
``officer_import_enqueue`` queues the import of a previewed job; ``officer_import_run`` (the
task's body) checks the stored file again against the platform as it is then and imports the
valid rows in chunks, each chunk in one transaction, and only into districts still live then.
Every row is matched by service number, so a re-run, or a re-import of the same file, changes
nothing. A run that stops making progress (its worker died) may be started again after
``STALL_AFTER``; the stored file (personal data) is deleted once the import is done. Platform
staff only: the views that call these are staff-only, and every call is audited.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.org.officer_import.check import Action, CheckedRow, counts_of, rows_check
from core.org.officer_import.parse import ImportFileError, table_read
from core.org.officer_import.write import rows_transferred, rows_write
from state_admin.models import ImportJob
from state_admin.services.audit import StaffActor, audit_record
from tenants.models import District

logger = logging.getLogger(__name__)

CHUNK = 500
SAMPLE = 20
STEPS = ("queued", "check", "import", "done")
# A running job whose heartbeat (result["beat"], written with every step and chunk) is older than
# this has lost its worker and may be started again.
STALL_AFTER = timedelta(minutes=getattr(settings, "KARYALAY_IMPORT_STALL_MINUTES", 15))
# Keys of ImportJob.result a run keeps: the dry run's figures, its districts, and the run's token.
_KEPT = ("preview", "sample", "districts", "run")

__all__ = [
    "ImportFileError",
    "officer_import_preview",
    "officer_import_enqueue",
    "officer_import_run",
    "import_job_stalled",
]


def import_dir() -> Path:
    """Where uploads are kept: under MEDIA_ROOT but never served (no URL maps to it)."""
    return Path(settings.MEDIA_ROOT) / "state" / "imports"


def _sample(rows: list[CheckedRow], districts: dict[int, District]) -> list[dict]:
    labels = {
        Action.ACCOUNT: _("new account"),
        Action.POSTING: _("new posting"),
        Action.TRANSFER: _("transfer"),
        Action.UPDATE: _("details filled in"),
        Action.UNCHANGED: _("unchanged"),
    }
    sample = []
    for row in rows:
        if row.ok:
            v = row.values
            sample.append(
                {
                    "row": row.number,
                    "login_id": v["login_id"],
                    "name": v["name"],
                    "name_hi": v["name_hi"],
                    "rank": v["rank"],
                    "place": row.place,
                    "district": districts[row.district_id].name,
                    "action": str(labels[row.action]),
                }
            )
            if len(sample) == SAMPLE:
                break
    return sample


def _errors(rows: list[CheckedRow], headers: dict[str, str]) -> list[dict]:
    return [
        {
            "row": row.number,
            "column": headers.get(column, column),
            "value": row.values.get(column, ""),
            "message": str(message),
        }
        for row in rows
        for column, message in row.errors
    ]


def officer_import_preview(
    *, actor: StaffActor, filename: str, data: bytes, district: District | None
) -> ImportJob:
    """Check a file (dry run), keep it, and record its totals and row errors in a new ImportJob.

    Raises ImportFileError when the file as a whole cannot be imported (nothing is kept then).
    Changes no account or posting. ``district`` None means each row names its own district.
    """
    if district is not None and district.status != District.Status.LIVE:
        raise ImportFileError(_("Officers can be imported only into a live district."))
    table = table_read(data, multi_district=district is None)
    rows = rows_check(table=table, district=district)
    counts = counts_of(rows)
    districts = {d.pk: d for d in District.objects.filter(pk__in={r.district_id for r in rows if r.ok})}
    job_id = uuid.uuid4()
    stored_name = f"{job_id}.{table.kind}"
    path = import_dir() / stored_name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    try:
        with transaction.atomic():
            job = ImportJob.objects.create(
                id=job_id,
                created_by=actor.user,
                filename=Path(filename).name[:200],
                sha256=hashlib.sha256(data).hexdigest(),
                stored_name=stored_name,
                district=district,
                status=ImportJob.Status.PREVIEWED,
                total_rows=counts["rows"],
                valid_rows=counts["valid"],
                errors=_errors(rows, table.headers),
                result={
                    "preview": counts,
                    "sample": _sample(rows, districts),
                    "districts": sorted(districts),
                    "step": "previewed",
                },
            )
            audit_record(
                actor=actor,
                action="officer_import.preview",
                district=district,
                target=job.filename,
                details={"job": str(job.pk), "sha256": job.sha256, **counts},
            )
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return job


def import_job_stalled(*, job: ImportJob) -> bool:
    """A running job whose last progress is older than STALL_AFTER: its worker has stopped."""
    if job.status != ImportJob.Status.RUNNING:
        return False
    try:
        beat = datetime.fromisoformat(job.result["beat"])
    except (KeyError, TypeError, ValueError):
        beat = job.created_at  # a job started before heartbeats were written
    return timezone.now() - beat > STALL_AFTER


@transaction.atomic
def officer_import_enqueue(*, actor: StaffActor, job: ImportJob) -> ImportJob:
    """Queue the import of a checked, failed or stalled job's valid rows; the task starts on commit.

    Refuses a job that is queued, running (and not stalled) or done, so a second click queues
    nothing. Each claim gets a new run token: a stalled worker that wakes up after a restart
    finds its token replaced and writes nothing more.
    """
    from state_admin.tasks.imports import officer_import_task

    locked = ImportJob.objects.select_for_update().defer("errors").filter(pk=job.pk).first()
    allowed = (ImportJob.Status.PREVIEWED, ImportJob.Status.FAILED)
    stalled = locked is not None and import_job_stalled(job=locked)
    if locked is None or locked.valid_rows == 0 or not (locked.status in allowed or stalled):
        raise ValidationError(_("This import has already been started, or has no valid rows."))
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.QUEUED,
        done_rows=0,
        message="",
        result={
            **locked.result,
            "step": "queued",
            "run": uuid.uuid4().hex,
            "beat": timezone.now().isoformat(),
        },
    )
    if stalled:
        audit_record(
            actor=actor,
            action="officer_import.restart",
            district=locked.district,
            target=locked.filename,
            details={"job": str(locked.pk), "done_rows": locked.done_rows, "beat": locked.result.get("beat")},
        )
    job.refresh_from_db()
    args = actor.as_task_args()
    transaction.on_commit(lambda: officer_import_task(str(job.pk), **args))
    return job


class _Superseded(Exception):
    """The job was started again by someone else; this run must write nothing more."""


def _save_progress(job: ImportJob, **changes) -> None:
    """Write the job's progress and heartbeat, unless a restart has given the job to another run."""
    result = dict(changes.pop("result", job.result))
    result["beat"] = timezone.now().isoformat()
    changes["result"] = result
    rows = ImportJob.objects.filter(pk=job.pk)
    if token := result.get("run"):
        rows = rows.filter(result__run=token)
    if not rows.update(**changes):
        raise _Superseded
    for name, value in changes.items():
        setattr(job, name, value)


def _districts_live(ids: set[int], *, lock: bool = False) -> None:
    """Refuse when any of these districts was archived, suspended or removed since the dry run.

    With ``lock`` (inside a chunk's transaction) the rows stay locked until the chunk commits, so
    a district cannot be archived or suspended half-way through a chunk.
    """
    found = District.objects.filter(pk__in=ids).order_by("pk")
    if lock:
        found = found.select_for_update()
    found = list(found)
    dead = [d.name for d in found if d.status != District.Status.LIVE]
    if len(found) < len(ids):
        dead.append(_("a district that no longer exists"))
    if dead:
        raise ImportFileError(
            _(
                "Officers are imported only into live districts: %(districts)s is no longer live "
                "(suspended or archived since the file was checked). Resume the district, then "
                "run the import again."
            )
            % {"districts": ", ".join(dead)}
        )


def officer_import_run(*, job_id, actor: StaffActor | None) -> ImportJob | None:
    """Import a queued job's valid rows (called by the task). None when the job is gone.

    Each chunk of rows is one transaction with its audit events; the last one also records the
    run. A failure marks the job failed with its message; running it again finishes the job,
    since rows already imported are found unchanged.
    """
    job = ImportJob.objects.select_related("district").defer("errors").filter(pk=job_id).first()
    if job is None or job.status not in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING):
        return job
    result = {key: job.result[key] for key in _KEPT if key in job.result}
    path = import_dir() / job.stored_name
    try:
        _save_progress(job, status=ImportJob.Status.RUNNING, result={**result, "step": "check"})
        _districts_live({*result.get("districts", ()), *([job.district_id] if job.district_id else [])})
        try:
            data = path.read_bytes()
        except (FileNotFoundError, IsADirectoryError):  # deleted, or pruned (no stored name)
            raise ImportFileError(_("The checked file is no longer kept; upload it again.")) from None
        if hashlib.sha256(data).hexdigest() != job.sha256:
            raise ImportFileError(_("The stored file has changed since it was checked."))
        table = table_read(data, multi_district=job.district is None)
        rows = [row for row in rows_check(table=table, district=job.district) if row.ok]
        counts = counts_of(rows)
        counts["skipped"] = job.total_rows - len(rows)
        result = {**result, "step": "import", "imported": counts, "total": len(rows)}
        _save_progress(job, result=result, done_rows=0)
        today = timezone.localdate()
        chunks = [rows[i : i + CHUNK] for i in range(0, len(rows), CHUNK)] or [[]]
        for n, chunk in enumerate(chunks, start=1):
            with transaction.atomic():
                _districts_live({row.district_id for row in chunk}, lock=True)
                _chunk_import(chunk, actor=actor, today=today)
                changes = {"done_rows": job.done_rows + len(chunk)}
                if n == len(chunks):
                    changes.update(
                        status=ImportJob.Status.DONE,
                        finished_at=timezone.now(),
                        result={**result, "step": "done"},
                    )
                    audit_record(
                        actor=actor,
                        action="officer_import.run",
                        district=job.district,
                        target=job.filename,
                        details={"job": str(job.pk), **counts},
                    )
                    # The upload holds personal data: once imported it is no longer needed.
                    transaction.on_commit(lambda: _stored_file_delete(path))
                _save_progress(job, **changes)
    except _Superseded:
        logger.warning("officer import %s was started again; this run stops", job.pk)
    except (ImportFileError, OSError, ValidationError) as exc:
        _fail(job, result, str(exc) if not isinstance(exc, ValidationError) else " ".join(exc.messages))
    except Exception as exc:
        logger.exception("officer import %s failed", job.pk)
        _fail(job, result, _("The import stopped: %(error)s") % {"error": exc})
    return job


def _fail(job: ImportJob, result: dict, message: str) -> None:
    try:
        _save_progress(
            job,
            status=ImportJob.Status.FAILED,
            message=message,
            finished_at=timezone.now(),
            result={**result, "step": "failed"},
        )
    except _Superseded:
        logger.warning("officer import %s was started again; this run's failure is not recorded", job.pk)


def _stored_file_delete(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        logger.exception("could not delete the imported file %s", path)


def _chunk_import(rows: list[CheckedRow], *, actor: StaffActor | None, today) -> None:
    """Accounts, postings and transfers for one chunk; runs inside the chunk's transaction."""
    districts = rows_write(rows, today=today)
    for row in rows_transferred(rows):
        old = [districts[d].slug for d in row.transfer_from]
        audit_record(
            actor=actor,
            action="officer.transfer",
            district=districts[row.district_id],
            target=row.values["login_id"],
            details={
                "old_district": old[0],
                "old_districts": old,
                "service_number": row.values["service_number"],
                "post": row.values["post"],
                "office": row.values["office"],
            },
        )
