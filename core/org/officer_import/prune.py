"""Uploaded officer files hold personal data (names, mobiles, service numbers): a district keeps them
only as long as its import needs them.

``district_import_files_prune`` runs under the current district and touches only that district's
``imports`` folder; ``district_import_files_prune_all`` (the nightly task's body) runs it in every
district that has a schema, each inside its own ``district_context``.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_append
from core.models import OfficerImport
from core.org.officer_import.district import import_dir
from tenants.context import district_context
from tenants.models import STATUSES_WITH_SCHEMA, District

logger = logging.getLogger(__name__)

KEEP_UNRUN_DAYS = 7
PRUNABLE = (OfficerImport.Status.PREVIEWED, OfficerImport.Status.FAILED)


def district_import_files_prune(*, now: datetime | None = None) -> int:
    """Delete this district's stored files of imports checked or failed more than KEEP_UNRUN_DAYS ago,
    and any file in its imports folder that no job names and that is older than that. Returns how
    many files went.

    The jobs stay, with their row errors: their ``stored_name`` is cleared and their message says
    the file was removed (audited as ``officer_import.prune``, by the system); running one asks for
    the file again. A file goes only once its job's row has committed. Queued, running and done jobs
    are left alone. Must run under a district's schema (the nightly task; tests).
    """
    cutoff = (now or timezone.now()) - timedelta(days=KEEP_UNRUN_DAYS)
    folder = import_dir(connection.schema_name)  # refuses the public schema
    if not folder.is_dir():
        return 0
    stale = (
        OfficerImport.objects.filter(status__in=PRUNABLE, created_at__lt=cutoff)
        .exclude(stored_name="")
        .values_list("pk", flat=True)
    )
    pruned: list[str] = []
    for job_id in list(stale):
        with transaction.atomic():
            job = OfficerImport.objects.select_for_update().defer("errors").filter(pk=job_id).first()
            if job is None or job.status not in PRUNABLE or not job.stored_name:
                continue  # started, or pruned, since the list was read
            path = folder / job.stored_name
            message = _("The file was removed %(days)d days after it was checked.") % {
                "days": KEEP_UNRUN_DAYS
            }
            OfficerImport.objects.filter(pk=job.pk).update(stored_name="", message=message)
            audit_append(
                actor=None,
                action="officer_import.prune",
                target=job,
                summary=job.filename,
                details={"days": KEEP_UNRUN_DAYS},
            )
            transaction.on_commit(lambda path=path: path.unlink(missing_ok=True))
            pruned.append(path.name)
    removed = len(pruned)
    # Files of the jobs just pruned go on commit, which may be later when a caller holds a transaction.
    named = set(OfficerImport.objects.exclude(stored_name="").values_list("stored_name", flat=True))
    named.update(pruned)
    for path in folder.iterdir():
        if path.is_file() and path.name not in named and path.stat().st_mtime < cutoff.timestamp():
            logger.info("Removing an import file no job names: %s/%s", connection.schema_name, path.name)
            path.unlink(missing_ok=True)
            removed += 1
    return removed


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
