"""A district admin's import of officers into their own district: dry run, import, error report.

The same flow as the state console's, with the same checks (``check.rows_check`` scoped to this
district: a row naming another district is an error, as is a post another person holds).
``officer_import_preview`` reads and checks a file and keeps it under the district's own storage
(``district_media_dir(schema)/imports/``) with a ``core.OfficerImport`` row; nothing else changes.
``officer_import_enqueue`` queues it; ``officer_import_run`` (the district task's body) checks the
file again and imports the valid rows in chunks, one transaction each with its audit events. Rows
are matched by service number, so importing a file again changes nothing. New accounts get a
set-password link by e-mail once their chunk commits. District admins only (the views check).
The file goes once the import is done; a file never imported goes after a week
(``core.org.officer_import.prune``, nightly), and running that job then asks for the file again.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import uuid
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import Actor, audit_append
from core.csv_cells import cell_safe
from core.models import OfficerImport, Post
from core.org.officer_import.check import Action, CheckedRow, counts_of, rows_check
from core.org.officer_import.parse import ImportFileError, table_read
from core.org.officer_import.write import rows_transferred, rows_write
from tenants.models import District, User
from tenants.storage import district_media_dir

logger = logging.getLogger(__name__)

CHUNK = 500
SAMPLE = 20
STEPS = ("queued", "check", "import", "done")


def import_dir(schema_name: str) -> Path:
    """Where this district's uploads are kept; never served (no URL maps to it)."""
    return district_media_dir(schema_name) / "imports"


def _district() -> District:
    return District.objects.get(schema_name=connection.schema_name)


def _sample(rows: list[CheckedRow]) -> list[dict]:
    labels = {
        Action.ACCOUNT: _("new account"),
        Action.POSTING: _("new posting"),
        Action.TRANSFER: _("transfer"),
        Action.PROPOSAL: _("transfer proposed to their district"),
        Action.UPDATE: _("details filled in"),
        Action.UNCHANGED: _("unchanged"),
    }
    return [
        {
            "row": row.number,
            "login_id": row.values["login_id"],
            "name": row.values["name"],
            "name_hi": row.values["name_hi"],
            "rank": row.values["rank"],
            "place": row.place,
            "action": str(labels[row.action]),
        }
        for row in rows
        if row.ok
    ][:SAMPLE]


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


def officer_import_preview(*, actor: Actor, filename: str, data: bytes) -> OfficerImport:
    """Check a file (dry run), keep it, and record its totals and row errors in a new OfficerImport.

    Raises ImportFileError when the file as a whole cannot be imported (nothing is kept then).
    Changes no account or posting.
    """
    district = _district()
    table = table_read(data, multi_district=False)
    rows = rows_check(table=table, district=district, platform_wide=False)
    counts = counts_of(rows)
    job_id = uuid.uuid4()
    stored_name = f"{job_id}.{table.kind}"
    path = import_dir(district.schema_name) / stored_name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    try:
        with transaction.atomic():
            job = OfficerImport.objects.create(
                id=job_id,
                created_by=actor.person,
                filename=Path(filename).name[:200],
                sha256=hashlib.sha256(data).hexdigest(),
                stored_name=stored_name,
                total_rows=counts["rows"],
                valid_rows=counts["valid"],
                errors=_errors(rows, table.headers),
                result={"preview": counts, "sample": _sample(rows), "step": "previewed"},
            )
            audit_append(
                actor=actor,
                action="officer_import.preview",
                target=job,
                summary=job.filename,
                details={"sha256": job.sha256, **counts},
            )
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return job


@transaction.atomic
def officer_import_enqueue(*, actor: Actor, job: OfficerImport) -> OfficerImport:
    """Queue the import of a checked (or failed) job's valid rows; the task starts on commit.

    Refuses a job that is queued, running or done, so a second click queues nothing.
    """
    from core.tasks import officer_import_task

    locked = OfficerImport.objects.select_for_update().defer("errors").filter(pk=job.pk).first()
    allowed = (OfficerImport.Status.PREVIEWED, OfficerImport.Status.FAILED)
    if locked is None or locked.valid_rows == 0 or locked.status not in allowed:
        raise ValidationError(_("This import has already been started, or has no valid rows."))
    OfficerImport.objects.filter(pk=job.pk).update(
        status=OfficerImport.Status.QUEUED,
        done_rows=0,
        message="",
        result={**locked.result, "step": "queued"},
    )
    audit_append(actor=actor, action="officer_import.enqueue", target=locked, summary=locked.filename)
    job.refresh_from_db()
    schema, person_id = connection.schema_name, actor.person.pk if actor.person else None
    transaction.on_commit(lambda: officer_import_task(schema, str(job.pk), actor_id=person_id))
    return job


def _save(job: OfficerImport, **changes) -> None:
    OfficerImport.objects.filter(pk=job.pk).update(**changes)
    for name, value in changes.items():
        setattr(job, name, value)


