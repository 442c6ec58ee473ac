"""Running on a Citus cluster (issue 21): what the application does differently there, and nothing
anywhere else. Every function here is a no-op on a server that has not loaded Citus.

On Citus with schema-based sharding (``citus.enable_schema_based_sharding``, set on the
coordinator), every schema made after the switch is a *distributed schema*: its tables live
together on one worker node, and a district moves whole between workers. The public tables that
district tables reference (accounts, and what they reference in turn) must be *reference tables*,
copied to every node, or a district table cannot have its foreign key: migration tenants.0008 makes
them so (``reference_tables_ensure``). Public tables that reference those (allauth's e-mail
addresses, say) become Citus local tables on the coordinator by themselves.

``database_prepare`` readies one database on the cluster: the citus extension on the coordinator
and on every worker, the workers registered (taken from the coordinator's
``karyalay.citus_workers`` setting, which ``deploy/citus/cluster.sh`` writes), and the extensions
the search needs (pg_trgm) on every node. The cluster script runs it for the application's
database; migration tenants.0008 runs it for any other, such as the test runner's, which Django
creates itself. Production clusters are prepared by their operators (deploy/citus/README.md) and
this finds nothing left to do.

Run from the shell: ``python -m tenants.citus prepare <database url>``.
"""

from __future__ import annotations

import sys

__all__ = [
    "citus_loaded",
    "citus_active",
    "database_prepare",
    "reference_tables_ensure",
    "reference_tables_wanted",
    "schema_placement",
    "placements",
    "nodes",
    "schema_move",
    "MoveError",
    "SHARD_STATISTICS_FUNCTION",
    "shard_statistics_function_ensure",
]


def citus_loaded(cursor) -> bool:
    """Whether the server preloads Citus (so this database may have, or get, the extension)."""
    cursor.execute("SELECT current_setting('shared_preload_libraries') ~ '(^|[ ,])citus($|[ ,])'")
    return bool(cursor.fetchone()[0])


def citus_active(connection) -> bool:
    """Whether this database has the citus extension. Remembered on the connection."""
    known = getattr(connection, "_karyalay_citus", None)
    if known is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'citus'")
            known = cursor.fetchone() is not None
        connection._karyalay_citus = known
    return known


# --- Preparing a database on the cluster ------------------------------------------------------


def _workers(cursor) -> list[tuple[str, int]]:
    cursor.execute("SELECT current_setting('karyalay.citus_workers', true)")
    value = (cursor.fetchone()[0] or "").strip()
    workers = []
    for item in filter(None, (part.strip() for part in value.split(","))):
        host, _, port = item.rpartition(":")
        workers.append((host, int(port)))
    return workers


def _worker_conninfo(params: dict, host: str, port: int, dbname: str) -> dict:
    return {**params, "host": host, "port": port, "dbname": dbname}


def database_prepare(cursor, params: dict) -> bool:
    """Ready the database ``cursor`` is connected to (as a superuser) on a Citus coordinator.
    ``params`` are psycopg connection keywords for it (user, password), used to reach the workers.
    Returns whether Citus is active in it now. Idempotent; commits as it goes (autocommit)."""
    import psycopg

    if not citus_loaded(cursor):
        return False
    cursor.execute("SELECT current_database(), inet_server_port()")
    dbname, port = cursor.fetchone()
    cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'citus'")
    if cursor.fetchone() is None:
        cursor.execute("CREATE EXTENSION citus")
    cursor.execute("SELECT extname FROM pg_extension WHERE extname IN ('pg_trgm')")
    extensions = [row[0] for row in cursor.fetchall()]
    cursor.execute("SELECT nodename, nodeport FROM pg_dist_node WHERE groupid <> 0")
    registered = set(cursor.fetchall())
    workers = _workers(cursor)
    fresh = not registered
    for host, wport in workers:
        # The database on each worker: made here (CREATE DATABASE is not propagated, see
        # deploy/citus/cluster.sh). A test database the runner dropped on the coordinator is still
        # on the workers, holding the last run's districts: made again, empty (so is a benchmark's,
        # bench/_db.py, which it drops WITH (FORCE) to start afresh). Any other
        # database found there while the coordinator's has no workers yet is an operator's to sort.
        with psycopg.connect(**_worker_conninfo(params, host, wport, "postgres"), autocommit=True) as admin:
            exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]).fetchone()
            if exists and fresh and (dbname.startswith("test_") or "_bench_" in dbname):
                admin.execute(f'DROP DATABASE "{dbname}" WITH (FORCE)')  # a name from pg_database
                exists = None
            if not exists:
                admin.execute(f'CREATE DATABASE "{dbname}"')
        with psycopg.connect(**_worker_conninfo(params, host, wport, dbname), autocommit=True) as worker:
            worker.execute("CREATE EXTENSION IF NOT EXISTS citus")
            for extension in extensions:
                # Before the worker is registered (a registered one refuses DDL; Citus itself then
                # propagates every CREATE EXTENSION made on the coordinator).
                present = worker.execute("SELECT 1 FROM pg_extension WHERE extname = %s", [extension])
                if not present.fetchone():
                    worker.execute(f"CREATE EXTENSION {extension} WITH SCHEMA public")
    if workers:
        cursor.execute("SELECT citus_set_coordinator_host('127.0.0.1', %s)", [port])
        for host, wport in workers:
            if (host, wport) not in registered:
                cursor.execute("SELECT citus_add_node(%s, %s)", [host, wport])
    return True


