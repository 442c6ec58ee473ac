"""Background import of officers from a checked file."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from state_admin.models import ImportJob
from state_admin.services.audit import StaffActor
from state_admin.services.officer_import import import_files_prune, officer_import_run


@db_task()
def officer_import_task(job_id: str, actor_id=None, actor_ip=None, actor_agent: str = "") -> bool:
    """Runs when staff confirm an import after its dry run. Fetches the job again; a job that is gone,
    or already done, is left alone. Progress and the outcome are on the ImportJob row."""
    actor = StaffActor.from_task_args(actor_id=actor_id, actor_ip=actor_ip, actor_agent=actor_agent)
    job = officer_import_run(job_id=job_id, actor=actor)
    return job is not None and job.status == ImportJob.Status.DONE


@db_periodic_task(crontab(hour="3", minute="30"))
def import_files_prune_task() -> int:
    """Runs every night at 03:30: uploaded officer files not imported within a week are deleted."""
    return import_files_prune()
