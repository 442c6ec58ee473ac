"""The one officer-import pipeline: dry run, import in the background, progress, error report,
and the prune of kept files; parameterised by its ``scope`` (``scope.ImportScope``: one district,
or the state console across districts).

``officer_import_preview`` reads and checks an uploaded file and keeps it, with a job that records
its totals and row errors, without changing any account or posting. ``officer_import_enqueue``
queues the import of a checked job; ``officer_import_run`` (the task's body) checks the stored file
again against the platform as it is then and imports the valid rows in chunks, each chunk one
transaction with its audit events, and only into districts still live then. Every row is matched by
service number, so a re-run, or a re-import of the same file, changes nothing. A run that stops
making progress (its worker died) may be started again after ``STALL_AFTER``; the stored file
(personal data) is deleted once the import is done, and a file never imported goes after
``KEEP_UNRUN_DAYS`` (``import_files_prune``). The callers (views, tasks) check who may act.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import uuid
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.base.csv_cells import cell_safe
from core.models import OfficerImportBase
from core.org.officer_import.check import Action, CheckedRow, counts_of, rows_check
from core.org.officer_import.parse import ImportFileError, table_read
from core.org.officer_import.scope import ImportScope
from core.org.officer_import.write import rows_write
from tenants.models import District

logger = logging.getLogger(__name__)

Status = OfficerImportBase.Status
CHUNK = 500
SAMPLE = 20
STEPS = ("queued", "check", "import", "done")
KEEP_UNRUN_DAYS = 7
RUNNABLE = (Status.PREVIEWED, Status.FAILED)
# A running job whose heartbeat (result["beat"], written with every step and chunk) is older than
# this has lost its worker and may be started again.
STALL_AFTER = timedelta(minutes=getattr(settings, "KARYALAY_IMPORT_STALL_MINUTES", 15))
# Keys of a job's result a run keeps: the dry run's figures, its districts, and the run's token.
_KEPT = ("preview", "sample", "districts", "run")


def _sample(rows: list[CheckedRow], districts: dict[int, District]) -> list[dict]:
    labels = {
        Action.ACCOUNT: _("new account"),
        Action.POSTING: _("new posting"),
        Action.TRANSFER: _("transfer"),
        Action.PROPOSAL: _("transfer proposed to their district"),
        Action.UPDATE: _("details filled in"),
        Action.UNCHANGED: _("unchanged"),
    }
    sample = []
    for row in rows:
        if row.ok:
            sample.append(
                {
                    "row": row.number,
                    "login_id": row.values["login_id"],
                    "name": row.values["name"],
                    "name_hi": row.values["name_hi"],
                    "rank": row.values["rank"],
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
    *, scope: ImportScope, actor, filename: str, data: bytes, district: District | None
) -> OfficerImportBase:
    """Check a file (dry run), keep it, and record its totals and row errors in a new job.

    Raises ImportFileError when the file as a whole cannot be imported (nothing is kept then).
    Changes no account or posting. ``district`` None means each row names its own district.
    """
    if district is not None and district.status != District.Status.LIVE:
        raise ImportFileError(_("Officers can be imported only into a live district."))
    table = table_read(data, multi_district=district is None)
    rows = rows_check(table=table, district=district, platform_wide=scope.platform_wide)
    counts = counts_of(rows)
    districts = District.objects.in_bulk({row.district_id for row in rows if row.ok})
    job_id = uuid.uuid4()
    stored_name = f"{job_id}.{table.kind}"
    path = scope.folder() / stored_name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    try:
        with transaction.atomic():
            job = scope.model.objects.create(
                id=job_id,
                created_by=scope.person(actor),
                filename=Path(filename).name[:200],
                sha256=hashlib.sha256(data).hexdigest(),
                stored_name=stored_name,
                status=Status.PREVIEWED,
                total_rows=counts["rows"],
                valid_rows=counts["valid"],
                errors=_errors(rows, table.headers),
                result={
                    "preview": counts,
                    "sample": _sample(rows, districts),
                    "districts": sorted(districts),
                    "step": "previewed",
                },
                **scope.job_fields(district=district),
            )
            scope.audit(
                actor=actor,
                action="officer_import.preview",
                job=job,
                details={"sha256": job.sha256, **counts},
            )
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return job


def import_job_stalled(*, job: OfficerImportBase) -> bool:
    """A running job whose last progress is older than STALL_AFTER: its worker has stopped."""
    if job.status != Status.RUNNING:
        return False
    try:
        beat = datetime.fromisoformat(job.result["beat"])
    except (KeyError, TypeError, ValueError):
        beat = job.created_at  # a job started before heartbeats were written
    return timezone.now() - beat > STALL_AFTER


def import_job_runnable(*, job: OfficerImportBase) -> bool:
    """Whether the job's valid rows may be (re)started now: checked, failed or stalled."""
    return job.valid_rows > 0 and (job.status in RUNNABLE or import_job_stalled(job=job))


