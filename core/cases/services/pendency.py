"""The pendency report's one write: a read of it (page, CSV or PDF) recorded in the district's trail."""

from __future__ import annotations

from django.db import transaction

from core.base.audit import Actor, audit_append
from core.cases.selectors.pendency import PendencyFilters


@transaction.atomic
def pendency_view_record(
    *, actor: Actor, filters: PendencyFilters, format: str, cases: int, stale: int
) -> None:
    """Record that the actor read the pendency report (``format``: page, csv or pdf) with these
    filters, and how many cases it counted and listed as without recent progress: a
    ``case.pendency_report`` event. Called by the report's views after reading it through the
    selectors above, acting as the post that gives sight of the thana (or of all the viewer's)."""
    thana = filters.thana
    audit_append(
        actor=actor,
        action="case.pendency_report",
        target=thana,
        target_type="" if thana is not None else "office",
        summary=f"pendency {format} {thana.code if thana is not None else '*'} {filters.as_on.isoformat()}",
        details={"format": format, **filters.details(), "cases": cases, "stale": stale},
    )
