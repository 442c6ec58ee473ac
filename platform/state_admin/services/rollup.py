"""The rollup: every district's figures copied into the public schema for the state dashboard.

The dashboard reads only ``DistrictRollup`` and ``AdoptionWeek`` (and the District table), never a
district's schema; this module is the one place that visits every schema, from a periodic task.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from contextlib import nullcontext

from django.db import DatabaseError, connection, connections, transaction
from django.utils import timezone

from core.models import ActiveDay, AuditEvent
from core.org.selectors.adoption import SERIES, district_figures
from state_admin.models import AdoptionWeek, DistrictRollup
from state_admin.services.audit import StaffActor, audit_record
from tenants.citus import citus_active
from tenants.context import district_context
from tenants.models import STATUSES_WITH_SCHEMA, District

logger = logging.getLogger(__name__)

ROLLUP_WEEKS = 12
# Threads reading districts' figures at once in a pass (_read_all): no more than a process's
# pool holds by default (KARYALAY_DB_POOL_MAX, 4).
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


def _unchanged(rollup: DistrictRollup | None, mark: dict | None, today) -> bool:
    """Figures read today with the same change mark: nothing they count has changed since.
    (A new day always refreshes: postings start and end, and the weeks move on, by the date.)"""
    return (
        rollup is not None
        and mark is not None
        and rollup.changes_seen == mark
        and timezone.localdate(rollup.refreshed_at) == today
    )


def _figures(district: District, today) -> dict:
    """One district's figures, read under its schema (``LookupError``: no schema name)."""
    with district_context(district.schema_name):
        return district_figures(weeks=ROLLUP_WEEKS, today=today)


def _read_one(district: District, mark: dict | None, today) -> tuple[District, dict, dict | None] | None:
    """(district, figures, mark), or None for a district whose schema is missing or broken
    (logged)."""
    try:
        # A savepoint only inside a caller's transaction, which a failed read would break.
        with transaction.atomic() if connection.in_atomic_block else nullcontext():
            return district, _figures(district, today), mark
    except (DatabaseError, LookupError):
        logger.exception("Rollup skipped district %s (schema %s)", district.slug, district.schema_name)
        return None


def _read_all(todo: list[tuple[District, dict | None]], today) -> list[tuple[District, dict, dict | None]]:
    """Every district's figures. A district's read is a dozen short statements, so a pass waits
    on round trips far more than it computes (40 districts at load 12: 9.1 s of wall time, 0.75 s
    of CPU in Python and the database together): ``ROLLUP_READERS`` threads read at once, each on
    a connection of its own, taken from the process's pool (this thread hands its own back
    first) and returned at the end. Inside a caller's transaction (tests) the reads stay on its
    connection, the only one that sees what it has not committed."""
    if connection.in_atomic_block or len(todo) < 2:
        return [row for row in (_read_one(d, mark, today) for d, mark in todo) if row is not None]
    connection.close()
    results: list[tuple[District, dict, dict | None] | None] = [None] * len(todo)

    def reader(start: int) -> None:
        try:
            for i in range(start, len(todo), ROLLUP_READERS):
                results[i] = _read_one(*todo[i], today)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=reader, args=(k,)) for k in range(min(ROLLUP_READERS, len(todo)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [row for row in results if row is not None]


@transaction.atomic
def _store(read: list[tuple[District, dict, dict | None]]) -> list[DistrictRollup]:
    """Upsert the rollup rows and the adoption rows of the last ``ROLLUP_WEEKS`` weeks (older
    weeks are kept) of every (district, figures, change mark) in ``read``: two statements for any
    number of districts, in one transaction."""
    now = timezone.now()
    rollups = [
        DistrictRollup(
            district=district,
            **{field: figures[field] for field in _ROLLUP_FIELDS},
            refreshed_at=now,
            changes_seen=mark or {},
        )
        for district, figures, mark in read
    ]
    if not rollups:
        return []
    DistrictRollup.objects.bulk_create(
        rollups,
        update_conflicts=True,
        unique_fields=["district"],
        update_fields=[*_ROLLUP_FIELDS, "refreshed_at", "changes_seen"],
    )
    AdoptionWeek.objects.bulk_create(
        [
            AdoptionWeek(district=district, week=row["week"], **{s: row[s] for s in SERIES})
            for district, figures, _mark in read
            for row in figures["weeks"]
        ],
        update_conflicts=True,
        unique_fields=["district", "week"],
        update_fields=list(SERIES),
    )
    return rollups


def rollup_refresh_one(district: District, *, changes_seen: dict | None = None) -> DistrictRollup:
    """Read one district's figures under its schema and upsert its rollup row and the adoption
    rows of the last ``ROLLUP_WEEKS`` weeks, in one transaction (older weeks are kept).

    Raises ``DatabaseError`` when the schema is missing or broken (nothing is written) and
    ``LookupError`` when the district has no schema name. For tests and single refreshes.
    """
    figures = _figures(district, timezone.localdate())
    return _store([(district, figures, changes_seen)])[0]


def rollup_refresh(*, districts: Iterable[District] | None = None, changed_only: bool = False) -> int:
    """Refresh the rollup of every district that has a schema (live, suspended, archived), or of
    those of ``districts`` that have one. Each district's figures are read under its schema
    (``_read_all``: several districts at once); a district whose schema is missing or broken is
    logged and skipped, and the others still refresh. Then every figure read is stored in one
    transaction (two statements).

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
    todo = [
        (district, marks.get(district.schema_name))
        for district in queryset
        if not (changed_only and _unchanged(rollups.get(district.pk), marks.get(district.schema_name), today))
    ]
    read = _read_all(todo, today)
    _store(read)
    return len(read)


@transaction.atomic
def rollup_refresh_request(*, actor: StaffActor) -> None:
    """Queue a refresh of every district's figures now (the dashboard's button), audited as
    ``rollup.refresh``. The task is enqueued when the transaction commits. Platform staff only."""
    # lazy: an import cycle still to break: the task module runs this module's rollup_refresh.
    from state_admin.tasks.rollup import rollup_refresh_now_task

    audit_record(actor=actor, action="rollup.refresh", target="all districts")
    transaction.on_commit(rollup_refresh_now_task)
