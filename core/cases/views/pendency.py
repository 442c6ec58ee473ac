"""The pendency report at ``/cases/pendency/``: the page, and the same report as CSV
(``?format=csv``, UTF-8 with a BOM so spreadsheet programs show Hindi) and as a printable PDF
(``?format=pdf``, landscape, in the page's language). All three read through the selectors of
``core.cases.selectors.pendency`` and leave a ``case.pendency_report`` event; refused filters show the page
with the form's errors (and read nothing)."""

from __future__ import annotations

import csv
import io

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from core.base.access import office_sight_post_id, viewer_of
from core.base.audit import Actor
from core.base.csv_cells import cell_safe
from core.base.names import name_in_language
from core.base.pdf import pdf_bytes, pdf_heading, pdf_new, pdf_paragraph, pdf_table
from core.cases.forms.pendency import PendencyForm
from core.cases.selectors.pendency import PendencyFilters, PendencyTable, pendency_stale_list, pendency_table
from core.cases.selectors.register import filter_thana_choices
from core.cases.services.pendency import pendency_view_record
from core.models import Case, Post
from core.templatetags.karyalay import person_name

# The most cases without recent progress listed on the page and in the PDF; the CSV has them all.
STALE_LIMIT = 500
FORMATS = ("csv", "pdf")


@login_required
def pendency_page(request):
    viewer = viewer_of(request)
    form = PendencyForm.from_query(request.GET, thana_choices=filter_thana_choices(viewer))
    kind = request.GET.get("format", "")
    kind = kind if kind in FORMATS else "page"
    if not form.is_valid():
        return render(request, "core/cases/pendency.html", {"form": form})
    filters = form.filters()
    table = pendency_table(viewer, filters=filters)
    stale = pendency_stale_list(viewer, filters=filters, limit=None if kind == "csv" else STALE_LIMIT + 1)
    truncated = kind != "csv" and len(stale) > STALE_LIMIT
    stale = stale[:STALE_LIMIT] if truncated else stale
    # The post that gives sight of the thana (or of everything the viewer sees); for an IO who
    # sees a thana's cases only through their own post elsewhere, that widest post.
    post_id = office_sight_post_id(viewer, filters.thana.pk) if filters.thana else None
    actor = Actor.from_request(request, post_id=post_id or office_sight_post_id(viewer, None))
    if kind == "csv":
        data = _csv(table, stale, filters, _printed_by(actor))
        response = _export(data, "text/csv; charset=utf-8", filters, "csv")
    elif kind == "pdf":
        data = _pdf(table, stale, filters, _printed_by(actor), truncated=truncated)
        response = _export(data, "application/pdf", filters, "pdf")
    else:
        context = {"form": form, "filters": filters, "table": table, "stale": stale, "truncated": truncated}
        response = render(request, "core/cases/pendency.html", context | {"limit": STALE_LIMIT})
    # Recorded once the report is made: what was handed out, with its filters.
    pendency_view_record(actor=actor, filters=filters, format=kind, cases=table.total, stale=len(stale))
    return response


def _export(data: bytes, content_type: str, filters: PendencyFilters, extension: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    disposition = "inline" if extension == "pdf" else "attachment"
    response["Content-Disposition"] = (
        f'{disposition}; filename="pendency-{filters.as_on.isoformat()}.{extension}"'
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


def _printed_by(actor: Actor) -> str:
    post = Post.objects.filter(pk=actor.post_id).first() if actor.post_id else None
    name = person_name(actor.person)
    return f"{name} ({name_in_language(post, 'title')})" if post is not None else name


def _thana_name(filters: PendencyFilters) -> str:
    return name_in_language(filters.thana) if filters.thana is not None else _("All thanas")


def _count_header(table: PendencyTable) -> list[str]:
    return [_("Thana"), _("Status"), *(str(bucket.label) for bucket in table.buckets), _("Total")]


def _count_rows(table: PendencyTable) -> list[list]:
    """The counts table as rows: each thana's statuses, then its total; the overall total last."""
    rows = []
    for entry in table.thanas:
        name = name_in_language(entry.thana)
        rows += [[name, row.status_label, *row.counts, row.total] for row in entry.rows]
        rows.append([name, _("Total"), *entry.counts, entry.total])
    rows.append([_("All thanas"), _("Total"), *table.counts, table.total])
    return rows


def _stale_header() -> list[str]:
    return [
        _("Thana"),
        _("Case"),
        _("Status"),
        _("Registered on"),
        _("Investigating officer"),
        _("Last progress report"),
        _("Days since"),
    ]


def _stale_rows(stale: list[Case], *, iso: bool) -> list[list]:
    def day(value):
        return value.isoformat() if iso else formats.date_format(value, "SHORT_DATE_FORMAT")

    return [
        [
            name_in_language(case.thana),
            case.label,
            case.get_status_display(),
            day(case.registered_on),
            name_in_language(case.io_post, "title") if case.io_post else _("not yet assigned"),
            day(case.last_report_on) if case.last_report_on else _("none"),
            case.days_since,
        ]
        for case in stale
    ]


def _stale_title(filters: PendencyFilters) -> str:
    return _("Pending cases whose last progress report is more than %(days)s days old") % {
        "days": filters.days
    }


def _csv(table: PendencyTable, stale: list[Case], filters: PendencyFilters, printed_by: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)

    def write(row):
        writer.writerow([cell_safe(value) if isinstance(value, str) else value for value in row])

    write([_("Pendency of cases")])
    write([_("As on"), filters.as_on.isoformat()])
    write([_("Thana"), _thana_name(filters)])
    write([_("Status"), filters.status_label])
    write([_("Printed by"), printed_by])
    write([])
    write(_count_header(table))
    for row in _count_rows(table):
        write(row)
    write([])
    write([_stale_title(filters)])
    write(_stale_header())
    for row in _stale_rows(stale, iso=True):
        write(row)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _pdf(
    table: PendencyTable, stale: list[Case], filters: PendencyFilters, printed_by: str, *, truncated: bool
) -> bytes:
    title = _("Pendency of cases")
    pdf = pdf_new(title=title, footer=f"{title} · {filters.as_on.isoformat()}", landscape=True)
    pdf_heading(pdf, title)
    printed_at = formats.date_format(timezone.localtime(), "DATETIME_FORMAT")
    lines = [
        _("As on: %(date)s") % {"date": formats.date_format(filters.as_on, "DATE_FORMAT")},
        _("Thana: %(thana)s") % {"thana": _thana_name(filters)},
        _("Status: %(status)s") % {"status": filters.status_label},
        _("Printed by %(person)s on %(when)s") % {"person": printed_by, "when": printed_at},
    ]
    for line in lines:
        pdf_paragraph(pdf, line)
    pdf.ln(3)
    pdf_paragraph(pdf, _("Cases by thana, status and age since registration"), bold=True)
    pdf_table(
        pdf, header=_count_header(table), rows=_count_rows(table), widths=[40, 40, 26, 26, 26, 26, 26, 20]
    )
    pdf.ln(3)
    pdf_paragraph(pdf, _stale_title(filters), bold=True)
    rows = _stale_rows(stale, iso=False)
    if rows:
        pdf_table(pdf, header=_stale_header(), rows=rows, widths=[36, 50, 32, 26, 52, 30, 20])
    else:
        pdf_paragraph(pdf, _("No such cases."))
    if truncated:
        pdf_paragraph(
            pdf, _("Only the first %(limit)s are listed; the CSV has them all.") % {"limit": STALE_LIMIT}
        )
    return pdf_bytes(pdf)


__all__ = ["pendency_page"]
