"""The rollup: every district's figures copied into the public schema for the state dashboard.

The dashboard reads only ``DistrictRollup`` and ``AdoptionWeek`` (and the District table), never a
district's schema; this module is the one place that visits every schema, from a periodic task.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from contextlib import nullcontext

from django.db import connection, transaction
from django.utils import timezone

from core.base.districts import districts_visit
from core.models import ActiveDay, AuditEvent
from core.org.selectors.adoption import SERIES, district_figures
from state_admin.models import AdoptionWeek, DistrictRollup
from tenants.citus import citus_active
from tenants.context import district_context
from tenants.models import STATUSES_WITH_SCHEMA, District

logger = logging.getLogger(__name__)

ROLLUP_WEEKS = 12
# Threads reading districts' figures at once in a pass (districts_visit's concurrency): no more
# than a process's pool holds by default (KARYALAY_DB_POOL_MAX, 4).
ROLLUP_READERS = 4
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


# Schemas whose change marks are read in one statement (a subquery pair each), where the marks
# are the newest ids (Citus, or a server that does not count row changes).
_MARKS_BATCH = 250

# The tables whose changes a rollup figure counts: every change a figure counts leaves an audit
# event in the same transaction (offices, readiness, postings, dak, files, documents), except an
# officer's first visit of a day (an active day).
_MARKED = {"audit": AuditEvent._meta.db_table, "day": ActiveDay._meta.db_table}


def rollup_changes_seen(schema_names: list[str]) -> dict[str, dict]:
    """Each schema's change mark, for the schemas that can be read (missing ones are left out).

    The mark is what PostgreSQL's statistics count of the marked tables: rows inserted, updated
    and deleted, committed or not, plus this transaction's own, and when the counts were last
    reset. All schemas are read in one catalog statement (0.12 s at 1,000 districts, 1.5 s on a
    fresh connection, where their newest ids took 6.7 and 16.7 s). A count only grows when a transaction
    that wrote the table ends, so a mark that includes a change was read after that change
    committed, and figures read after the mark see it. A change whose count is not yet published
    is refreshed at the next pass: a backend publishes its counts when it goes idle, or 10 s later
    when it published less than a second before, and at most 60 s after a busy stretch. On Citus
    (the tables live on the workers) or where ``track_counts`` is off, the mark is each schema's
    newest ids instead (``_newest_ids``)."""
    if citus_active(connection) or not _counts_tracked():
        return _newest_ids(schema_names)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname, c.relname, "
            "pg_stat_get_tuples_inserted(c.oid) + pg_stat_get_tuples_updated(c.oid) "
            "+ pg_stat_get_tuples_deleted(c.oid) + pg_stat_get_xact_tuples_inserted(c.oid) "
            "+ pg_stat_get_xact_tuples_updated(c.oid) + pg_stat_get_xact_tuples_deleted(c.oid), "
            "(SELECT extract(epoch FROM stats_reset)::text FROM pg_stat_database "
            " WHERE datname = current_database()) "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relname = ANY(%s) AND c.relkind = 'r' AND n.nspname = ANY(%s)",
            [list(_MARKED.values()), list(schema_names)],
        )
        rows = cursor.fetchall()
    key_of = {table: key for key, table in _MARKED.items()}
    marks: dict[str, dict] = {}
    for schema, table, changes, reset in rows:
        marks.setdefault(schema, {"reset": reset})[key_of[table]] = changes
    return {schema: mark for schema, mark in marks.items() if len(mark) == len(_MARKED) + 1}


def _counts_tracked() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('track_counts')::bool")
        return cursor.fetchone()[0]


def _newest_ids(schema_names: list[str]) -> dict[str, dict]:
    """Each schema's newest audit event id and active day id, in a few statements (each opens
    two tables a schema: 6.7 s at 1,000 districts with a warm connection, 16.7 s cold)."""
    quote = connection.ops.quote_name
    events, days = _MARKED["audit"], _MARKED["day"]
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


def _unchanged(seen: tuple | None, mark: dict | None, today) -> bool:
    """Figures read today with the same change mark (``seen``: the rollup row's mark and refresh
    time): nothing they count has changed since. (A new day always refreshes: postings start and
    end, and the weeks move on, by the date.)"""
    return seen is not None and mark is not None and seen[0] == mark and timezone.localdate(seen[1]) == today


def _figures(district: District, today) -> dict:
    """One district's figures, read under its schema (``LookupError``: no schema name)."""
    with district_context(district):
        return district_figures(weeks=ROLLUP_WEEKS, today=today)


def _read(district: District, today) -> dict:
    """One district's figures for a pass (``districts_visit`` logs and counts a failure: a
    missing or broken schema). A district's read is a dozen short statements, so a pass waits on
    round trips far more than it computes (40 districts at load 12: 9.1 s of wall time, 0.75 s of
    CPU in Python and the database together): ``ROLLUP_READERS`` read at once."""
    # A savepoint only inside a caller's transaction (tests), which a failed read would break.
    with transaction.atomic() if connection.in_atomic_block else nullcontext():
        return _figures(district, today)


# The upserts of _store: rows arrive as one JSON array (jsonb_to_recordset), so a pass builds no
# model instance and binds one parameter a statement. A row whose figures are unchanged is not
# rewritten (the WHERE of DO UPDATE), except the rollup's refresh time and mark.
_ROLLUP_UPSERT = """
INSERT INTO {table} (district_id, {fields}, refreshed_at, changes_seen)
SELECT r.district_id, {read}, %(now)s, r.changes_seen
FROM jsonb_to_recordset(%(rows)s::jsonb) AS r(district_id bigint, {types}, changes_seen jsonb)
ON CONFLICT (district_id) DO UPDATE SET {update}, refreshed_at = EXCLUDED.refreshed_at,
    changes_seen = EXCLUDED.changes_seen
"""
_WEEKS_UPSERT = """
INSERT INTO {table} AS t (district_id, week, {series})
SELECT r.district_id, r.week, {read}
FROM jsonb_to_recordset(%(rows)s::jsonb) AS r(district_id bigint, week date, {types})
ON CONFLICT (district_id, week) DO UPDATE SET {update}
WHERE ({current}) IS DISTINCT FROM ({excluded})
"""


