"""Refreshing the state dashboard's rollup from every district."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from state_admin.services.rollup import rollup_refresh

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*/15"))
def rollup_refresh_task() -> int:
    """Every 15 minutes: copy the figures of every district where something changed since the
    last pass (and of every district at the first pass of a day) into the rollup tables."""
    count = rollup_refresh(changed_only=True)
    logger.info("Rollup refreshed %d districts", count)
    return count


@db_task()
def rollup_refresh_now_task() -> int:
    """Once, when platform staff press "Refresh figures now" on the dashboard."""
    return rollup_refresh()