# --- Reference tables -------------------------------------------------------------------------


def reference_tables_wanted(apps) -> list[str]:
    """The public tables district tables reference, with everything those reference in turn,
    ordered so that a table comes after the tables it references. From the models (``apps`` may be
    a migration's historical registry), so it holds before any district schema exists."""
    from django.conf import settings

    tenant_labels = {name.rsplit(".", 1)[-1] for name in settings.TENANT_APPS}
    shared_labels = {name.rsplit(".", 1)[-1] for name in settings.SHARED_APPS}

    def shared_only(model) -> bool:
        return model._meta.app_label in shared_labels and model._meta.app_label not in tenant_labels

    def references(model):
        for field in model._meta.get_fields(include_hidden=True):
            if field.is_relation and field.concrete and (field.many_to_one or field.one_to_one):
                target = field.related_model
                if target is not None and target is not model and shared_only(target):
                    yield target

    ordered: list[str] = []
    seen: set = set()

    def visit(model) -> None:
        if model in seen:
            return
        seen.add(model)
        for target in references(model):
            visit(target)
        if model._meta.db_table not in ordered:
            ordered.append(model._meta.db_table)

    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label in tenant_labels:
            for target in references(model):
                visit(target)
    return ordered


def reference_tables_ensure(connection, apps) -> list[str]:
    """Make every wanted public table a reference table (on Citus; else nothing). Returns the ones
    it made."""
    if not citus_active(connection):
        return []
    made = []
    with connection.cursor() as cursor:
        for table in reference_tables_wanted(apps):
            cursor.execute(
                "SELECT partmethod FROM pg_dist_partition WHERE logicalrelid = to_regclass(%s)",
                [f'public."{table}"'],
            )
            row = cursor.fetchone()
            if row is not None and row[0] == "n" and _is_reference(cursor, table):
                continue
            if row is not None:  # a Citus local table (it references a reference table): undo first
                cursor.execute(
                    "SELECT undistribute_table(%s, cascade_via_foreign_keys => true)", [f'public."{table}"']
                )
            cursor.execute("SELECT create_reference_table(%s)", [f'public."{table}"'])
            made.append(table)
    return made


def _is_reference(cursor, table: str) -> bool:
    cursor.execute(
        "SELECT 1 FROM pg_dist_partition WHERE logicalrelid = to_regclass(%s) AND repmodel = 't'",
        [f'public."{table}"'],
    )
    return cursor.fetchone() is not None


# --- ANALYZE's statistics of a district's table --------------------------------------------

# On a cluster ANALYZE's statistics of a district's table are on the worker that holds its shard,
# and in the transaction that ran ANALYZE only that transaction's own connection to the worker
# sees them (run_command_on_placements opens connections of its own). This function, in public on
# every node (Citus propagates it), is called in a statement on the district's table, which Citus
# routes to the worker on the transaction's connection, with the row's ``tableoid``: there the
# shard's. It returns {"e": most common elements, "f": their frequencies} as JSON text, or ''.
SHARD_STATISTICS_FUNCTION = "public.karyalay_shard_statistics"

_SHARD_STATISTICS_SQL = """
CREATE OR REPLACE FUNCTION public.karyalay_shard_statistics(rel regclass, col name) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT coalesce((
    SELECT json_build_object('e', s.most_common_elems::text::text[], 'f', s.most_common_elem_freqs)::text
    FROM pg_catalog.pg_stats s
    JOIN pg_catalog.pg_class c ON c.relname = s.tablename
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace AND n.nspname = s.schemaname
    WHERE c.oid = rel AND s.attname = col), '')
$$
"""