def _upsert_sql() -> tuple[str, str]:
    json_fields = {"offices_by_phase", "readiness_gaps"}
    rollup = _ROLLUP_UPSERT.format(
        table=DistrictRollup._meta.db_table,
        fields=", ".join(_ROLLUP_FIELDS),
        read=", ".join(f"r.{f}" for f in _ROLLUP_FIELDS),
        types=", ".join(f"{f} {'jsonb' if f in json_fields else 'bigint'}" for f in _ROLLUP_FIELDS),
        update=", ".join(f"{f} = EXCLUDED.{f}" for f in _ROLLUP_FIELDS),
    )
    weeks = _WEEKS_UPSERT.format(
        table=AdoptionWeek._meta.db_table,
        series=", ".join(SERIES),
        read=", ".join(f"r.{s}" for s in SERIES),
        types=", ".join(f"{s} bigint" for s in SERIES),
        update=", ".join(f"{s} = EXCLUDED.{s}" for s in SERIES),
        current=", ".join(f"t.{s}" for s in SERIES),
        excluded=", ".join(f"EXCLUDED.{s}" for s in SERIES),
    )
    return rollup, weeks


_ROLLUP_SQL, _WEEKS_SQL = _upsert_sql()


@transaction.atomic
def _store(read: list[tuple[District, dict, dict | None]]) -> None:
    """Upsert the rollup rows and the adoption rows of the last ``ROLLUP_WEEKS`` weeks (older
    weeks are kept) of every (district, figures, change mark) in ``read``: two statements for any
    number of districts, in one transaction. (40 districts at load 22: 0.9 s through
    ``bulk_create``, most of it building and preparing 520 model instances in Python.)"""
    if not read:
        return
    rollups = [
        {
            "district_id": district.pk,
            **{field: figures[field] for field in _ROLLUP_FIELDS},
            "changes_seen": mark or {},
        }
        for district, figures, mark in read
    ]
    weeks = [
        {"district_id": district.pk, "week": row["week"].isoformat(), **{s: row[s] for s in SERIES}}
        for district, figures, _mark in read
        for row in figures["weeks"]
    ]
    with connection.cursor() as cursor:
        cursor.execute(_ROLLUP_SQL, {"now": timezone.now(), "rows": json.dumps(rollups)})
        if weeks:
            cursor.execute(_WEEKS_SQL, {"rows": json.dumps(weeks)})


def rollup_refresh_one(district: District, *, changes_seen: dict | None = None) -> DistrictRollup:
    """Read one district's figures under its schema and upsert its rollup row and the adoption
    rows of the last ``ROLLUP_WEEKS`` weeks, in one transaction (older weeks are kept).

    Raises ``DatabaseError`` when the schema is missing or broken (nothing is written) and
    ``LookupError`` when the district has no schema name. For tests and single refreshes.
    """
    figures = _figures(district, timezone.localdate())
    _store([(district, figures, changes_seen)])
    return DistrictRollup.objects.get(district=district)


def rollup_refresh(*, districts: Iterable[District] | None = None, changed_only: bool = False) -> int:
    """Refresh the rollup of every district that has a schema (live, suspended, archived), or of
    those of ``districts`` that have one. Each district's figures are read under its schema
    (``core.base.districts.districts_visit``, ``ROLLUP_READERS`` districts at once); a district
    whose schema is missing or broken is logged and skipped, and the others still refresh. Then
    every figure read is stored in one transaction (two statements).

    With ``changed_only`` (the periodic pass) a district whose change mark
    (``rollup_changes_seen``) is the one its figures were read with, today, is skipped: at 1,000
    districts a pass costs the districts that changed, not every schema. The mark is read before
    the figures, so a change that lands in between is refreshed again at the next pass.

    Returns how many districts were refreshed. Run by the periodic rollup task (and, when staff
    ask, ``rollup_requests.rollup_refresh_request``'s task); safe to repeat.
    """
    queryset = District.objects.filter(status__in=STATUSES_WITH_SCHEMA).order_by("pk")
    if districts is not None:
        queryset = queryset.filter(pk__in=[getattr(d, "pk", d) for d in districts])
    queryset = list(queryset)
    marks = rollup_changes_seen([district.schema_name for district in queryset])
    seen: dict[int, tuple] = {}
    if changed_only:  # (mark, refreshed at) only: the figures' JSON is not decoded for nothing
        seen = {
            pk: (mark, at)
            for pk, mark, at in DistrictRollup.objects.filter(
                district__in=[district.pk for district in queryset]
            ).values_list("district_id", "changes_seen", "refreshed_at")
        }
    today = timezone.localdate()
    todo = {
        district.schema_name: district
        for district in queryset
        if not (changed_only and _unchanged(seen.get(district.pk), marks.get(district.schema_name), today))
    }
    if not todo:
        return 0
    figures = districts_visit(
        lambda district: _read(district, today),
        failure="Rollup skipped",
        statuses=STATUSES_WITH_SCHEMA,
        schemas=list(todo),
        concurrency=ROLLUP_READERS,
    )
    _store([(todo[name], read, marks.get(name)) for name, read in figures.items()])
    return len(figures)
