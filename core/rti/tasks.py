"""Background work of the RTI register.

rti_reply_bundle_task(schema_name, reply_id=…)   # enqueued on commit by ``rti_reply`` (and its retry)
rti_daily_task()                                 # every morning at 06:30, every live district

Imported by ``core.tasks`` (which huey discovers) so that the consumer knows them.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from core.base.districts import each_district
from core.rti.services.appeals import rti_deemed_refusals_mark
from core.rti.services.bundle import rti_reply_bundle_make
from core.rti.services.reminders import rti_reminders_send
from tenants.tasks import district_task


@district_task(retries=2, retry_delay=60)
def rti_reply_bundle_task(reply_id: int) -> str | None:
    """Runs after a reply is recorded and committed: makes the reply's PDF (letter and disclosed
    documents) and zip of originals and stores them (``core.rti.services.bundle``). A reply that is gone is
    skipped, one already ready is left alone, so a retry or a second run stores nothing twice.
    Returns the reply's status (None if gone)."""

    reply = rti_reply_bundle_make(reply_id=reply_id)
    return reply.status if reply is not None else None


def rti_daily(today: datetime.date | None = None) -> int:
    """The day's RTI work in the current district: applications past their reply date are marked
    deemed refused (``core.rti.services.appeals.rti_deemed_refusals_mark``), then the reminders go
    (``core.rti.services.reminders.rti_reminders_send``). Returns the number of notifications made."""

    today = today or timezone.localdate()
    rti_deemed_refusals_mark(today)
    return rti_reminders_send(today)


def rti_daily_all(today: datetime.date | None = None) -> dict[str, int]:
    """``rti_daily`` in every live district, each under its own schema; a district that fails is
    logged and the others still run. Returns {schema name: notifications made}."""
    return each_district(lambda: rti_daily(today), failure="RTI daily work failed")


@db_periodic_task(crontab(hour="6", minute="30"))
def rti_daily_task() -> dict[str, int]:
    """Every morning at 06:30, in every live district: marks deemed refusals, then tells the PIO
    and their supervisor of each reply due in 5 days, due tomorrow or overdue (in-app and e-mail),
    each once per due date."""
    return rti_daily_all()
