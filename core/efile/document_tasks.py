"""Nightly care of stored documents.

documents_sweep_task()      # 03:50, every district with a schema (and the state console's uploads)

Imported by ``core.tasks`` (which huey discovers) so that the consumer knows it.
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from core.base.storage import documents_sweep_all


@db_periodic_task(crontab(hour="3", minute="50"))
def documents_sweep_task() -> dict[str, int]:
    """Every night at 03:50: in each district, stored files that no document version names and
    temporary uploads older than a day are removed (left by a rollback or a killed process). A
    district that fails is logged and the others still run. Returns {schema name: files removed}."""
    return documents_sweep_all()
