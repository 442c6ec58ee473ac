"""The rollup: every district's figures copied into the public schema for the state dashboard.

The dashboard reads only ``DistrictRollup`` and ``AdoptionWeek`` (and the District table), never a
district's schema; this module is the one place that visits every schema, from a periodic task.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import DatabaseError, transaction
from django.utils import timezone

from core.adoption import SERIES, district_figures
from state_admin.models import AdoptionWeek, DistrictRollup
from state_admin.services.audit import StaffActor, audit_record
from tenants.context import district_context
from tenants.models import STATUSES_WITH_SCHEMA, District

logger = logging.getLogger(__name__)

ROLLUP_WEEKS = 12
# Districts that have a schema to read. Planned (and provisioning) districts get no rollup row:
# the dashboard counts them from the District table.

_ROLLUP_FIELDS = (
    "offices_total",
    "offices_live",
    "offices_by_phase",
    "readiness_gaps",
    "offices_not_ready",
    "officers_posted",
    "current_phase",
)


@transaction.atomic
def rollup_refresh_one(district: District) -> DistrictRollup:
    """Read one district's figures under its schema and upsert its rollup row and the adoption
    rows of the last ``ROLLUP_WEEKS`` weeks, all in one transaction (older weeks are kept).

    Raises ``DatabaseError`` when the schema is missing or broken (nothing is written) and
    ``LookupError`` when the district has no schema name. For the rollup task and tests.
    """
    with district_context(district.schema_name):
        figures = district_figures(weeks=ROLLUP_WEEKS, today=timezone.localdate())
    rollup, _created = DistrictRollup.objects.update_or_create(
        district=district,
        defaults={**{field: figures[field] for field in _ROLLUP_FIELDS}, "refreshed_at": timezone.now()},
    )
    AdoptionWeek.objects.bulk_create(
        [
            AdoptionWeek(district=district, week=row["week"], **{s: row[s] for s in SERIES})
            for row in figures["weeks"]
        ],
        update_conflicts=True,
        unique_fields=["district", "week"],
        update_fields=list(SERIES),
    )
    return rollup


def rollup_refresh(*, districts: Iterable[District] | None = None) -> int:
    """Refresh the rollup of every district that has a schema (live, suspended, archived), or of
    those of ``districts`` that have one. One transaction per district: a district whose schema
    is missing or broken is logged and skipped, and the others still refresh.

    Returns how many districts were refreshed. Run by the periodic rollup task; safe to repeat.
    """
    queryset = District.objects.filter(status__in=STATUSES_WITH_SCHEMA).order_by("pk")
    if districts is not None:
        queryset = queryset.filter(pk__in=[getattr(d, "pk", d) for d in districts])
    refreshed = 0
    for district in queryset:
        try:
            rollup_refresh_one(district)
        except (DatabaseError, LookupError):
            logger.exception("Rollup skipped district %s (schema %s)", district.slug, district.schema_name)
            continue
        refreshed += 1
    return refreshed


@transaction.atomic
def rollup_refresh_request(*, actor: StaffActor) -> None:
    """Queue a refresh of every district's figures now (the dashboard's button), audited as
    ``rollup.refresh``. The task is enqueued when the transaction commits. Platform staff only."""
    from state_admin.tasks.rollup import rollup_refresh_now_task

    audit_record(actor=actor, action="rollup.refresh", target="all districts")
    transaction.on_commit(rollup_refresh_now_task)