def officer_import_run(*, job_id, actor: Actor | None) -> OfficerImport | None:
    """Import a queued job's valid rows (the task's body). None when the job is gone.

    Each chunk is one transaction with its audit events; a failure marks the job failed with its
    message, and running it again finishes the job (rows already imported are found unchanged).
    """
    job = OfficerImport.objects.defer("errors").filter(pk=job_id).first()
    if job is None or job.status not in (OfficerImport.Status.QUEUED, OfficerImport.Status.RUNNING):
        return job
    district = _district()
    result = {key: job.result[key] for key in ("preview", "sample") if key in job.result}
    path = import_dir(district.schema_name) / job.stored_name
    try:
        _save(job, status=OfficerImport.Status.RUNNING, result={**result, "step": "check"})
        if district.status != District.Status.LIVE:
            raise ImportFileError(_("Officers are imported only while the district is live."))
        try:
            if not job.stored_name:  # removed by the nightly prune (core.org.officer_import.prune)
                raise FileNotFoundError(job.stored_name)
            data = path.read_bytes()
        except (FileNotFoundError, IsADirectoryError):
            raise ImportFileError(_("The checked file is no longer kept; upload it again.")) from None
        if hashlib.sha256(data).hexdigest() != job.sha256:
            raise ImportFileError(_("The stored file has changed since it was checked."))
        rows = [
            row
            for row in rows_check(
                table=table_read(data, multi_district=False), district=district, platform_wide=False
            )
            if row.ok
        ]
        counts = {**counts_of(rows), "skipped": job.total_rows - len(rows)}
        result = {**result, "step": "import", "imported": counts, "total": len(rows)}
        _save(job, result=result, done_rows=0)
        today = timezone.localdate()
        chunks = [rows[i : i + CHUNK] for i in range(0, len(rows), CHUNK)] or [[]]
        for n, chunk in enumerate(chunks, start=1):
            with transaction.atomic():
                _chunk_import(chunk, actor=actor, today=today, district=district)
                changes = {"done_rows": job.done_rows + len(chunk)}
                if n == len(chunks):
                    changes.update(
                        status=OfficerImport.Status.DONE,
                        finished_at=timezone.now(),
                        result={**result, "step": "done"},
                    )
                    audit_append(
                        actor=actor,
                        action="officer_import.run",
                        target=job,
                        summary=job.filename,
                        details=counts,
                    )
                    transaction.on_commit(lambda: path.unlink(missing_ok=True))
                _save(job, **changes)
    except (ImportFileError, OSError, ValidationError) as exc:
        _fail(job, result, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
    except Exception as exc:
        logger.exception("officer import %s failed", job.pk)
        _fail(job, result, _("The import stopped: %(error)s") % {"error": exc})
    return job


def _fail(job: OfficerImport, result: dict, message: str) -> None:
    _save(
        job,
        status=OfficerImport.Status.FAILED,
        message=message,
        finished_at=timezone.now(),
        result={**result, "step": "failed"},
    )


def _chunk_import(rows: list[CheckedRow], *, actor: Actor | None, today, district: District) -> None:
    """Accounts, postings and transfers for one chunk, audited; runs inside the chunk's transaction."""
    from core.org.services.officers import password_link_send

    districts = rows_write(rows, today=today)
    for row in rows:
        if row.action in (Action.ACCOUNT, Action.POSTING, Action.TRANSFER):
            audit_append(
                actor=actor,
                action="officer.add",
                target_type="user",
                target_id=str(row.person_id),
                summary=f"{row.values['login_id']} → {row.values['post']}",
                details={"login_id": row.values["login_id"], "post": row.values["post"], "import": True},
            )
    for row in rows_transferred(rows):
        old = [districts[d].slug for d in row.transfer_from]
        audit_append(
            actor=actor,
            action="officer.transfer",
            target_type="user",
            target_id=str(row.person_id),
            summary=f"{row.values['login_id']}: {', '.join(old)} → {row.values['post']}",
            details={"login_id": row.values["login_id"], "old_districts": old, "post": row.values["post"]},
        )
    _proposals_record([row for row in rows if row.action == Action.PROPOSAL], actor=actor, today=today)
    new_ids = [row.person_id for row in rows if row.action == Action.ACCOUNT and row.values["email"]]

    def links() -> None:
        for person in User.objects.filter(pk__in=new_ids):
            try:
                password_link_send(person=person, district=district)
            except Exception:  # a mail server down must not undo the import; the officer can ask again
                logger.exception("set-password link for %s not sent", person.login_id)

    if new_ids:
        transaction.on_commit(links)


def officer_import_progress(*, job: OfficerImport) -> dict:
    """What the progress page shows: status, step, rows done of the total, percentage, counts."""
    total = job.result.get("total", job.valid_rows) or 0
    done = min(job.done_rows, total)
    percent = 100 if job.status == OfficerImport.Status.DONE else (int(done * 100 / total) if total else 0)
    return {
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "step": job.result.get("step", ""),
        "steps": list(STEPS),
        "done": done,
        "total": total,
        "percent": percent,
        "imported": job.result.get("imported", {}),
        "message": job.message,
        "finished": job.status in (OfficerImport.Status.DONE, OfficerImport.Status.FAILED),
    }


def officer_import_errors_csv(*, job: OfficerImport) -> bytes:
    """The job's row errors as CSV (UTF-8 with a BOM, so that Excel shows Hindi)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("row"), _("column"), _("value"), _("message")])
    for error in job.errors:
        writer.writerow([error["row"], error["column"], cell_safe(error["value"]), error["message"]])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _proposals_record(rows: list[CheckedRow], *, actor: Actor | None, today) -> None:
    """A transfer proposal for each row whose person holds a posting in another district: that
    district (or the state console) decides, and nothing of theirs changes here. A row that
    cannot be proposed (one is already awaiting a decision, they are an admin there) is left,
    so importing the same file again proposes nothing twice."""
    from core.org.services.transfers import districts_in_force, transfer_propose

    if not rows:
        return
    here = _district()
    posts = Post.objects.select_related("office").in_bulk({row.post_id for row in rows})
    for row in rows:
        person = User.objects.get(pk=row.person_id)
        try:
            with transaction.atomic():
                transfer_propose(
                    actor=actor or Actor(person=None),
                    person=person,
                    post=posts[row.post_id],
                    from_districts=districts_in_force(person=person, on=today, here=here),
                    on=today,
                )
        except ValidationError:
            continue
