"""Bulk import of officers from the state console: the state console's scope of the one officer
import pipeline (``core.org.officer_import.services``), and its callers.

Jobs are ``ImportJob`` rows in the public schema, into one district or a district per row; files
are kept under ``MEDIA_ROOT/state/imports``; events go into the state's log. The console checks
rows platform-wide: it may name other accounts in its messages and moves a person out of another
district (the transfer audited here). Platform staff only: the views that call these are
staff-only, and every call is audited. ``officer_import_task`` runs a confirmed job (enqueued on
commit).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from huey.contrib.djhuey import db_task

from core.org.officer_import import services
from core.org.officer_import.check import CheckedRow
from core.org.officer_import.scope import ImportScope
from core.org.officer_import.write import rows_transferred
from state_admin.models import ImportJob
from state_admin.services.audit import StaffActor, audit_record
from tenants.models import District, User

KEEP_UNRUN_DAYS = services.KEEP_UNRUN_DAYS
import_job_stalled = services.import_job_stalled


def import_dir() -> Path:
    """Where uploads are kept: under MEDIA_ROOT but never served (no URL maps to it)."""
    return Path(settings.MEDIA_ROOT) / "state" / "imports"


class StateScope(ImportScope):
    """The state console: any live district, or a district named on each row."""

    model = ImportJob
    platform_wide = True
    across_districts = True

    def folder(self) -> Path:
        return import_dir()

    def jobs(self):
        return ImportJob.objects.select_related("created_by", "district")

    def job_district(self, job: ImportJob) -> District | None:
        return job.district

    def job_fields(self, *, district: District | None) -> dict:
        return {"district": district}

    def person(self, actor: StaffActor) -> User:
        return actor.user

    def audit(
        self, *, actor: StaffActor | None, action: str, job: ImportJob, details: dict | None = None
    ) -> None:
        audit_record(
            actor=actor,
            action=action,
            district=job.district,
            target=job.filename,
            details={"job": str(job.pk), **(details or {})},
        )

    def task_enqueue(self, *, job: ImportJob, actor: StaffActor) -> None:
        officer_import_task(str(job.pk), **actor.as_task_args())

    def not_live_message(self, names: list[str]) -> str:
        return _(
            "Officers are imported only into live districts: %(districts)s is no longer live "
            "(suspended or archived since the file was checked). Resume the district, then "
            "run the import again."
        ) % {"districts": ", ".join(names)}

    def chunk_written(self, rows: list[CheckedRow], *, districts, actor: StaffActor | None, today) -> None:
        """Each transfer out of another district audited in the state's log."""
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


STATE = StateScope()


def officer_import_preview(
    *, actor: StaffActor, filename: str, data: bytes, district: District | None
) -> ImportJob:
    """The dry run of a file for one district, or (``district`` None) a district per row."""
    return services.officer_import_preview(
        scope=STATE, actor=actor, filename=filename, data=data, district=district
    )


def officer_import_enqueue(*, actor: StaffActor, job: ImportJob) -> ImportJob:
    """Queue a checked, failed or stalled job (``services.officer_import_enqueue``)."""
    return services.officer_import_enqueue(scope=STATE, actor=actor, job=job)


def officer_import_run(*, job_id, actor: StaffActor | None) -> ImportJob | None:
    """Import a queued job's valid rows (the task's body; ``services.officer_import_run``)."""
    return services.officer_import_run(scope=STATE, job_id=job_id, actor=actor)


def import_files_prune(*, now: datetime | None = None) -> int:
    """The nightly prune of the console's kept files (``services.import_files_prune``)."""
    return services.import_files_prune(scope=STATE, now=now)


# The task lives with the scope that queues it (as ``core.org.officer_import.district``'s does), so
# the scope and its task need no import loop; ``state_admin.tasks`` imports it for huey.
@db_task()
def officer_import_task(job_id: str, actor_id=None, actor_ip=None, actor_agent: str = "") -> bool:
    """Runs when staff confirm an import after its dry run. Fetches the job again; a job that is gone,
    or already done, is left alone. Progress and the outcome are on the ImportJob row."""
    actor = StaffActor.from_task_args(actor_id=actor_id, actor_ip=actor_ip, actor_agent=actor_agent)
    job = officer_import_run(job_id=job_id, actor=actor)
    return job is not None and job.status == ImportJob.Status.DONE
