"""Background work of the paperless office.

efile_overdue_notify_task()                                   # every morning at 07:00, every live district

Imported by ``core.tasks`` (which huey discovers) so that the consumer knows them.
"""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from core.base.districts import each_district
from core.efile.notifications import overdue_notify


def overdue_notify_all() -> dict[str, int]:
    """``overdue_notify`` in every live district, each under its own schema; a district that fails
    is logged and the others still run. Returns {schema name: movements notified}."""

    return each_district(overdue_notify, failure="Overdue notifications failed")


@db_periodic_task(crontab(hour="7", minute="0"))
def efile_overdue_notify_task() -> dict[str, int]:
    """Every morning at 07:00, in every live district: each file or dak still waiting where a step
    with a due date left it, past that date, is told to the holders of its post (in-app and
    e-mail), once per movement."""
    return overdue_notify_all()
