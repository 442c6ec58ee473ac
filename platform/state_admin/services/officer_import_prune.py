"""Uploaded officer files hold personal data (names, mobiles, service numbers): they are kept only
as long as the import needs them."""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from state_admin.models import ImportJob
from state_admin.services.officer_import import import_dir

logger = logging.getLogger(__name__)

KEEP_UNRUN_DAYS = 7


def import_files_prune(*, now=None) -> int:
    """Delete the stored files of imports checked or failed more than KEEP_UNRUN_DAYS ago, and any
    file under the imports folder that no job names. Returns how many files went. The jobs stay,
    with their row errors; running one asks for the file again."""
    cutoff = (now or timezone.now()) - timedelta(days=KEEP_UNRUN_DAYS)
    folder = import_dir()
    if not folder.is_dir():
        return 0
    stale = ImportJob.objects.filter(
        status__in=(ImportJob.Status.PREVIEWED, ImportJob.Status.FAILED), created_at__lt=cutoff
    ).exclude(stored_name="")
    removed = 0
    pruned: set[str] = set()  # deleted on commit: not strays, even while still on disk
    for job in stale:
        with transaction.atomic():
            locked = ImportJob.objects.select_for_update().get(pk=job.pk)
            if locked.status not in (ImportJob.Status.PREVIEWED, ImportJob.Status.FAILED):
                continue
            path = folder / locked.stored_name
            pruned.add(locked.stored_name)
            locked.stored_name = ""
            locked.message = _("The file was removed %(days)d days after it was checked.") % {
                "days": KEEP_UNRUN_DAYS
            }
            locked.save(update_fields=["stored_name", "message"])
            transaction.on_commit(lambda path=path: path.unlink(missing_ok=True))
            removed += 1
    named = set(ImportJob.objects.exclude(stored_name="").values_list("stored_name", flat=True))
    for path in folder.iterdir():
        if (
            path.is_file()
            and path.name not in named
            and path.name not in pruned
            and path.stat().st_mtime < cutoff.timestamp()
        ):
            logger.info("Removing an import file no job names: %s", path.name)
            path.unlink(missing_ok=True)
            removed += 1
    return removed
