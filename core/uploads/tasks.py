"""The expiry of unfinished resumable uploads."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from core.uploads.partials import partials_expire
from tenants.context import district_context
from tenants.models import STATUSES_WITH_SCHEMA, District

logger = logging.getLogger(__name__)


def partials_expire_all() -> dict[str, int]:
    """``partials_expire`` in every district with a schema, each under its own schema; a district
    that fails is logged and the others still run. Returns {schema name: uploads removed}."""
    results = {}
    for schema_name in District.objects.filter(status__in=STATUSES_WITH_SCHEMA).values_list(
        "schema_name", flat=True
    ):
        try:
            with district_context(schema_name):
                results[schema_name] = partials_expire()
        except Exception:
            logger.exception("Expiring resumable uploads failed in %s", schema_name)
    return results


@db_periodic_task(crontab(minute="17"))
def resumable_expire_task() -> dict[str, int]:
    """Every hour at :17, in every district with a schema: resumable uploads begun more than 24 h
    ago and not yet used by a form are removed with their bytes (``core.uploads.partials``).
    Returns {schema name: uploads removed}."""
    return partials_expire_all()
