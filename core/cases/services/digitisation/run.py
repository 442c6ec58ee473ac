"""Running a digitisation batch: the body of ``core.cases.tasks.digitisation_batch_run_task``
(queued by the upload, ``actions``). The run first judges the zip's directory again and reads
every member the manifest names through to its end, within the limits of ``archive`` (a damaged
member, or one past a limit, ends the batch FAILED before any row is taken), then takes each row
in its own transaction, through the same checks and storage as any upload
(``document_upload(case=…)``): a Document on the case and its
``CaseDigitisation`` back to DIGITISED. A row that cannot be taken goes to the batch's ``report``
with its number and the reason; rows done are counted as it goes, for the batch page. The run's
wall-clock budget is checked between rows and while a member is unpacked: spent, the batch ends
FAILED with the rows taken so far kept, each whole."""

from __future__ import annotations

import logging
import zipfile
import zlib
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.base.access import viewer_for
from core.base.actors import as_post
from core.base.audit import Actor, audit_append
from core.base.storage import stored_path
from core.base.uploads.limits import too_large_message, upload_limit_bytes
from core.cases.access import cases_visible
from core.cases.selectors.papers import case_papers_post
from core.cases.services.digitisation.archive import (
    ZipBudget,
    ZipLimit,
    member_name,
    member_verify,
    scan_extract,
    zip_members,
    zip_open,
)
from core.cases.services.digitisation.manifest import MANIFEST_COLUMNS, manifest_rows
from core.cases.services.register import FIR_MAX, FIRST_YEAR
from core.efile.services.documents import document_upload
from core.models import Case, CaseDigitisation, DigitisationBatch, Office

logger = logging.getLogger(__name__)

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


def case_digitised_record(*, actor: Actor, case: Case, post_id: int, batch: DigitisationBatch | None) -> None:
    """The case's digitisation row, new or back to DIGITISED (after a send-back or a check: new
    papers wait for a check again); audited when it changes. Runs inside the caller's transaction
    (a batch row's, or ``case_digitisation_mark``), after the case was locked."""
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
    def __init__(self, batch: DigitisationBatch, archive: zipfile.ZipFile, budget: ZipBudget):
        self.batch, self.archive, self.budget = batch, archive, budget
        self.actor = Actor(person=batch.created_by)
        self.visible = cases_visible(viewer_for(batch.created_by))
        self.thanas, self.members = _thana_codes(), zip_members(archive)
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
        name = member_name(row.values["file"])
        first = self.seen.setdefault((case.pk, name), row.number)
        if first != row.number:
            return row.refused("duplicate", row=first)
        info = self.members.get(name) if name else None
        if info is None:
            return row.refused("no_file", file=row.values["file"])
        try:
            scan = scan_extract(self.archive, info, self.limit, self.budget)
        except (zipfile.BadZipFile, zlib.error, EOFError):
            return row.refused("damaged", file=row.values["file"])
        if scan is None:
            return row.refused("refused", detail=too_large_message(PurePosixPath(name).name))
        try:
            with transaction.atomic():
                _locked, post = case_papers_post(self.actor, case, lock=True)
                case_digitised_record(actor=self.actor, case=case, post_id=post.pk, batch=self.batch)
                document_upload(actor=self.actor, case=case, uploads=[scan], title=row.values["title"])
        except ValidationError as error:
            return row.refused("refused", detail=" ".join(error.messages))
        finally:
            scan.path.unlink(missing_ok=True)  # moved into storage if taken
        return None


def _members_verify(archive: zipfile.ZipFile, rows, budget: ZipBudget) -> None:
    """Read each member the manifest names (once, and none larger than one upload may be: its
    row is refused without reading it) through to its end, its CRC checked there, before any
    row is taken; members no row names are never unpacked. Raises ``ValidationError`` saying
    which member is damaged or which limit was reached."""
    members, limit, seen = zip_members(archive), upload_limit_bytes(), set()
    for _number, values in rows:
        info = members.get(member_name(values["file"]))
        if info is None or info.filename in seen or info.file_size > limit:
            continue
        seen.add(info.filename)
        try:
            member_verify(archive, info, limit=limit, budget=budget)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError):
            raise ValidationError(
                _("The zip file is damaged (%(name)s); no row was taken.") % {"name": info.filename}
            ) from None
        except ZipLimit as stop:
            raise ValidationError(_("%(reason)s No row was taken.") % {"reason": stop.message()}) from None


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
    taken; each row is taken whole or not at all, and the report lists each row not taken. A zip
    past a limit (``core.cases.services.digitisation.archive``) ends FAILED with the limit named."""
    batch = _start(batch_id)
    if batch is None:
        return None
    try:
        rows = manifest_rows(stored_path(batch.manifest_stored).read_bytes())
        archive = zip_open(stored_path(batch.zip_stored))
        budget = ZipBudget()
        try:
            _members_verify(archive, rows, budget)
        except BaseException:
            archive.close()
            raise
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
            run = _Run(batch, archive, budget.again())
            for count, (number, values) in enumerate(rows, start=1):
                run.budget.check_time()
                refused = run.take(_Row(number, values))
                if refused is not None:
                    batch.report.append(refused)
                taken = batch.rows_taken + (refused is None)
                changes = {"rows_done": count, "rows_taken": taken, "documents_added": taken}
                if count % REPORT_EVERY == 0:
                    changes["report"] = batch.report
                _save(batch, **changes)
    except ZipLimit as stop:  # the time budget, or a member that unpacks to more than it said
        _finish(batch, status=DigitisationBatch.Status.FAILED, error=stop.message())
        return batch
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
