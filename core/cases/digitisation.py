"""Old-case digitisation: batches of scans matched to cases by a CSV manifest, the quality check by a
second person, and per-thana targets. Every write here is atomic and audited in its transaction.

A batch is a zip of scans and a CSV manifest (``MANIFEST_COLUMNS``; ``title`` optional), one row per
scan. ``digitisation_batch_upload`` refuses at once a zip that cannot be read and a manifest that is
not CSV or lacks a column (nothing is stored then); it stores both files in the district's storage
and queues ``digitisation_batch_run_task`` on commit. The task (``digitisation_batch_run``) first
tests every member of the zip (a damaged member ends the batch FAILED before any row is taken), then
takes each row in its own transaction, through the same checks and storage as any upload
(``document_upload(case=…)``): a Document on the case and its ``CaseDigitisation`` back to
DIGITISED. A row that cannot be taken goes to ``report`` with its number and the reason; rows done
are counted as it goes, for the batch page.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import uuid
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import Actor, audit_append
from core.cases.access import cases_visible
from core.cases.papers import case_papers_post, digitisation_thanas, target_post_id
from core.cases.services import FIR_MAX, FIRST_YEAR
from core.efile.access import office_sight_post_id, viewer_for
from core.efile.services.common import actor_viewer, as_post, clean_text
from core.efile.services.documents import document_upload
from core.efile.storage import placement, stored_name_new, stored_path, temp_dir
from core.efile.uploads import too_large_message, upload_limit_bytes
from core.models import Case, CaseDigitisation, DigitisationBatch, DigitisationTarget, Office
from tenants.tasks import district_task

logger = logging.getLogger(__name__)

MANIFEST_COLUMNS = ("thana_code", "year", "fir_number", "file")
OPTIONAL_COLUMNS = ("title",)
MANIFEST_MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_ZIP_MEMBERS = 10000
TARGET_MAX = 1_000_000
REMARKS_MAX = 2000
REPORT_EVERY = 25  # rows between two saves of the report while a batch runs
S = CaseDigitisation.Status

# Why a row was not taken: stored as a code and its values, shown in the reader's language.
REASONS = {
    "unknown_thana": gettext_lazy("No thana has the code %(thana_code)s."),
    "bad_number": gettext_lazy(
        "The year must be a year from %(first)d to %(last)d and the FIR number a number from 1 to %(max)d."
    ),
    "unknown_case": gettext_lazy(
        "Case %(fir_number)s/%(year)s of this thana is not in the register, or you may not see it."
    ),
    "duplicate": gettext_lazy("The same file for the same case as row %(row)d."),
    "no_file": gettext_lazy("The zip file holds no file named %(file)s."),
    "damaged": gettext_lazy("%(file)s is damaged inside the zip file."),
}
# Any other code ("refused": the upload checks' own words) keeps the text it was given.


def report_reason(entry: dict) -> str:
    """The reason a report row gives, in the current language."""
    reason = REASONS.get(entry.get("code"))
    try:
        return str(reason) % entry.get("params", {}) if reason else str(entry.get("detail", ""))
    except (KeyError, TypeError, ValueError):
        return str(entry.get("detail", ""))


# Reading the two files.


def manifest_rows(data: bytes) -> list[tuple[int, dict[str, str]]]:
    """The manifest's rows as (line number, {column: value}), the header being line 1. Refuses
    (``manifest`` error) what is not a UTF-8 CSV, lacks a column, has no rows or too many."""
    not_csv = ValidationError({"manifest": [_("The manifest is not a CSV file in UTF-8.")]})
    if len(data) > MANIFEST_MAX_BYTES:
        raise ValidationError({"manifest": [_("The manifest is too large: keep it under 2 MB.")]})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise not_csv from None
    if "\x00" in text:
        raise not_csv
    try:
        table = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        raise not_csv from None
    if not table:
        raise ValidationError({"manifest": [_("The manifest is empty.")]})
    header = [cell.strip().lower() for cell in table[0]]
    missing = [column for column in MANIFEST_COLUMNS if column not in header]
    if missing:
        raise ValidationError(
            {
                "manifest": [
                    _("The manifest lacks the columns: %(columns)s.") % {"columns": ", ".join(missing)}
                ]
            }
        )
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        row = {column: "" for column in (*MANIFEST_COLUMNS, *OPTIONAL_COLUMNS)}
        row |= {column: cell.strip() for column, cell in zip(header, cells, strict=False) if column in row}
        rows.append((number, row))
    if not rows:
        raise ValidationError({"manifest": [_("The manifest has no rows.")]})
    if len(rows) > MAX_ROWS:
        raise ValidationError({"manifest": [_("A manifest may have at most %(n)d rows.") % {"n": MAX_ROWS}]})
    return rows


def _zip_open(path: Path) -> zipfile.ZipFile:
    """The zip, its directory read; refuses (``zip`` error) what is not one, or is locked."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise ValidationError({"zip": [_("The zip file is damaged or is not a zip file.")]}) from None
    members = [info for info in archive.infolist() if not info.is_dir()]
    problem = None
    if not members:
        problem = _("The zip file holds no files.")
    elif len(members) > MAX_ZIP_MEMBERS:
        problem = _("A zip file may hold at most %(n)d files.") % {"n": MAX_ZIP_MEMBERS}
    elif any(info.flag_bits & 0x1 for info in members):
        problem = _("The zip file is protected by a password; upload it without one.")
    if problem:
        archive.close()
        raise ValidationError({"zip": [problem]})
    return archive


