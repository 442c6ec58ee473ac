"""The sealer: chains every district's newly committed audit events within a few seconds.

``core.base.audit.audit_append`` writes events unsealed and takes no lock; ``audit_seal`` chains a
district's unsealed events under that district's lock. This module runs it for every district
with a schema, each under its own ``district_context``, a pass every ``PAUSE_SECONDS``, from the
``audit_seal_task`` periodic task (``core.tasks``), which keeps one huey worker thread busy for
most of each minute. A verification seals before it walks as well, so nothing depends on the task
having run: events that wait for a crashed or stopped consumer are sealed by the next pass.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.db import close_old_connections, connection

from core.base.audit import audit_seal
from core.base.districts import WITH_SCHEMA, each_district

# Between two passes: the longest an event waits for its seal while the consumer runs.
PAUSE_SECONDS = 2.0
# One task's share of each minute; the next minute's task carries on (the consumer's graceful stop
# waits for a running task: keep this below the deploy files' stop grace period).
LOOP_SECONDS = 50.0


def audit_seal_all() -> dict[str, int]:
    """One pass: seal every district that has a schema. A district whose seal fails is logged and
    left out of the result; the others are still sealed. Returns {schema name: events sealed}."""
    return each_district(audit_seal, failure="Audit events not sealed", statuses=WITH_SCHEMA)


def audit_seal_loop(
    *,
    seconds: float = LOOP_SECONDS,
    pause: float = PAUSE_SECONDS,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Seal every district, then again every ``pause`` seconds, until ``seconds`` have passed
    (at least one pass). Returns the number of events sealed in all."""
    started = time.monotonic()
    total = 0
    while True:
        total += sum(audit_seal_all().values())
        if time.monotonic() - started + pause >= seconds:
            return total
        if not connection.in_atomic_block:  # a connection broken during a pass is replaced
            close_old_connections()
        sleep(pause)


__all__ = ["LOOP_SECONDS", "PAUSE_SECONDS", "audit_seal_all", "audit_seal_loop"]
