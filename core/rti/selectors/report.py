"""The monthly RTI register report: per office whose applications the viewer may see, the month's
figures, and the list of the applications received in the month; as a page, CSV and PDF.

Figures for a month from S (its first day) to E (its last):

- carried over: received before S, not disposed of before S;
- received: received on a day of the month;
- disposed of: replied, rejected (on ``replied_on``) or transferred (on ``transferred_on``) in it;
- pending at the month's end: received by E, not disposed of by E
  (carried over + received - disposed of = pending);
- replied late: replied or rejected in the month after the reply due date (``core.rti.clocks``);
- deemed refused: the day the application stood refused for want of a reply (s.7(2)) falls in
  the month (a transferred application is not counted: another authority answers it);
- first appeals received and decided in the month.

Every figure is read through ``core.rti.access`` (the same rule as the register's pages), and the
dates through ``core.rti.clocks``, so the report agrees with the application pages.
"""

from __future__ import annotations

import calendar
import csv
import datetime
import io
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext as _

from core.base.access import Viewer
from core.base.csv_cells import cell_safe
from core.base.names import name_in_language
from core.base.pdf import pdf_bytes, pdf_heading, pdf_new, pdf_paragraph, pdf_table
from core.models import Office, RtiApplication
from core.rti.access import rtis_visible
from core.rti.clocks import rti_clocks

Status = RtiApplication.Status
FIGURES = (
    "carried_over",
    "received",
    "replied",
    "rejected",
    "transferred",
    "disposed",
    "pending",
    "replied_late",
    "deemed_refused",
    "appeals_received",
    "appeals_decided",
)


def figure_labels() -> dict[str, str]:
    """The column headings, in the active language."""
    return {
        "carried_over": _("Carried over"),
        "received": _("Received"),
        "replied": _("Replied"),
        "rejected": _("Rejected"),
        "transferred": _("Transferred"),
        "disposed": _("Disposed of"),
        "pending": _("Pending at month end"),
        "replied_late": _("Replied late"),
        "deemed_refused": _("Deemed refused"),
        "appeals_received": _("First appeals received"),
        "appeals_decided": _("First appeals decided"),
    }


@dataclass
class OfficeFigures:
    office: Office
    figures: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIGURES, 0))


@dataclass
class MonthRow:
    """One application received in the month, with its dates."""

    application: RtiApplication
    due_on: datetime.date | None
    disposed_on: datetime.date | None


@dataclass
class RegisterReport:
    year: int
    month: int
    start: datetime.date
    end: datetime.date
    offices: list[OfficeFigures]
    totals: dict[str, int]
    rows: list[MonthRow]


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, month, 1), datetime.date(year, month, calendar.monthrange(year, month)[1])


def disposal(application: RtiApplication) -> tuple[str | None, datetime.date | None]:
    """How and when the application left the register's pending list: replied or rejected on the
    reply date, transferred on the transfer date; (None, None) while it awaits a reply."""
    if application.status in (Status.REPLIED, Status.REJECTED) and application.replied_on:
        return application.status, application.replied_on
    if application.status == Status.TRANSFERRED and application.transferred_on:
        return Status.TRANSFERRED, application.transferred_on
    return None, None


def _in(day: datetime.date | None, start: datetime.date, end: datetime.date) -> bool:
    return day is not None and start <= day <= end


def _count(figures: dict[str, int], application: RtiApplication, start, end) -> datetime.date | None:
    """Add one application to its office's figures; returns its reply due date."""
    how, disposed_on = disposal(application)
    received = application.received_on
    if received < start and (disposed_on is None or disposed_on >= start):
        figures["carried_over"] += 1
    if _in(received, start, end):
        figures["received"] += 1
    if received <= end and (disposed_on is None or disposed_on > end):
        figures["pending"] += 1
    clocks = rti_clocks(application.facts, today=end)
    if _in(disposed_on, start, end):
        figures[how] += 1
        figures["disposed"] += 1
        if how != Status.TRANSFERRED and clocks.reply.late:
            figures["replied_late"] += 1
    if how != Status.TRANSFERRED and _in(clocks.deemed_refused_on, start, end):
        figures["deemed_refused"] += 1
    if _in(application.appeal_received_on, start, end):
        figures["appeals_received"] += 1
    if _in(application.appeal_decided_on, start, end):
        figures["appeals_decided"] += 1
    return clocks.reply.due_on