def _member_name(name: str) -> str:
    name = name.replace("\\", "/").strip()
    while name.startswith("./"):
        name = name[2:]
    return name.lstrip("/")


def _members(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """The zip's files by their path, and by their bare name where only one file has it."""
    by_path = {_member_name(info.filename): info for info in archive.infolist() if not info.is_dir()}
    by_base: dict[str, list[zipfile.ZipInfo]] = {}
    for name, info in by_path.items():
        by_base.setdefault(PurePosixPath(name).name, []).append(info)
    return {name: infos[0] for name, infos in by_base.items() if len(infos) == 1} | by_path


class _Extracted(File):
    """A scan taken out of the zip into the district's temporary folder, hashed on the way: the
    document service takes it as it takes a streamed upload (moved into storage, not copied)."""

    def __init__(self, path: Path, name: str, size: int, sha256: str):
        super().__init__(None, name)
        self.path, self.size, self.sha256 = path, size, sha256

    def temporary_file_path(self) -> str:
        return str(self.path)


def _extract(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> _Extracted | None:
    """The member as a temporary file, or None if it is larger than ``limit`` (its header may
    lie: the bytes are counted)."""
    target = temp_dir() / f"{uuid.uuid4().hex}.scan"
    digest, size = hashlib.sha256(), 0
    try:
        with archive.open(info) as source, target.open("wb") as out:
            while chunk := source.read(1 << 20):
                size += len(chunk)
                if size > limit:
                    target.unlink(missing_ok=True)
                    return None
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return _Extracted(target, PurePosixPath(_member_name(info.filename)).name, size, digest.hexdigest())


# Uploading a batch.


def _temp_copy(upload) -> tuple[Path, bool]:
    """The upload as a file in the district's temporary folder (owned: a copy made here)."""
    folder = temp_dir()
    path = getattr(upload, "temporary_file_path", None)
    if path and Path(path()).parent == folder:
        return Path(path()), False
    target = folder / f"{uuid.uuid4().hex}.copy"
    upload.seek(0)
    try:
        with target.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return target, True


def _upload_name(upload, fallback: str) -> str:
    name = PurePosixPath(str(getattr(upload, "name", "") or "").replace("\\", "/")).name
    return "".join(ch for ch in name if ch.isprintable())[:255] or fallback


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
        raise ValidationError({"zip": [too_large_message(_upload_name(zip_upload, "scans.zip"))]})
    if (manifest_upload.size or 0) > MANIFEST_MAX_BYTES:
        raise ValidationError({"manifest": [_("The manifest is too large: keep it under 2 MB.")]})
    manifest_upload.seek(0)
    rows = manifest_rows(manifest_upload.read())
    copies: list[tuple[Path, bool]] = []
    try:
        copies.append(_temp_copy(zip_upload))
        _zip_open(copies[0][0]).close()
        copies.append(_temp_copy(manifest_upload))
        with placement() as placed:
            zip_stored, manifest_stored = stored_name_new(), stored_name_new()
            placed.move(copies[0][0], zip_stored)
            placed.move(copies[1][0], manifest_stored)
            batch = DigitisationBatch.objects.create(
                zip_stored=zip_stored,
                zip_name=_upload_name(zip_upload, "scans.zip"),
                manifest_stored=manifest_stored,
                manifest_name=_upload_name(manifest_upload, "manifest.csv"),
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


# Running a batch (the task's body).


def _save(batch: DigitisationBatch, **changes) -> None:
    DigitisationBatch.objects.filter(pk=batch.pk).update(**changes)
    for name, value in changes.items():
        setattr(batch, name, value)


@transaction.atomic
def _finish(batch: DigitisationBatch, *, status: str, error: str = "") -> None:
    _save(batch, status=status, error=error, report=batch.report, finished_at=timezone.now())
    audit_append(
        actor=None,
        action="digitisation.batch_fail"
        if status == DigitisationBatch.Status.FAILED
        else "digitisation.batch_done",
        target=batch,
        summary=f"{batch.zip_name}: {batch.rows_taken}/{batch.rows_total}",
        details={
            "rows": batch.rows_total,
            "taken": batch.rows_taken,
            "not_taken": len(batch.report),
            "documents": batch.documents_added,
            "error": error,
        },
    )


def _digitised(*, actor: Actor, case: Case, post_id: int, batch: DigitisationBatch | None) -> None:
    """The case's digitisation row, new or back to DIGITISED (after a send-back or a check: new
    papers wait for a check again); audited when it changes."""
    row = CaseDigitisation.objects.select_for_update().filter(case=case).first()
    before = row.status if row else None
    if row is None:
        row = CaseDigitisation(case=case)
    elif row.status == S.DIGITISED:
        return
    row.status, row.batch = S.DIGITISED, batch
    row.digitised_by, row.digitised_post_id, row.digitised_at = actor.person, post_id, timezone.now()
    row.checked_by = row.checked_post = row.checked_at = None
    row.save()
    audit_append(
        actor=as_post(actor, post_id),
        action="case.digitise",
        target=case,
        summary=case.label,
        details={"from": before, "batch": batch.pk if batch else None},
    )


class _Row:
    """One manifest row as the run checks it."""

    def __init__(self, number: int, values: dict[str, str]):
        self.number, self.values = number, values

    def refused(self, code: str, **params) -> dict:
        entry = {"row": self.number, **{key: self.values[key] for key in MANIFEST_COLUMNS}}
        entry |= {"code": code, "params": params, "detail": params.get("detail", "")}
        entry["detail"] = report_reason(entry)
        return entry


def _thana_codes() -> dict[str, Office]:
    """Thanas by code, and by short code where only one thana has it (lower case)."""
    thanas = list(Office.objects.filter(kind=Office.Kind.THANA))
    abbrs: dict[str, list[Office]] = {}
    for thana in thanas:
        if thana.abbr:
            abbrs.setdefault(thana.abbr.lower(), []).append(thana)
    return {abbr: found[0] for abbr, found in abbrs.items() if len(found) == 1} | {
        thana.code.lower(): thana for thana in thanas
    }


class _Run:
    def __init__(self, batch: DigitisationBatch, archive: zipfile.ZipFile):
        self.batch, self.archive = batch, archive
        self.actor = Actor(person=batch.created_by)
        self.visible = cases_visible(viewer_for(batch.created_by))
        self.thanas, self.members = _thana_codes(), _members(archive)
        self.seen: dict[tuple[int, str], int] = {}
        self.limit = upload_limit_bytes()

    def _case(self, row: _Row) -> Case | dict:
        thana = self.thanas.get(row.values["thana_code"].lower())
        if thana is None:
            return row.refused("unknown_thana", thana_code=row.values["thana_code"])
        try:
            year, number = int(row.values["year"]), int(row.values["fir_number"])
        except ValueError:
            year = number = 0
        if not (FIRST_YEAR <= year <= timezone.localdate().year and 1 <= number <= FIR_MAX):
            return row.refused("bad_number", first=FIRST_YEAR, last=timezone.localdate().year, max=FIR_MAX)
        case = self.visible.select_related("thana").filter(thana=thana, year=year, fir_number=number).first()
        if case is None:
            return row.refused("unknown_case", fir_number=number, year=year)
        return case

    def take(self, row: _Row) -> dict | None:
        """Take the row (None) or say why not (a report entry)."""
        case = self._case(row)
        if isinstance(case, dict):
            return case
        name = _member_name(row.values["file"])
        first = self.seen.setdefault((case.pk, name), row.number)
        if first != row.number:
            return row.refused("duplicate", row=first)
        info = self.members.get(name) if name else None
        if info is None:
            return row.refused("no_file", file=row.values["file"])
        try:
            scan = _extract(self.archive, info, self.limit) if info.file_size <= self.limit else None
        except (zipfile.BadZipFile, zlib.error, EOFError):
            return row.refused("damaged", file=row.values["file"])
        if scan is None:
            return row.refused("refused", detail=too_large_message(PurePosixPath(name).name))
        try:
            with transaction.atomic():
                _locked, post = case_papers_post(self.actor, case, lock=True)
                _digitised(actor=self.actor, case=case, post_id=post.pk, batch=self.batch)
                document_upload(actor=self.actor, case=case, uploads=[scan], title=row.values["title"])
        except ValidationError as error:
            return row.refused("refused", detail=" ".join(error.messages))
        finally:
            scan.path.unlink(missing_ok=True)  # moved into storage if taken
        return None


def _start(batch_id: int) -> DigitisationBatch | None:
    with transaction.atomic():
        batch = (
            DigitisationBatch.objects.select_for_update()
            .select_related("created_by")
            .filter(pk=batch_id, status=DigitisationBatch.Status.QUEUED)
            .first()
        )
        if batch is not None:
            _save(batch, status=DigitisationBatch.Status.RUNNING, started_at=timezone.now())
    return batch


def digitisation_batch_run(*, batch_id: int) -> DigitisationBatch | None:
    """Check and take a queued batch row by row (the task's body; runs under the district's
    schema). A batch that is gone or not waiting is left alone (None), so a repeated task does
    nothing. A zip with a damaged member, or files that are gone, end it FAILED before any row is
    taken; each row is taken whole or not at all, and the report lists each row not taken."""
    batch = _start(batch_id)
    if batch is None:
        return None
    try:
        rows = manifest_rows(stored_path(batch.manifest_stored).read_bytes())
        archive = _zip_open(stored_path(batch.zip_stored))
        try:
            bad = archive.testzip()
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
            bad = "?"
        if bad is not None:
            archive.close()
            raise ValidationError(_("The zip file is damaged (%(name)s); no row was taken.") % {"name": bad})
    except (ValidationError, OSError) as error:
        message = (
            " ".join(error.messages)
            if isinstance(error, ValidationError)
            else _("The stored files are gone.")
        )
        _finish(batch, status=DigitisationBatch.Status.FAILED, error=message)
        return batch
    _save(batch, rows_total=len(rows), rows_done=0, rows_taken=0, documents_added=0, report=[])
    try:
        with archive:
            run = _Run(batch, archive)
            for count, (number, values) in enumerate(rows, start=1):
                refused = run.take(_Row(number, values))
                if refused is not None:
                    batch.report.append(refused)
                taken = batch.rows_taken + (refused is None)
                changes = {"rows_done": count, "rows_taken": taken, "documents_added": taken}
                if count % REPORT_EVERY == 0:
                    changes["report"] = batch.report
                _save(batch, **changes)
    except Exception:  # a disk or database failure: the rows taken so far are whole, and kept
        logger.exception("Digitisation batch %s failed in %s", batch.pk, connection.schema_name)
        _finish(
            batch,
            status=DigitisationBatch.Status.FAILED,
            error=_("The batch stopped on an unexpected error."),
        )
        return batch
    _finish(batch, status=DigitisationBatch.Status.DONE)
    return batch


@district_task()
def digitisation_batch_run_task(batch_id: int, language: str | None = None) -> bool:
    """Runs once a batch upload commits, under the district's schema: checks and takes the batch's
    rows (``digitisation_batch_run``), its refusals in ``language`` (the uploader's). A batch that
    is gone or already run is left alone. Returns whether the batch ended DONE."""
    with translation.override(language or settings.LANGUAGE_CODE):
        batch = digitisation_batch_run(batch_id=batch_id)
    return batch is not None and batch.status == DigitisationBatch.Status.DONE


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
    _digitised(actor=actor, case=case, post_id=post.pk, batch=None)
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


__all__ = [
    "MANIFEST_COLUMNS",
    "case_digitisation_check",
    "case_digitisation_mark",
    "case_digitisation_send_back",
    "digitisation_batch_run",
    "digitisation_batch_run_task",
    "digitisation_batch_upload",
    "digitisation_read_record",
    "digitisation_target_set",
    "manifest_rows",
    "report_reason",
]
