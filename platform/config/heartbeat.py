"""The consumer's heartbeat: one key for the whole deployment that the heartbeat task writes
(config.health_tasks) and the probes, ``consumer_alive`` and the metrics read. A module of its own
so that config.health (which serves the metrics) and config.metrics (which report the heartbeat's
age) both import it at the top instead of each other."""

from __future__ import annotations

import logging
import time

from django.core.cache import cache
from django_tenants.utils import schema_context

logger = logging.getLogger("config.health")

HEARTBEAT_KEY = "karyalay:consumer:heartbeat"


def heartbeat_write(now: float | None = None) -> None:
    """Record that a consumer is alive (the heartbeat task, config.health_tasks). One key for the
    whole deployment, kept under the public schema's scope."""
    with schema_context("public"):
        cache.set(HEARTBEAT_KEY, time.time() if now is None else now, timeout=24 * 3600)


def heartbeat_age() -> float | None:
    """Seconds since the last heartbeat; None if there is none (or the cache cannot be read)."""
    try:
        with schema_context("public"):
            beat = cache.get(HEARTBEAT_KEY)
    except Exception:
        logger.warning("heartbeat: the cache could not be read", exc_info=True)
        return None
    return None if beat is None else max(0.0, time.time() - float(beat))
