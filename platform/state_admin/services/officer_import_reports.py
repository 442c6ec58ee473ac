"""What the state console shows of an officer import: its progress and its error report."""

import csv
import io

from django.utils.translation import gettext as _

from core.csv_cells import cell_safe
from state_admin.models import ImportJob
from state_admin.services.officer_import import STALL_AFTER, STEPS, import_job_stalled


def import_job_errors_csv(*, job: ImportJob) -> bytes:
    """The job's row errors as CSV (UTF-8 with a BOM, so that Excel shows Hindi)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("row"), _("column"), _("value"), _("message")])
    for error in job.errors:
        writer.writerow([error["row"], error["column"], cell_safe(error["value"]), error["message"]])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def import_job_progress(*, job: ImportJob) -> dict:
    """What a progress page shows: status, step, rows done of the total, percentage, counts."""
    total = job.result.get("total", job.valid_rows) or 0
    done = min(job.done_rows, total)
    if job.status == ImportJob.Status.DONE:
        percent = 100
    else:
        percent = int(done * 100 / total) if total else 0
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
        "finished": job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED),
    }
