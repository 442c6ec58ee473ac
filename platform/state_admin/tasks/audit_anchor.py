"""Anchoring every district's audit-chain head in the public schema, every hour."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from state_admin.services.audit_anchor import audit_anchor_all

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="7"))
def audit_anchor_all_task() -> dict[str, str]:
    """Every hour at :07: each district with a schema has its chain checked from its last anchor
    and its head anchored (``audit_anchor_all``); a district that fails is logged and the others
    still run. Returns {slug: result}."""
    done = audit_anchor_all()
    logger.info("Audit chains anchored: %s", done)
    return done
