"""Background import of officers from a checked file (the run task lives with its scope, in
``state_admin.services.officer_import``; imported here so that huey's consumer knows it)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from state_admin.services.officer_import import import_files_prune, officer_import_task  # noqa: F401


@db_periodic_task(crontab(hour="3", minute="30"))
def import_files_prune_task() -> int:
    """Runs every night at 03:30: uploaded officer files not imported within a week are deleted."""
    return import_files_prune()
