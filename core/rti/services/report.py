"""The monthly register report's one write: a read of it (page, CSV or PDF) recorded in the
district's trail.
"""

from __future__ import annotations

from django.db import transaction

from core.base.audit import Actor, audit_append
from core.rti.selectors.report import RegisterReport

REPORT_FORMATS = ("page", "csv", "pdf")


@transaction.atomic
def rti_register_report_view_record(*, actor: Actor, report: RegisterReport, output: str) -> None:
    """Someone read the month's register report (page, CSV or PDF): a ``rti.register_report``
    event with the month, the offices and the number of applications listed."""
    if output not in REPORT_FORMATS:
        raise ValueError(f"unknown report format {output!r}")
    audit_append(
        actor=actor,
        action="rti.register_report",
        target_type="rti_register",
        target_id=f"{report.year}-{report.month:02d}",
        summary=f"RTI {report.year}-{report.month:02d} {output}",
        details={
            "year": report.year,
            "month": report.month,
            "format": output,
            "offices": [entry.office.pk for entry in report.offices],
            "rows": len(report.rows),
        },
    )
