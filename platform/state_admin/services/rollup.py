"""The rollup: every district's figures copied into the public schema for the state dashboard.

The dashboard reads only ``DistrictRollup`` and ``AdoptionWeek`` (and the District table), never a
district's schema; this module is the one place that visits every schema, from a periodic task.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from core.models import ActiveDay, AuditEvent
from core.org.selectors.adoption import SERIES, district_figures
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


# Schemas whose change marks are read in one statement (a subquery pair each).
_MARKS_BATCH = 250


def rollup_changes_seen(schema_names: list[str]) -> dict[str, dict]:
    """Each schema's change mark: its newest audit event id and active day id, in a few queries.

    Every change a rollup figure counts leaves an audit event in the same transaction (offices,
    readiness, postings, dak, files, documents), except an officer's first visit of a day (an
    active day). A schema that cannot be read (missing, broken) is left out."""
    quote = connection.ops.quote_name
    events, days = AuditEvent._meta.db_table, ActiveDay._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relname = %s AND c.relkind = 'r' AND n.nspname = ANY(%s)",
            [events, list(schema_names)],
        )
        readable = [row[0] for row in cursor.fetchall()]
        marks = {}
        for start in range(0, len(readable), _MARKS_BATCH):
            batch = readable[start : start + _MARKS_BATCH]
            # Names come from the catalog and are quoted; the schema travels as a parameter.
            union = " UNION ALL ".join(
                f"SELECT %s, (SELECT max(id) FROM {quote(name)}.{quote(events)}), "  # noqa: S608
                f"(SELECT max(id) FROM {quote(name)}.{quote(days)})"
                for name in batch
            )
            cursor.execute(union, batch)
            marks.update({schema: {"audit": a, "day": d} for schema, a, d in cursor.fetchall()})
    return marks


def _unchanged(rollup: DistrictRollup | None, mark: dict | None, today) -> bool:
    """Figures read today with the same change mark: nothing they count has changed since.
    (A new day always refreshes: postings start and end, and the weeks move on, by the date.)"""
    return (
        rollup is not None
        and mark is not None
        and rollup.changes_seen == mark
        and timezone.localdate(rollup.refreshed_at) == today
    )


@transaction.atomic
def rollup_refresh_one(district: District, *, changes_seen: dict | None = None) -> DistrictRollup:
    """Read one district's figures under its schema and upsert its rollup row and the adoption
    rows of the last ``ROLLUP_WEEKS`` weeks, all in one transaction (older weeks are kept).

    Raises ``DatabaseError`` when the schema is missing or broken (nothing is written) and
    ``LookupError`` when the district has no schema name. For the rollup task and tests.
    """
    with district_context(district.schema_name):
        figures = district_figures(weeks=ROLLUP_WEEKS, today=timezone.localdate())
    rollup, _created = DistrictRollup.objects.update_or_create(
        district=district,
        defaults={
            **{field: figures[field] for field in _ROLLUP_FIELDS},
            "refreshed_at": timezone.now(),
            "changes_seen": changes_seen or {},
        },
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


def rollup_refresh(*, districts: Iterable[District] | None = None, changed_only: bool = False) -> int:
    """Refresh the rollup of every district that has a schema (live, suspended, archived), or of
    those of ``districts`` that have one. One transaction per district: a district whose schema
    is missing or broken is logged and skipped, and the others still refresh.

    With ``changed_only`` (the periodic pass) a district whose change mark
    (``rollup_changes_seen``) is the one its figures were read with, today, is skipped: at 1,000
    districts a pass costs the districts that changed, not every schema. The mark is read before
    the figures, so a change that lands in between is refreshed again at the next pass.

    Returns how many districts were refreshed. Run by the periodic rollup task; safe to repeat.
    """
    queryset = District.objects.filter(status__in=STATUSES_WITH_SCHEMA).order_by("pk")
    if districts is not None:
        queryset = queryset.filter(pk__in=[getattr(d, "pk", d) for d in districts])
    queryset = list(queryset)
    marks = rollup_changes_seen([district.schema_name for district in queryset])
    rollups = {}
    if changed_only:
        rollups = DistrictRollup.objects.in_bulk([district.pk for district in queryset])
    today = timezone.localdate()
    refreshed = 0
    for district in queryset:
        mark = marks.get(district.schema_name)
        if changed_only and _unchanged(rollups.get(district.pk), mark, today):
            continue
        try:
            rollup_refresh_one(district, changes_seen=mark)
        except (DatabaseError, LookupError):
            logger.exception("Rollup skipped district %s (schema %s)", district.slug, district.schema_name)
            continue
        refreshed += 1
    return refreshed


@transaction.atomic
def rollup_refresh_request(*, actor: StaffActor) -> None:
    """Queue a refresh of every district's figures now (the dashboard's button), audited as
    ``rollup.refresh``. The task is enqueued when the transaction commits. Platform staff only."""
    # lazy: an import cycle still to break: the task module runs this module's rollup_refresh.
    from state_admin.tasks.rollup import rollup_refresh_now_task

    audit_record(actor=actor, action="rollup.refresh", target="all districts")
    transaction.on_commit(rollup_refresh_now_task)
