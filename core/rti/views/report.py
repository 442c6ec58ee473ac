"""The monthly RTI register report: a month picker, the page, and its CSV and PDF. The figures
cover only the applications the viewer may see (``core.rti.selectors.report``); every read is
audited. The month is part of the URL, so, as for a record, an anonymous visitor gets 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.base.access import office_sight_post_id, viewer_of
from core.base.audit import Actor
from core.base.http import item_view
from core.rti.forms.report import MonthForm, month_allowed
from core.rti.selectors.report import (
    FIGURES,
    figure_labels,
    month_title,
    register_report_csv,
    register_report_pdf,
    rti_register_report,
)
from core.rti.services.report import rti_register_report_view_record


@login_required
@require_GET
def month_pick(request):
    """Choose a month; this month's report unless one is given."""
    if "month" not in request.GET:
        today = timezone.localdate()
        return redirect("rti_register_report", today.year, today.month)
    form = MonthForm(request.GET)
    if form.is_valid():
        year, month = form.cleaned_data["month"]
        return redirect("rti_register_report", year, month)
    return render(request, "core/rti/register_report.html", {"form": form, "report": None})


def _report(request, year: int, month: int, output: str):
    if not month_allowed(year, month):
        raise Http404
    viewer = viewer_of(request)
    report = rti_register_report(viewer, year=year, month=month)
    actor = Actor.from_request(request, post_id=office_sight_post_id(viewer, None))
    rti_register_report_view_record(actor=actor, report=report, output=output)
    return report


def _attachment(data: bytes, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@item_view
@require_GET
def register_report_page(request, year: int, month: int):
    report = _report(request, year, month, "page")
    labels = figure_labels()
    context = {
        "report": report,
        "title": month_title(report),
        "form": MonthForm(initial={"month": f"{year:04d}-{month:02d}"}),
        "headings": [labels[name] for name in FIGURES],
        "office_rows": [
            (entry.office, [entry.figures[name] for name in FIGURES]) for entry in report.offices
        ],
        "total_row": [report.totals[name] for name in FIGURES],
    }
    return render(request, "core/rti/register_report.html", context)


@item_view
@require_GET
def register_report_csv_download(request, year: int, month: int):
    report = _report(request, year, month, "csv")
    return _attachment(
        register_report_csv(report),
        content_type="text/csv; charset=utf-8",
        filename=f"rti-{year}-{month:02d}.csv",
    )


@item_view
@require_GET
def register_report_pdf_download(request, year: int, month: int):
    report = _report(request, year, month, "pdf")
    return _attachment(
        register_report_pdf(report), content_type="application/pdf", filename=f"rti-{year}-{month:02d}.pdf"
    )
