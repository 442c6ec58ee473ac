"""Uploaded officer files hold personal data (names, mobiles, service numbers): a district keeps them
only as long as its import needs them.

``district_import_files_prune`` runs under the current district and touches only that district's
``imports`` folder (the pipeline's ``import_files_prune`` in the district's scope);
``district_import_files_prune_all`` runs it in every district that has a schema, each inside its
own ``district_context``; ``district_import_files_prune_task`` runs that every night at 03:40.
"""

from __future__ import annotations

import logging
from datetime import datetime

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from core.org.officer_import import services
from core.org.officer_import.district import DISTRICT
from core.org.officer_import.services import KEEP_UNRUN_DAYS
from tenants.context import district_context
from tenants.models import STATUSES_WITH_SCHEMA, District

logger = logging.getLogger(__name__)

__all__ = ["KEEP_UNRUN_DAYS", "district_import_files_prune", "district_import_files_prune_all"]


def district_import_files_prune(*, now: datetime | None = None) -> int:
    """Delete this district's stored files of imports checked or failed more than KEEP_UNRUN_DAYS
    ago, and stray files older than that (``services.import_files_prune``). Returns how many files
    went. Must run under a district's schema (the nightly task; tests): the public schema has no
    imports folder and raises ValueError.
    """
    return services.import_files_prune(scope=DISTRICT, now=now)


def district_import_files_prune_all(*, now: datetime | None = None) -> dict[str, int]:
    """Prune the import files of every district that has a schema, each under its own schema.

    A district whose prune fails is logged and skipped (absent from the result); the others still
    run. Returns {schema name: files removed}. For the nightly task.
    """
    removed: dict[str, int] = {}
    districts = District.objects.filter(status__in=STATUSES_WITH_SCHEMA).order_by("pk")
    for schema_name in districts.values_list("schema_name", flat=True):
        try:
            with district_context(schema_name):
                removed[schema_name] = district_import_files_prune(now=now)
        except Exception:
            logger.exception("Import files not pruned in district %s", schema_name)
    return removed


@db_periodic_task(crontab(hour="3", minute="40"))
def district_import_files_prune_task() -> dict[str, int]:
    """Every night at 03:40, in every district with a schema: uploaded officer files not imported
    within a week are deleted (their jobs stay and say so). A district that fails is logged and the
    others still run. Returns {schema name: files removed}."""
    return district_import_files_prune_all()