@transaction.atomic
def officer_import_enqueue(*, scope: ImportScope, actor, job: OfficerImportBase) -> OfficerImportBase:
    """Queue the import of a checked, failed or stalled job's valid rows; the task starts on commit.

    Refuses a job that is queued, running (and not stalled) or done, so a second click queues
    nothing. Each claim gets a new run token: a stalled worker that wakes up after a restart
    finds its token replaced and writes nothing more.
    """
    locked = scope.model.objects.select_for_update().defer("errors").filter(pk=job.pk).first()
    if locked is None or not import_job_runnable(job=locked):
        raise ValidationError(_("This import has already been started, or has no valid rows."))
    stalled = import_job_stalled(job=locked)
    scope.model.objects.filter(pk=job.pk).update(
        status=Status.QUEUED,
        done_rows=0,
        message="",
        result={
            **locked.result,
            "step": "queued",
            "run": uuid.uuid4().hex,
            "beat": timezone.now().isoformat(),
        },
    )
    details = {"done_rows": locked.done_rows, "beat": locked.result.get("beat")} if stalled else {}
    action = "officer_import.restart" if stalled else "officer_import.enqueue"
    scope.audit(actor=actor, action=action, job=locked, details=details)
    job.refresh_from_db()
    transaction.on_commit(lambda: scope.task_enqueue(job=job, actor=actor))
    return job


class _Superseded(Exception):
    """The job was started again by someone else; this run must write nothing more."""


def _save_progress(scope: ImportScope, job: OfficerImportBase, **changes) -> None:
    """Write the job's progress and heartbeat, unless a restart has given the job to another run."""
    result = dict(changes.pop("result", job.result))
    result["beat"] = timezone.now().isoformat()
    changes["result"] = result
    rows = scope.model.objects.filter(pk=job.pk)
    if token := result.get("run"):
        rows = rows.filter(result__run=token)
    if not rows.update(**changes):
        raise _Superseded
    for name, value in changes.items():
        setattr(job, name, value)


def _districts_live(scope: ImportScope, ids: set[int], *, lock: bool = False) -> None:
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
        raise ImportFileError(scope.not_live_message(dead))


