"""Uploaded officer files hold personal data (names, mobiles, service numbers): a district keeps them
only as long as its import needs them.

``district_import_files_prune`` runs under the current district and touches only that district's
``imports`` folder (the pipeline's ``import_files_prune`` in the district's scope);
``district_import_files_prune_all`` runs it in every district that has a schema, each under its
own schema (``core.base.districts.each_district``); ``district_import_files_prune_task`` runs that
every night at 03:40.
"""

from __future__ import annotations

from datetime import datetime

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from core.base.districts import WITH_SCHEMA, each_district
from core.org.officer_import import services
from core.org.officer_import.district import DISTRICT
from core.org.officer_import.services import KEEP_UNRUN_DAYS

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
    return each_district(
        lambda: district_import_files_prune(now=now), failure="Import files not pruned", statuses=WITH_SCHEMA
    )


@db_periodic_task(crontab(hour="3", minute="40"))
def district_import_files_prune_task() -> dict[str, int]:
    """Every night at 03:40, in every district with a schema: uploaded officer files not imported
    within a week are deleted (their jobs stay and say so). A district that fails is logged and the
    others still run. Returns {schema name: files removed}."""
    return district_import_files_prune_all()
