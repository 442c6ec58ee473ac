"""OCR in the background.

document_ocr_task(schema_name, version_id=...)   # enqueued on commit by ``document_ocr_on_commit``

Imported by ``core.tasks`` (which huey discovers) so that the consumer knows it.
"""

from __future__ import annotations

import logging

from django.db import connection, transaction

from core.efile.services.documents import document_versions_added_register
from core.models import DocumentVersion
from core.ocr.services import document_ocr
from tenants.tasks import district_task

logger = logging.getLogger(__name__)


@district_task()
def document_ocr_task(version_id: int) -> int | None:
    """Runs once an upload or a new version commits, under the district's schema: reads every page
    of the version (``core.ocr.services.document_ocr``). A version that is gone is left alone
    (None); otherwise returns the number of pages written. A page that cannot be read is FAILED
    with its reason, never an exception of the worker."""

    version = DocumentVersion.objects.select_related("document").filter(pk=version_id).first()
    if version is None:
        logger.info("OCR: version %s is gone in %s", version_id, connection.schema_name)
        return None
    return len(document_ocr(version=version))


def document_ocr_on_commit(versions: list[DocumentVersion]) -> None:
    """Enqueue the reading of ``versions`` once the caller's transaction commits (nothing if it
    rolls back). For the upload services, inside their transaction."""
    schema = connection.schema_name
    ids = [version.pk for version in versions]

    def enqueue():
        for version_id in ids:
            document_ocr_task(schema, version_id=version_id)

    transaction.on_commit(enqueue)


def register() -> None:
    """Every version uploaded is read in the background once the upload commits."""
    document_versions_added_register("ocr", document_ocr_on_commit)
