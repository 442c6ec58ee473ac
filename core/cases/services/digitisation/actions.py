"""Old-case digitisation: batches of scans matched to cases by a CSV manifest, the quality check by a
second person, and per-thana targets. Every write here is atomic and audited in its transaction.

A batch is a zip of scans and a CSV manifest (``MANIFEST_COLUMNS``; ``title`` optional), one row per
scan. ``digitisation_batch_upload`` refuses at once a zip that cannot be read and a manifest that is
not CSV or lacks a column, and a zip that could be a zip bomb (nothing is stored then; ``manifest``
reads the manifest, ``archive`` the zip); it stores both files in the district's storage and
queues ``core.cases.tasks.digitisation_batch_run_task`` on commit. The task's body,
``digitisation_batch_run``, is in ``run``.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.base.access import office_sight_post_id
from core.base.actors import actor_viewer, as_post
from core.base.audit import Actor, audit_append
from core.base.storage import placement, stored_name_new
from core.base.text import clean_text
from core.base.uploads.limits import too_large_message, upload_limit_bytes
from core.cases.selectors.digitisation import digitisation_thanas, target_post_id
from core.cases.selectors.papers import case_papers_post
from core.cases.services.digitisation.archive import zip_open
from core.cases.services.digitisation.manifest import (
    MANIFEST_COLUMNS,
    MANIFEST_MAX_BYTES,
    manifest_rows,
    upload_name,
    upload_temp_copy,
)
from core.cases.services.digitisation.run import case_digitised_record, digitisation_batch_run, report_reason
from core.cases.tasks import digitisation_batch_run_task
from core.models import Case, CaseDigitisation, DigitisationBatch, DigitisationTarget, Office

TARGET_MAX = 1_000_000
REMARKS_MAX = 2000
S = CaseDigitisation.Status


# Uploading a batch, and its task.


@transaction.atomic
def digitisation_batch_upload(*, actor: Actor, zip_upload, manifest_upload) -> DigitisationBatch:
    """Store a batch of old case papers (a zip of scans and its CSV manifest) and queue its run.

    Called by whoever keeps the case register of a thana (a post in it, or supervising it); each
    row is later matched only to cases the uploader may see. Refuses, storing nothing, a zip that
    cannot be read, is locked or too large, and a manifest that is not CSV or lacks a column.
    Both files are kept under the district's storage, named by the batch (the nightly sweep keeps
    them); ``digitisation_batch_run_task`` starts once this commits."""
    viewer = actor_viewer(actor) if actor.person else None
    post_id = office_sight_post_id(viewer, None) if viewer else None
    if post_id is None or not digitisation_thanas(viewer).exists():
        raise ValidationError(_("You keep no thana's case register, so you cannot upload old case papers."))
    if zip_upload is None or manifest_upload is None:
        raise ValidationError(_("Choose the zip file of scans and its manifest."))
    if (zip_upload.size or 0) > upload_limit_bytes():
        raise ValidationError({"zip": [too_large_message(upload_name(zip_upload, "scans.zip"))]})
    if (manifest_upload.size or 0) > MANIFEST_MAX_BYTES:
        raise ValidationError({"manifest": [_("The manifest is too large: keep it under 2 MB.")]})
    manifest_upload.seek(0)
    rows = manifest_rows(manifest_upload.read())
    copies: list[tuple[Path, bool]] = []
    try:
        copies.append(upload_temp_copy(zip_upload))
        zip_open(copies[0][0]).close()
        copies.append(upload_temp_copy(manifest_upload))
        with placement() as placed:
            zip_stored, manifest_stored = stored_name_new(), stored_name_new()
            placed.move(copies[0][0], zip_stored)
            placed.move(copies[1][0], manifest_stored)
            batch = DigitisationBatch.objects.create(
                zip_stored=zip_stored,
                zip_name=upload_name(zip_upload, "scans.zip"),
                manifest_stored=manifest_stored,
                manifest_name=upload_name(manifest_upload, "manifest.csv"),
                rows_total=len(rows),
                created_by=actor.person,
                created_post_id=post_id,
            )
            audit_append(
                actor=as_post(actor, post_id),
                action="digitisation.batch_upload",
                target=batch,
                summary=f"{batch.zip_name} + {batch.manifest_name}",
                details={"zip": batch.zip_name, "manifest": batch.manifest_name, "rows": len(rows)},
            )
    finally:
        for path, owned in copies:
            if owned:
                path.unlink(missing_ok=True)
    schema, language = connection.schema_name, translation.get_language() or settings.LANGUAGE_CODE
    transaction.on_commit(lambda: digitisation_batch_run_task(schema, batch_id=batch.pk, language=language))
    return batch


# The quality check, by a second person.


def _waiting(actor: Actor, case: Case) -> tuple[CaseDigitisation, int]:
    _locked, post = case_papers_post(actor, case)
    row = CaseDigitisation.objects.select_for_update().filter(case=case).first()
    if row is None or row.status != S.DIGITISED:
        raise ValidationError(_("This case is not waiting for a check."), code="not_waiting")
    if row.digitised_by_id == actor.person.pk:
        raise ValidationError(
            _("A second person must check a case: you digitised this one."), code="same_person"
        )
    return row, post.pk


def _checked(actor: Actor, case: Case, *, status: str, remarks: str, action: str) -> CaseDigitisation:
    row, post_id = _waiting(actor, case)
    row.status, row.remarks = status, remarks
    row.checked_by, row.checked_post_id, row.checked_at = actor.person, post_id, timezone.now()
    row.save(update_fields=["status", "remarks", "checked_by", "checked_post", "checked_at"])
    audit_append(
        actor=as_post(actor, post_id),
        action=action,
        target=case,
        summary=case.label,
        details={"remarks": remarks, "digitised_by": row.digitised_by_id},
    )
    return row


@transaction.atomic
def case_digitisation_check(*, actor: Actor, case: Case, remarks: str = "") -> CaseDigitisation:
    """Mark a digitised case checked. Called by whoever may see the case, other than the person who
    digitised it; refused unless the case is waiting for a check."""
    remarks = clean_text(remarks, field="remarks", required=False, max_length=REMARKS_MAX)
    return _checked(actor, case, status=S.CHECKED, remarks=remarks, action="case.digitisation_check")


@transaction.atomic
def case_digitisation_send_back(*, actor: Actor, case: Case, remarks: str) -> CaseDigitisation:
    """Send a digitised case back with a remark saying what is wrong (required); it counts as
    digitised again once new papers are taken for it. Called as ``case_digitisation_check``."""
    remarks = clean_text(remarks, field="remarks", required=True, max_length=REMARKS_MAX)
    return _checked(actor, case, status=S.SENT_BACK, remarks=remarks, action="case.digitisation_send_back")


@transaction.atomic
def case_digitisation_mark(*, actor: Actor, case: Case) -> CaseDigitisation:
    """Mark a case's papers digitised by hand (uploaded on the case page, say after a send-back):
    it waits for a check again. Called by whoever may see the case; refused for a case with no
    papers or one already waiting for a check."""
    _locked, post = case_papers_post(actor, case, lock=True)
    if not case.documents.exists():
        raise ValidationError(_("Upload the case's papers first."), code="no_papers")
    if CaseDigitisation.objects.filter(case=case, status=S.DIGITISED).exists():
        raise ValidationError(_("This case is already waiting for a check."), code="already_waiting")
    case_digitised_record(actor=actor, case=case, post_id=post.pk, batch=None)
    return CaseDigitisation.objects.get(case=case)


# Targets.


@transaction.atomic
def digitisation_target_set(*, actor: Actor, thana: Office, target: int) -> DigitisationTarget:
    """Set how many old cases of a thana are to be digitised. Called by a supervisor over the
    thana (the SDPO of its sub-division, the inspector of its circle) or the SP / Addl. SP; not
    by the thana's own officers. Refuses a number outside 1 to ``TARGET_MAX`` and no change."""
    post_id = target_post_id(actor_viewer(actor), thana) if actor.person else None
    if thana.kind != Office.Kind.THANA or post_id is None:
        raise ValidationError(_("You may not set the target of this office."), code="not_your_thana")
    if not 1 <= target <= TARGET_MAX:
        raise ValidationError({"target": [_("Give a number from 1 to %(max)d.") % {"max": TARGET_MAX}]})
    # The thana's row is locked first: with no target yet there is no target row to lock, and two
    # first settings at once would both insert one.
    Office.objects.select_for_update().filter(pk=thana.pk).first()
    row = DigitisationTarget.objects.select_for_update().filter(office=thana).first()
    before = row.target if row else None
    if before == target:
        raise ValidationError(_("Nothing was changed."), code="unchanged")
    if row is None:
        row = DigitisationTarget(office=thana, target=target, set_by=actor.person)
    row.target, row.set_by, row.set_at = target, actor.person, timezone.now()
    row.save()
    audit_append(
        actor=as_post(actor, post_id),
        action="digitisation.target_set",
        target=row,
        summary=f"{thana.name}: {before} → {target}",
        details={"office": thana.pk, "from": before, "to": target},
    )
    return row


@transaction.atomic
def digitisation_read_record(*, actor: Actor, action: str, batch: DigitisationBatch | None = None) -> None:
    """Record that the actor read a digitisation page or report (``action``: ``…view`` or
    ``…report_download``). Called by the views after the permission check."""
    audit_append(
        actor=actor,
        action=action,
        target=batch,
        target_type="" if batch else "digitisation",
        summary=batch.zip_name if batch else "",
    )


# Where callers have always found them (the views, the forms, the tests, the demo).
__all__ = [
    "MANIFEST_COLUMNS",
    "REMARKS_MAX",
    "TARGET_MAX",
    "case_digitisation_check",
    "case_digitisation_mark",
    "case_digitisation_send_back",
    "digitisation_batch_run",
    "digitisation_batch_upload",
    "digitisation_read_record",
    "digitisation_target_set",
    "manifest_rows",
    "report_reason",
]
