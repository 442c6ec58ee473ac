"""Pages of old-case digitisation, under ``/cases/digitisation/``: the per-thana targets and counts,
batch uploads with their progress and report (a page that refreshes itself while the batch runs,
and the report as CSV), and the quality-check queue. Thin: forms check shape, services decide,
reads go through ``core.cases.selectors.papers``; a URL naming a batch or a case is 404 to whoever may not
see it (the anonymous too)."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.base.access import office_sight_post_id, viewer_of
from core.base.audit import Actor
from core.base.csv_cells import cell_safe
from core.base.form_errors import service_errors
from core.base.http import item_or_404
from core.base.uploads.limits import upload_errors
from core.cases.access import case_for, case_post_id
from core.cases.forms.digitisation import BatchUploadForm, DecideForm, TargetForm
from core.cases.selectors.digitisation import (
    batch_for,
    batch_list,
    batch_post_id,
    digitisation_overview,
    digitisation_queue,
)
from core.cases.services.digitisation import actions as digitisation
from core.models import Case, CaseDigitisation, DigitisationBatch, Office
from core.templatetags.karyalay import bilingual
from core.uploads.claim import request_files

PAGE = 50
REFRESH_SECONDS = 10
SAMPLE_MANIFEST = (
    "thana_code,year,fir_number,file,title\n"
    "PSMAH,2009,45,mahua/45-2009-fir.pdf,FIR and charge-sheet\n"
    "ef-thana-mahua,2011,112,mahua/112-2011.pdf,\n"
)


def _read(request, action: str, *, post_id: int | None, batch: DigitisationBatch | None = None) -> None:
    digitisation.digitisation_read_record(
        actor=Actor.from_request(request, post_id=post_id), action=action, batch=batch
    )


def _wide_post(request) -> int | None:
    return office_sight_post_id(viewer_of(request), None)


def _target_form(rows, data=None) -> TargetForm | None:
    choices = [(row["thana"].pk, bilingual(row["thana"])) for row in rows if row["can_set"]]
    return TargetForm(data, thana_choices=choices) if choices else None


@login_required
def overview_page(request):
    rows = digitisation_overview(viewer_of(request))
    _read(request, "digitisation.view", post_id=_wide_post(request))
    return render(
        request, "core/cases/digitisation/overview.html", {"rows": rows, "target_form": _target_form(rows)}
    )


@login_required
@require_POST
def target_set(request):
    rows = digitisation_overview(viewer_of(request))
    form = _target_form(rows, request.POST)
    if form is None:
        messages.error(request, _("You may not set the target of this office."))
    elif not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    else:
        thana = Office.objects.get(pk=form.cleaned_data["thana"])
        try:
            digitisation.digitisation_target_set(
                actor=Actor.from_request(request), thana=thana, target=form.cleaned_data["target"]
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The target is set."))
    return redirect("case_digitisation")


@login_required
def batches_page(request):
    viewer = viewer_of(request)
    files, not_there = request_files(request) if request.method == "POST" else (None, [])
    form = BatchUploadForm(request.POST or None, files or None)
    if request.method == "POST":
        too_large = upload_errors(request) + not_there
        for message in too_large:
            form.add_error(None, message)
        if not too_large and form.is_valid():
            try:
                batch = digitisation.digitisation_batch_upload(
                    actor=Actor.from_request(request),
                    zip_upload=form.cleaned_data["zip"],
                    manifest_upload=form.cleaned_data["manifest"],
                )
            except ValidationError as error:
                service_errors(form, error)
            else:
                messages.success(request, _("The batch is uploaded and waits to be checked."))
                return redirect("case_digitisation_batch", batch.pk)
    else:
        _read(request, "digitisation.batches_view", post_id=_wide_post(request))
    page = Paginator(batch_list(viewer), PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "columns": digitisation.MANIFEST_COLUMNS,
        "sample": SAMPLE_MANIFEST,
    }
    return render(request, "core/cases/digitisation/batches.html", context)


def _report(batch: DigitisationBatch) -> list[dict]:
    return [entry | {"reason": digitisation.report_reason(entry)} for entry in batch.report]


@item_or_404(batch_for, "GET")
def batch_page(request, batch: DigitisationBatch):
    _read(request, "digitisation.batch_view", post_id=batch_post_id(viewer_of(request), batch), batch=batch)
    running = batch.status in (DigitisationBatch.Status.QUEUED, DigitisationBatch.Status.RUNNING)
    percent = round(100 * batch.rows_done / batch.rows_total) if batch.rows_total else 0
    context = {
        "batch": batch,
        "report": _report(batch),
        "running": running,
        "percent": percent,
        "refresh": REFRESH_SECONDS,
    }
    return render(request, "core/cases/digitisation/batch.html", context)


@item_or_404(batch_for, "GET")
def batch_report_csv(request, batch: DigitisationBatch):
    post_id = batch_post_id(viewer_of(request), batch)
    _read(request, "digitisation.report_download", post_id=post_id, batch=batch)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="batch-{batch.pk}-report.csv"'
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")  # spreadsheet programs read the Hindi text as UTF-8
    writer = csv.writer(response)
    writer.writerow([_("row"), "thana_code", "year", "fir_number", "file", _("reason")])
    for entry in _report(batch):
        writer.writerow(
            [
                entry.get("row", ""),
                *(cell_safe(entry.get(key, "")) for key in digitisation.MANIFEST_COLUMNS),
                cell_safe(entry["reason"]),
            ]
        )
    return response


def _queue_context(request) -> dict:
    viewer = viewer_of(request)
    waiting = Paginator(digitisation_queue(viewer), PAGE).get_page(request.GET.get("page"))
    sent_back = digitisation_queue(viewer, status=CaseDigitisation.Status.SENT_BACK)[:PAGE]
    return {"page": waiting, "sent_back": sent_back, "person_id": request.user.pk}


@login_required
def queue_page(request):
    _read(request, "digitisation.queue_view", post_id=_wide_post(request))
    return render(request, "core/cases/digitisation/queue.html", _queue_context(request))


@item_or_404(case_for, "POST")
def case_decide(request, case: Case):
    form = DecideForm(request.POST)
    actor = Actor.from_request(request, post_id=case_post_id(viewer_of(request), case))
    if not form.is_valid():
        messages.error(request, _("Choose checked, send back or digitised again."))
        return redirect("case_digitisation_queue")
    decision, remarks = form.cleaned_data["decision"], form.cleaned_data["remarks"]
    try:
        if decision == DecideForm.CHECK:
            digitisation.case_digitisation_check(actor=actor, case=case, remarks=remarks)
            done = _("%(case)s is marked checked.")
        elif decision == DecideForm.SEND_BACK:
            digitisation.case_digitisation_send_back(actor=actor, case=case, remarks=remarks)
            done = _("%(case)s is sent back.")
        else:
            digitisation.case_digitisation_mark(actor=actor, case=case)
            done = _("%(case)s waits for a check again.")
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, f"{case.label}: {message}")
    else:
        messages.success(request, done % {"case": case.label})
    return redirect("case_digitisation_queue")