def rti_register_report(viewer: Viewer, *, year: int, month: int) -> RegisterReport:
    """The month's register report over the applications the viewer may see."""
    start, end = month_bounds(year, month)
    in_month = {"gte": start, "lte": end}
    awaiting_or_after = (
        Q(replied_on__isnull=True, transferred_on__isnull=True)
        | Q(replied_on__gte=start)
        | Q(transferred_on__gte=start)
        | Q(**{f"appeal_received_on__{k}": v for k, v in in_month.items()})
        | Q(**{f"appeal_decided_on__{k}": v for k, v in in_month.items()})
    )
    applications = (
        rtis_visible(viewer)
        .filter(awaiting_or_after, received_on__lte=end)
        .select_related("office", "pio_post")
        .order_by("received_on", "number")
    )
    by_office: dict[int, OfficeFigures] = {}
    rows = []
    for application in applications:
        entry = by_office.setdefault(application.office_id, OfficeFigures(office=application.office))
        due_on = _count(entry.figures, application, start, end)
        if _in(application.received_on, start, end):
            rows.append(
                MonthRow(application=application, due_on=due_on, disposed_on=disposal(application)[1])
            )
    offices = sorted(by_office.values(), key=lambda entry: (entry.office.name, entry.office.pk))
    totals = {name: sum(entry.figures[name] for entry in offices) for name in FIGURES}
    return RegisterReport(
        year=year, month=month, start=start, end=end, offices=offices, totals=totals, rows=rows
    )


# --- exports -----------------------------------------------------------------------------------


def _day(day: datetime.date | None, *, iso: bool = False) -> str:
    """A day in a file: ISO (2025-05-09) in the CSV, which a spreadsheet reads as a date whatever its
    locale; the page's one form ("9 May 2025", "9 मई 2025") in the PDF, which people read."""
    if not day:
        return ""
    return day.isoformat() if iso else formats.date_format(day, "DATE_FORMAT")


def month_title(report: RegisterReport) -> str:
    return _("RTI register, %(month)s") % {"month": formats.date_format(report.start, "YEAR_MONTH_FORMAT")}


def _figure_rows(report: RegisterReport) -> tuple[list[str], list[list]]:
    labels = figure_labels()
    header = [_("Office"), *(labels[name] for name in FIGURES)]
    rows = [[name_in_language(e.office), *(e.figures[name] for name in FIGURES)] for e in report.offices]
    rows.append([_("Total"), *(report.totals[name] for name in FIGURES)])
    return header, rows


def _application_rows(report: RegisterReport, *, iso: bool = False) -> tuple[list[str], list[list]]:
    header = [
        _("Number"),
        _("Office"),
        _("Received on"),
        _("Applicant"),
        _("Information asked for"),
        _("Reply due"),
        _("Disposed of on"),
        _("Status"),
    ]
    rows = [
        [
            row.application.number,
            name_in_language(row.application.office),
            _day(row.application.received_on, iso=iso),
            row.application.applicant_name,
            row.application.subject[:200],
            _day(row.due_on, iso=iso),
            _day(row.disposed_on, iso=iso),
            row.application.get_status_display(),
        ]
        for row in report.rows
    ]
    return header, rows


def register_report_csv(report: RegisterReport) -> bytes:
    """The report as CSV (UTF-8 with a BOM, so that spreadsheet programs show Hindi): the figures
    per office, a blank line, then the month's applications. Cells cannot become formulas."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([month_title(report)])
    for header, rows in (_figure_rows(report), _application_rows(report, iso=True)):
        writer.writerow([cell_safe(cell) for cell in header])
        for row in rows:
            writer.writerow([cell_safe(cell) for cell in row])
        writer.writerow([])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def register_report_pdf(report: RegisterReport) -> bytes:
    """The report as a printable A4 landscape PDF, in the active language."""
    title = month_title(report)
    pdf = pdf_new(title=title, landscape=True)
    pdf_heading(pdf, title)
    pdf_paragraph(
        pdf, _("From %(start)s to %(end)s") % {"start": _day(report.start), "end": _day(report.end)}
    )
    header, rows = _figure_rows(report)
    pdf_table(pdf, header=header, rows=rows, widths=[50] + [20] * len(FIGURES))
    pdf_heading(pdf, _("Applications received in the month"), size=12)
    header, rows = _application_rows(report)
    if rows:
        pdf_table(pdf, header=header, rows=rows, widths=[38, 32, 22, 35, 70, 22, 22, 26])
    else:
        pdf_paragraph(pdf, _("No applications were received in the month."))
    return pdf_bytes(pdf)


__all__ = [
    "FIGURES",
    "figure_labels",
    "register_report_csv",
    "register_report_pdf",
    "rti_register_report",
]
