"""Background work of district exports."""

from huey.contrib.djhuey import db_task

from state_admin.services.export import district_export_build


@db_task()
def district_export_task(job_id: str):
    """Runs when platform staff ask for an export (enqueued on commit). Builds the archive and
    records the outcome on the ExportJob; a job that is gone or already handled is left alone."""
    job = district_export_build(job_id=job_id)
    return job.status if job is not None else None