def officer_import_run(*, scope: ImportScope, job_id, actor) -> OfficerImportBase | None:
    """Import a queued job's valid rows (the task's body). None when the job is gone.

    Each chunk of rows is one transaction with its audit events; the last one also records the
    run. A failure marks the job failed with its message; running it again finishes the job,
    since rows already imported are found unchanged.
    """
    job = scope.jobs().defer("errors").filter(pk=job_id).first()
    if job is None or job.status not in (Status.QUEUED, Status.RUNNING):
        return job
    district = scope.job_district(job)
    result = {key: job.result[key] for key in _KEPT if key in job.result}
    path = scope.folder() / job.stored_name
    try:
        _save_progress(scope, job, status=Status.RUNNING, result={**result, "step": "check"})
        _districts_live(scope, {*result.get("districts", ()), *([district.pk] if district else [])})
        try:
            if not job.stored_name:  # pruned: the job no longer names a file
                raise FileNotFoundError(job.stored_name)
            data = path.read_bytes()
        except (FileNotFoundError, IsADirectoryError):
            raise ImportFileError(_("The checked file is no longer kept; upload it again.")) from None
        if hashlib.sha256(data).hexdigest() != job.sha256:
            raise ImportFileError(_("The stored file has changed since it was checked."))
        table = table_read(data, multi_district=district is None)
        rows = [
            row
            for row in rows_check(table=table, district=district, platform_wide=scope.platform_wide)
            if row.ok
        ]
        counts = {**counts_of(rows), "skipped": job.total_rows - len(rows)}
        result = {**result, "step": "import", "imported": counts, "total": len(rows)}
        _save_progress(scope, job, result=result, done_rows=0)
        today = timezone.localdate()
        chunks = [rows[i : i + CHUNK] for i in range(0, len(rows), CHUNK)] or [[]]
        for n, chunk in enumerate(chunks, start=1):
            with transaction.atomic():
                _districts_live(scope, {row.district_id for row in chunk}, lock=True)
                _chunk_import(scope, chunk, actor=actor, today=today)
                changes = {"done_rows": job.done_rows + len(chunk)}
                if n == len(chunks):
                    changes.update(
                        status=Status.DONE, finished_at=timezone.now(), result={**result, "step": "done"}
                    )
                    scope.audit(actor=actor, action="officer_import.run", job=job, details=counts)
                    # The upload holds personal data: once imported it is no longer needed.
                    transaction.on_commit(lambda: _stored_file_delete(path))
                _save_progress(scope, job, **changes)
    except _Superseded:
        logger.warning("officer import %s was started again; this run stops", job.pk)
    except (ImportFileError, OSError, ValidationError) as exc:
        _fail(scope, job, result, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
    except Exception as exc:
        logger.exception("officer import %s failed", job.pk)
        _fail(scope, job, result, _("The import stopped: %(error)s") % {"error": exc})
    return job


def _chunk_import(scope: ImportScope, rows: list[CheckedRow], *, actor, today) -> None:
    """Accounts, postings and transfers for one chunk; runs inside the chunk's transaction."""
    districts = rows_write(rows, today=today)
    scope.chunk_written(rows, districts=districts, actor=actor, today=today)


def _fail(scope: ImportScope, job: OfficerImportBase, result: dict, message: str) -> None:
    try:
        _save_progress(
            scope,
            job,
            status=Status.FAILED,
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


def officer_import_progress(*, job: OfficerImportBase) -> dict:
    """What a progress page shows: status, step, rows done of the total, percentage, counts."""
    total = job.result.get("total", job.valid_rows) or 0
    done = min(job.done_rows, total)
    percent = 100 if job.status == Status.DONE else (int(done * 100 / total) if total else 0)
    stalled = import_job_stalled(job=job)
    return {
        "status": job.status,
        "status_label": str(_("Stalled") if stalled else job.get_status_display()),
        "stalled": stalled,
        "stall_minutes": int(STALL_AFTER.total_seconds() // 60),
        "step": job.result.get("step", ""),
        "steps": list(STEPS),
        "done": done,
        "total": total,
        "percent": percent,
        "imported": job.result.get("imported", {}),
        "message": job.message,
        "finished": job.status in (Status.DONE, Status.FAILED),
    }


def officer_import_errors_csv(*, job: OfficerImportBase) -> bytes:
    """The job's row errors as CSV (UTF-8 with a BOM, so that Excel shows Hindi)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("row"), _("column"), _("value"), _("message")])
    for error in job.errors:
        writer.writerow([error["row"], error["column"], cell_safe(error["value"]), error["message"]])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def import_files_prune(*, scope: ImportScope, now: datetime | None = None) -> int:
    """Delete the scope's stored files of imports checked or failed more than KEEP_UNRUN_DAYS ago,
    and any file in its folder that no job names and that is older than that. Returns how many
    files went.

    The jobs stay, with their row errors: their ``stored_name`` is cleared and their message says
    the file was removed (audited as ``officer_import.prune``, by the system); running one asks for
    the file again. A file goes only once its job's row has committed. Queued, running and done jobs
    are left alone.
    """
    cutoff = (now or timezone.now()) - timedelta(days=KEEP_UNRUN_DAYS)
    folder = scope.folder()
    if not folder.is_dir():
        return 0
    stale = (
        scope.model.objects.filter(status__in=RUNNABLE, created_at__lt=cutoff)
        .exclude(stored_name="")
        .values_list("pk", flat=True)
    )
    pruned: list[str] = []
    for job_id in list(stale):
        with transaction.atomic():
            job = scope.model.objects.select_for_update().defer("errors").filter(pk=job_id).first()
            if job is None or job.status not in RUNNABLE or not job.stored_name:
                continue  # started, or pruned, since the list was read
            path = folder / job.stored_name
            message = _("The file was removed %(days)d days after it was checked.") % {
                "days": KEEP_UNRUN_DAYS
            }
            scope.model.objects.filter(pk=job.pk).update(stored_name="", message=message)
            scope.audit(actor=None, action="officer_import.prune", job=job, details={"days": KEEP_UNRUN_DAYS})
            transaction.on_commit(lambda path=path: path.unlink(missing_ok=True))
            pruned.append(path.name)
    removed = len(pruned)
    # Files of the jobs just pruned go on commit, which may be later when a caller holds a transaction.
    named = set(scope.model.objects.exclude(stored_name="").values_list("stored_name", flat=True))
    named.update(pruned)
    for path in folder.iterdir():
        if path.is_file() and path.name not in named and path.stat().st_mtime < cutoff.timestamp():
            logger.info("Removing an import file no job names: %s", path)
            path.unlink(missing_ok=True)
            removed += 1
    return removed