def shard_statistics_function_ensure(connection) -> None:
    """Create (or replace) the function above where Citus is active; nothing elsewhere."""
    if not citus_active(connection):
        return
    with connection.cursor() as cursor:
        cursor.execute(_SHARD_STATISTICS_SQL)


# --- Where districts live --------------------------------------------------------------------


def placements(connection) -> dict[str, str]:
    """Schema name → "host:port" of the worker that holds it, for every distributed schema. Empty
    where Citus is not active."""
    if not citus_active(connection):
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT DISTINCT ON (s.schema_name) s.schema_name::text, n.nodename || ':' || n.nodeport
            FROM citus_schemas s
            JOIN pg_dist_partition p ON p.colocationid = s.colocation_id
            JOIN pg_dist_shard sh ON sh.logicalrelid = p.logicalrelid
            JOIN pg_dist_placement pl ON pl.shardid = sh.shardid
            JOIN pg_dist_node n ON n.groupid = pl.groupid
            ORDER BY s.schema_name
            """
        )
        return dict(cursor.fetchall())


def schema_placement(connection, schema_name: str) -> str | None:
    return placements(connection).get(schema_name)


def nodes(connection) -> list[str]:
    """The active worker nodes, as "host:port"."""
    if not citus_active(connection):
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nodename || ':' || nodeport FROM pg_dist_node"
            " WHERE groupid <> 0 AND isactive AND noderole = 'primary' ORDER BY nodeid"
        )
        return [row[0] for row in cursor.fetchall()]


class MoveError(Exception):
    pass


MOVE_MODES = ("auto", "force_logical", "block_writes")


def schema_move(connection, schema_name: str, target: str, *, mode: str = "auto") -> dict:
    """Move a distributed schema (a district: every table, one colocation group) to the worker
    ``target`` ("host:port") with Citus's shard move. ``auto`` copies by logical replication where
    every table has a replica identity (all of Karyalay's have primary keys), so the district
    keeps taking writes until a short final switch; ``block_writes`` holds its writes during the
    copy. Runs outside a transaction (Citus refuses a move inside one). Returns source, target
    and seconds."""
    import time

    if mode not in MOVE_MODES:
        raise MoveError(f"Unknown transfer mode {mode!r}; one of {', '.join(MOVE_MODES)}.")
    if not citus_active(connection):
        raise MoveError("This database is not on a Citus cluster: there is nowhere to move to.")
    if target not in nodes(connection):
        raise MoveError(f"{target} is not an active worker of this cluster ({', '.join(nodes(connection))}).")
    if connection.in_atomic_block:
        raise MoveError("A district move cannot run inside a transaction.")
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT sh.shardid, n.nodename, n.nodeport
            FROM citus_schemas s
            JOIN pg_dist_partition p ON p.colocationid = s.colocation_id
            JOIN pg_dist_shard sh ON sh.logicalrelid = p.logicalrelid
            JOIN pg_dist_placement pl ON pl.shardid = sh.shardid
            JOIN pg_dist_node n ON n.groupid = pl.groupid
            WHERE s.schema_name = to_regnamespace(%s)
            ORDER BY sh.shardid LIMIT 1
            """,
            [connection.ops.quote_name(schema_name)],
        )
        row = cursor.fetchone()
        if row is None:
            raise MoveError(f"Schema {schema_name!r} is not a distributed schema.")
        shard, source_host, source_port = row
        source = f"{source_host}:{source_port}"
        if source == target:
            return {"source": source, "target": target, "seconds": 0.0, "moved": False}
        host, _, port = target.rpartition(":")
        started = time.monotonic()
        # One shard of the group moves the whole colocation group: the district's every table.
        cursor.execute(
            "SELECT citus_move_shard_placement(%s, %s, %s, %s, %s,"
            " shard_transfer_mode => %s::citus.shard_transfer_mode)",
            [shard, source_host, source_port, host, int(port), mode],
        )
        seconds = time.monotonic() - started
    return {"source": source, "target": target, "seconds": seconds, "moved": True}


def _main(argv: list[str]) -> int:
    import psycopg

    if len(argv) != 2 or argv[0] != "prepare":
        print("usage: python -m tenants.citus prepare <database url>", file=sys.stderr)
        return 2
    info = psycopg.conninfo.conninfo_to_dict(argv[1])
    params = {key: info[key] for key in ("user", "password") if info.get(key)}
    with psycopg.connect(argv[1], autocommit=True) as conn:
        active = database_prepare(conn.cursor(), params)
    print("citus active" if active else "citus not loaded on this server: nothing to do")
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
