"""Background work of supervision: the districts' figures copied for their range and headquarters."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from core.supervision.rollup import supervision_refresh

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*/15"))
def supervision_refresh_task() -> int:
    """Every 15 minutes: each live district's pendency figures (files by post and age, overdue
    dak, RTI near or past due, case directions pending) copied into the public schema, where its
    range office and headquarters read them."""

    count = supervision_refresh()
    logger.info("Supervision figures refreshed for %d districts", count)
    return count
