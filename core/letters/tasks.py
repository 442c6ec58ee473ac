"""Background work of letters between districts. Each task names its district and runs under it.

The chain on commit: ``letter_send`` → relay (sender) → delivery (receiver) → relay of the status
(receiver) → delivery of the status (sender). ``letters_sweep_task`` reruns both steps for every
live district each minute, so a step lost to a crash or a full queue is finished within a minute.
"""

from __future__ import annotations

from django.db import transaction
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from core.base.districts import each_district
from core.letters.directory import directory_publish
from core.letters.relay import deliver_pending, outbox_relay
from tenants.models import District, ExchangeMessage
from tenants.tasks import district_task


def letters_relay_on_commit(schema_name: str) -> None:
    transaction.on_commit(lambda: letters_relay_task(schema_name))


@district_task(retries=3, retry_delay=5)
def letters_relay_task() -> int:
    """Relay this district's outbox to the public exchange, then wake each receiver's delivery."""

    woken = outbox_relay()
    for schema in woken:
        letters_deliver_task(schema)
    return len(woken)


@district_task(retries=3, retry_delay=5)
def letters_deliver_task() -> int:
    """Deliver the public messages addressed to this district, then relay its status replies."""

    delivered, own = deliver_pending()
    for schema in own:
        letters_relay_task(schema)
    return delivered


def letters_sweep() -> dict[str, int]:
    """Both steps, here and now (the periodic task and the tests): the relay in every live
    district (an indexed look at its unrelayed outbox rows), the delivery only in districts that
    the public exchange holds undelivered messages for (one public query)."""

    done = {"relayed": 0, "delivered": 0}
    live = District.objects.filter(status=District.Status.LIVE)
    schemas = list(live.values_list("schema_name", flat=True))
    for _round in range(2):  # letters, then the statuses their delivery queued
        relayed = each_district(outbox_relay, failure="Letters relay failed", schemas=schemas)
        done["relayed"] += sum(len(rows) for rows in relayed.values())
        waiting = (
            ExchangeMessage.objects.filter(delivered_at__isnull=True, to_district__in=live)
            .values_list("to_district__schema_name", flat=True)
            .distinct()
        )
        delivered = each_district(deliver_pending, failure="Letters delivery failed", schemas=list(waiting))
        done["delivered"] += sum(counts[0] for counts in delivered.values())
    return done


@db_periodic_task(crontab(minute="*"))
def letters_sweep_task() -> dict[str, int]:
    """Every minute: finish any relay or delivery that a crash or a lost task left undone."""
    return letters_sweep()


@db_periodic_task(crontab(minute="*/10"))
def letters_directory_task() -> int:
    """Every 10 minutes: each live district publishes its offices to the public directory."""

    return sum(each_district(directory_publish, failure="Directory publish failed").values())
