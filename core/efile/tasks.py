"""Background work of the paperless office.

efile_overdue_notify_task()                                   # every morning at 07:00, every live district

Imported by ``core.tasks`` (which huey discovers) so that the consumer knows them.
"""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from tenants.context import district_context
from tenants.models import District

logger = logging.getLogger(__name__)


def overdue_notify_all() -> dict[str, int]:
    """``overdue_notify`` in every live district, each under its own schema; a district that fails
    is logged and the others still run. Returns {schema name: movements notified}."""
    from core.efile.notifications import overdue_notify

    done: dict[str, int] = {}
    for schema_name in District.objects.filter(status=District.Status.LIVE).values_list(
        "schema_name", flat=True
    ):
        try:
            with district_context(schema_name):
                done[schema_name] = overdue_notify()
        except Exception:
            logger.exception("Overdue notifications failed in %s", schema_name)
    return done


@db_periodic_task(crontab(hour="7", minute="0"))
def efile_overdue_notify_task() -> dict[str, int]:
    """Every morning at 07:00, in every live district: each file or dak still waiting where a step
    with a due date left it, past that date, is told to the holders of its post (in-app and
    e-mail), once per movement."""
    return overdue_notify_all()
