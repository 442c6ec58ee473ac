"""Background work of the case register, each task bound to its district's schema by
``district_task``:

digitisation_batch_run_task(schema_name, batch_id=..., language=...)  # queued on commit by the upload
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from core.cases.services.digitisation.run import digitisation_batch_run
from core.models import DigitisationBatch
from tenants.tasks import district_task


@district_task()
def digitisation_batch_run_task(batch_id: int, language: str | None = None) -> bool:
    """Runs once a batch upload commits, under the district's schema: checks and takes the batch's
    rows (``digitisation_batch_run``), its refusals in ``language`` (the uploader's). A batch that
    is gone or already run is left alone. Returns whether the batch ended DONE."""
    with translation.override(language or settings.LANGUAGE_CODE):
        batch = digitisation_batch_run(batch_id=batch_id)
    return batch is not None and batch.status == DigitisationBatch.Status.DONE
