"""The expiry of unfinished resumable uploads."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from core.base.districts import WITH_SCHEMA, each_district
from core.uploads.partials import partials_expire


def partials_expire_all() -> dict[str, int]:
    """``partials_expire`` in every district with a schema, each under its own schema; a district
    that fails is logged and the others still run. Returns {schema name: uploads removed}."""
    return each_district(partials_expire, failure="Expiring resumable uploads failed", statuses=WITH_SCHEMA)


@db_periodic_task(crontab(minute="17"))
def resumable_expire_task() -> dict[str, int]:
    """Every hour at :17, in every district with a schema: resumable uploads begun more than 24 h
    ago and not yet used by a form are removed with their bytes (``core.uploads.partials``).
    Returns {schema name: uploads removed}."""
    return partials_expire_all()
