"""Background work of letters between districts. Each task names its district and runs under it.

The chain on commit: ``letter_send`` → relay (sender) → delivery (receiver) → relay of the status
(receiver) → delivery of the status (sender). ``letters_sweep_task`` reruns both steps for every
live district each minute, so a step lost to a crash or a full queue is finished within a minute.
"""

from __future__ import annotations

import logging

from django.db import transaction
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from tenants.context import district_context
from tenants.models import District, ExchangeMessage
from tenants.tasks import district_task

logger = logging.getLogger(__name__)


def letters_relay_on_commit(schema_name: str) -> None:
    transaction.on_commit(lambda: letters_relay_task(schema_name))


@district_task(retries=3, retry_delay=5)
def letters_relay_task() -> int:
    """Relay this district's outbox to the public exchange, then wake each receiver's delivery."""
    from core.letters.relay import outbox_relay

    woken = outbox_relay()
    for schema in woken:
        letters_deliver_task(schema)
    return len(woken)


@district_task(retries=3, retry_delay=5)
def letters_deliver_task() -> int:
    """Deliver the public messages addressed to this district, then relay its status replies."""
    from core.letters.relay import deliver_pending

    delivered, own = deliver_pending()
    for schema in own:
        letters_relay_task(schema)
    return delivered


def letters_sweep() -> dict[str, int]:
    """Both steps, here and now (the periodic task and the tests): the relay in every live
    district (an indexed look at its unrelayed outbox rows), the delivery only in districts that
    the public exchange holds undelivered messages for (one public query)."""
    from core.letters.relay import deliver_pending, outbox_relay

    done = {"relayed": 0, "delivered": 0}
    live = District.objects.filter(status=District.Status.LIVE)
    schemas = list(live.values_list("schema_name", flat=True))
    for _round in range(2):  # letters, then the statuses their delivery queued
        for schema in schemas:
            try:
                with district_context(schema):
                    done["relayed"] += len(outbox_relay())
            except Exception:
                logger.exception("Letters relay failed in %s", schema)
        waiting = (
            ExchangeMessage.objects.filter(delivered_at__isnull=True, to_district__in=live)
            .values_list("to_district__schema_name", flat=True)
            .distinct()
        )
        for schema in list(waiting):
            try:
                with district_context(schema):
                    done["delivered"] += deliver_pending()[0]
            except Exception:
                logger.exception("Letters delivery failed in %s", schema)
    return done


@db_periodic_task(crontab(minute="*"))
def letters_sweep_task() -> dict[str, int]:
    """Every minute: finish any relay or delivery that a crash or a lost task left undone."""
    return letters_sweep()


@db_periodic_task(crontab(minute="*/10"))
def letters_directory_task() -> int:
    """Every 10 minutes: each live district publishes its offices to the public directory."""
    from core.letters.directory import directory_publish

    count = 0
    for schema in District.objects.filter(status=District.Status.LIVE).values_list("schema_name", flat=True):
        try:
            with district_context(schema):
                count += directory_publish()
        except Exception:
            logger.exception("Directory publish failed in %s", schema)
    return count
