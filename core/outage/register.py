"""The paper registers of an outage as a PDF (``core.base.pdf``: Hindi shaped): per office covered, the
inward dak register with its reserved diary numbers, or the movement slips with theirs, each row
tall enough to write in by hand."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.base.names import name_in_language
from core.base.pdf import pdf_bytes, pdf_heading, pdf_new, pdf_paragraph, pdf_table
from core.models import Outage
from core.outage.selectors import register_offices

# Landscape A4 leaves 267 mm between the margins.
DIARY_WIDTHS = [38, 30, 50, 70, 18, 36, 25]
SLIP_WIDTHS = [38, 40, 40, 40, 30, 54, 25]


def _blank(number: str) -> str:
    return f"{number}\n\n"  # three lines high: room for a hand


def register_pdf(outage: Outage, *, kind: str, office_id: int | None = None) -> bytes:
    """The register of ``kind`` (``diary`` or ``slip``) for every office the outage covers (or the
    one ``office_id``), one section per office, its reserved numbers in order."""
    title = _("Inward dak register (outage)") if kind == "diary" else _("Movement slips (outage)")
    started = date_format(timezone.localtime(outage.started_at), "DATETIME_FORMAT")
    pdf = pdf_new(title=title, footer=f"{title} · {started}", landscape=True)
    sections = [row for row in register_offices(outage) if office_id is None or row[0].pk == office_id]
    for index, (office, diary, slips) in enumerate(sections):
        if index:
            pdf.add_page()
        pdf_heading(pdf, f"{title}: {name_in_language(office)}")
        pdf_paragraph(
            pdf,
            _(
                "Outage from %(start)s. Use these numbers in order, only on paper; enter each in Karyalay "
                "afterwards with its true date and time (Outages → back-entry) and attach the scanned page."
            )
            % {"start": started},
        )
        if kind == "diary":
            header = [
                _("Diary number"),
                _("Date and time received"),
                _("From"),
                _("Subject"),
                _("Mode"),
                _("Marked to"),
                _("Signature"),
            ]
            rows = [[_blank(n.number), "", "", "", "", "", ""] for n in diary]
            widths = DIARY_WIDTHS
        else:
            header = [
                _("Slip number"),
                _("File or diary number"),
                _("From post"),
                _("To post"),
                _("Date and time sent"),
                _("Remarks"),
                _("Signature"),
            ]
            rows = [[_blank(n.number), "", "", "", "", "", ""] for n in slips]
            widths = SLIP_WIDTHS
        pdf_table(pdf, header=header, rows=rows, widths=widths)
    return pdf_bytes(pdf)
