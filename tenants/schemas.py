"""Making district schemas fast: a migrated template schema, cloned by replaying its DDL.

Running every migration for each new district costs seconds (and grows with every migration);
django-tenants' ``clone_schema()`` walks the catalog object by object in PL/pgSQL and is only a
little faster. Here the template's catalog is read once with a handful of set-based queries into
one DDL script (tables with their original constraint and index names, sequences, views,
functions, triggers, and the rows the template holds, such as ``django_migrations``). The script
is cached per template version and replayed for each district in a single round trip.

The template is a plain schema (no District row), kept current by ``template_ensure_current()``,
which ``provision`` and ``template_refresh`` call: it migrates the template whenever a tenant
migration is missing from it.

Replaying the script costs more as the database holds more schemas (the catalog grows: 0.29 s a
district with 45 schemas, 1.88 s with 1,000). So a few spare schemas are cloned ahead of time in
the background (``spares_fill``, a periodic task), named after the template version they copy,
and provisioning gives one the district's name with ``ALTER SCHEMA … RENAME`` (``spare_take``),
which costs the same at any number of schemas. A spare of an older template version is never
taken, and the next fill drops it; with no spare left, provisioning clones as before.
"""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, ProgrammingError, connection, transaction
from django.db.migrations.loader import MigrationLoader

from tenants.citus import citus_active
from tenants.roles import schema_privileges_apply

__all__ = [
    "template_name",
    "template_ensure_current",
    "template_refresh",
    "schema_create",
    "schema_clone_template",
    "schema_migrate",
    "schema_drop",
    "spare_take",
    "spares_fill",
]

# Serialises template migrations between processes (an arbitrary, fixed advisory-lock key).
_TEMPLATE_LOCK = 0x4B41_5259


def template_name() -> str:
    return settings.KARYALAY_TEMPLATE_SCHEMA


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


@contextmanager
def _search_path(schema: str, *, include_public: bool) -> Iterator[None]:
    previous, previous_public = connection.tenant, connection.include_public_schema
    connection.set_schema(schema, include_public=include_public)
    try:
        yield
    finally:
        connection.set_tenant(previous, include_public=previous_public)


@functools.cache
def tenant_migration_keys() -> frozenset[tuple[str, str]]:
    """Every migration of the district (tenant) apps, as (app_label, name). Read from the
    migration files once per process (they do not change while it runs)."""
    from django.apps import apps

    tenant_labels = {apps.get_app_config(app.rsplit(".", 1)[-1]).label for app in settings.TENANT_APPS}
    loader = MigrationLoader(None, ignore_no_migrations=True, load=True)
    return frozenset(key for key in loader.graph.nodes if key[0] in tenant_labels)


def _applied_in(schema: str) -> set[tuple[str, str]]:
    """The migrations applied in ``schema`` (none where it or its table is missing). Outside a
    transaction in one statement, whose failure then breaks nothing; inside one, the table is
    looked for first."""
    table = f"{_quote(schema)}.django_migrations"
    with connection.cursor() as cursor:
        if not connection.in_atomic_block:
            try:
                cursor.execute(f"SELECT app, name FROM {table}")  # noqa: S608 (quoted name)
            except ProgrammingError:  # no such schema or table
                return set()
            return set(cursor.fetchall())
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [table])
        if not cursor.fetchone()[0]:
            return set()
        cursor.execute(f"SELECT app, name FROM {table}")  # noqa: S608 (quoted name)
        return set(cursor.fetchall())


def template_is_current() -> bool:
    return tenant_migration_keys() <= _applied_in(template_name())


def template_ensure_current() -> str:
    """Create or migrate the template schema if any tenant migration is missing from it; returns
    its version (``spare_take`` takes it, so provisioning reads the template's migrations once).

    Commits on its own; call it outside the provisioning transaction.
    """
    applied = _applied_in(template_name())
    if tenant_migration_keys() <= applied:
        return _version_of(applied)
    template_refresh()
    return _template_version()


def template_refresh() -> None:
    """Migrate the template schema (creating it first if needed). Safe to run at any time."""
    if connection.in_atomic_block:
        raise RuntimeError("template_refresh() commits; call it outside a transaction.")
    name = template_name()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [_TEMPLATE_LOCK])
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE SCHEMA IF NOT EXISTS {_quote(name)}")
        call_command("migrate_schemas", schema_name=name, tenant=True, interactive=False, verbosity=0)
    finally:
        connection.set_schema_to_public()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_TEMPLATE_LOCK])
    _script_cache.clear()
    # Tables a migration just made got the app role's ordinary rights by default; narrow its audit table.
    with transaction.atomic():
        schema_privileges_apply(name)


# --- Reading the template's catalog --------------------------------------------------------

_COLUMNS = """
SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
       pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated,
       CASE WHEN a.attcollation <> t.typcollation THEN co.collname END
FROM pg_class c
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
LEFT JOIN pg_collation co ON co.oid = a.attcollation
WHERE c.relnamespace = %(ns)s::regnamespace AND c.relkind = 'r'
ORDER BY c.oid, a.attnum
"""

_SEQUENCES = """
SELECT c.relname, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, s.seqmax,
       s.seqcache, s.seqcycle
FROM pg_class c JOIN pg_sequence s ON s.seqrelid = c.oid
WHERE c.relnamespace = %(ns)s::regnamespace AND c.relkind = 'S'
  AND NOT EXISTS (SELECT 1 FROM pg_depend dp WHERE dp.objid = c.oid AND dp.deptype = 'i')
ORDER BY c.oid
"""

_CONSTRAINTS = """
SELECT c.relname, k.conname, pg_get_constraintdef(k.oid), k.contype,
       k.contype = 'f' AND r.relnamespace <> k.connamespace
FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
LEFT JOIN pg_class r ON r.oid = k.confrelid
WHERE k.connamespace = %(ns)s::regnamespace AND k.contype IN ('p', 'u', 'c', 'x', 'f')
ORDER BY k.contype = 'f', c.oid, k.oid
"""

_INDEXES = """
SELECT pg_get_indexdef(i.indexrelid)
FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
WHERE c.relnamespace = %(ns)s::regnamespace
  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid)
ORDER BY i.indexrelid
"""

_VIEWS = """
SELECT c.relname, pg_get_viewdef(c.oid)
FROM pg_class c WHERE c.relnamespace = %(ns)s::regnamespace AND c.relkind = 'v' ORDER BY c.oid
"""

_FUNCTIONS = """
SELECT pg_get_functiondef(p.oid) FROM pg_proc p
WHERE p.pronamespace = %(ns)s::regnamespace AND p.prokind IN ('f', 'p') ORDER BY p.oid
"""

_TRIGGERS = """
SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
WHERE c.relnamespace = %(ns)s::regnamespace AND NOT t.tgisinternal ORDER BY t.oid
"""


# Template version (its applied migrations) → the statements of the DDL script that copies it.
_script_cache: dict[str, list[str]] = {}


def _template_version() -> str:
    return _version_of(_applied_in(template_name()))


def _version_of(applied: set[tuple[str, str]]) -> str:
    return hashlib.sha256(repr(sorted(applied)).encode()).hexdigest()


def _column_sql(name, type_, notnull, default, identity, generated, collation) -> str:
    parts = [_quote(name), type_]
    if collation:
        parts.append(f"COLLATE {_quote(collation)}")
    if identity:
        parts.append(
            "GENERATED ALWAYS AS IDENTITY" if identity == "a" else "GENERATED BY DEFAULT AS IDENTITY"
        )
    if generated == "s":
        parts.append(f"GENERATED ALWAYS AS ({default}) STORED")
    elif default is not None:
        parts.append(f"DEFAULT {default}")
    if notnull:
        parts.append("NOT NULL")
    return " ".join(parts)


def _build_script() -> list[str]:
    """Read the template's catalog (search_path = template only) into the statements of one DDL
    script."""
    name = template_name()
    ns = {"ns": _quote(name)}
    # pg_get_indexdef() and friends always qualify with the schema; the clone must not.
    qualified = re.compile(rf"(?<![\w\"])(?:{re.escape(_quote(name))}|{re.escape(name)})\.")
    statements: list[str] = []
    with _search_path(name, include_public=False), connection.cursor() as cursor:
        cursor.execute(_SEQUENCES, ns)
        for seq, type_, start, inc, minv, maxv, cache, cycle in cursor.fetchall():
            statements.append(
                f"CREATE SEQUENCE {_quote(seq)} AS {type_} INCREMENT {inc} MINVALUE {minv} MAXVALUE {maxv} "
                f"START {start} CACHE {cache} {'CYCLE' if cycle else 'NO CYCLE'}"
            )
        cursor.execute(_COLUMNS, ns)
        tables: dict[str, list[tuple]] = {}
        for table, *column in cursor.fetchall():
            tables.setdefault(table, []).append(tuple(column))
        for table, columns in tables.items():
            body = ", ".join(_column_sql(*column) for column in columns)
            statements.append(f"CREATE TABLE {_quote(table)} ({body})")
        cursor.execute(_CONSTRAINTS, ns)
        # A foreign key to a public table (tenants_user, …) takes a SHARE ROW EXCLUSIVE lock on
        # it until the provisioning commits, which stops every write to that table (a sign-in's
        # last_login) and every other provisioning: those come last, just before the commit.
        outward = []
        for table, constraint, definition, _kind, to_public in cursor.fetchall():
            statement = f"ALTER TABLE {_quote(table)} ADD CONSTRAINT {_quote(constraint)} {definition}"
            (outward if to_public else statements).append(statement)
        cursor.execute(_INDEXES, ns)
        statements.extend(qualified.sub("", definition) for (definition,) in cursor.fetchall())
        cursor.execute(_VIEWS, ns)
        statements.extend(
            f"CREATE VIEW {_quote(view)} AS {definition.rstrip(';')}"
            for view, definition in cursor.fetchall()
        )
        cursor.execute(_FUNCTIONS, ns)
        statements.extend(qualified.sub("", definition) for (definition,) in cursor.fetchall())
        cursor.execute(_TRIGGERS, ns)
        statements.extend(qualified.sub("", definition) for (definition,) in cursor.fetchall())
        statements.extend(_data_statements(cursor, name, tables))
    return statements + outward


def _data_statements(cursor, template: str, tables: dict[str, list[tuple]]) -> list[str]:
    """Copy the rows the template holds (django_migrations, seeded choices) and move sequences on."""
    if not tables:
        return []
    probes = " UNION ALL ".join(
        f"SELECT {i} WHERE EXISTS (SELECT 1 FROM {_quote(template)}.{_quote(table)})"  # noqa: S608
        for i, table in enumerate(tables)
    )
    cursor.execute(probes)
    with_rows = {row[0] for row in cursor.fetchall()}
    statements = []
    for i, (table, columns) in enumerate(tables.items()):
        if i not in with_rows:
            continue
        # Every name below comes from the catalog and is quoted; nothing comes from a user.
        names = ", ".join(_quote(c[0]) for c in columns if c[5] != "s")
        source = f"{_quote(template)}.{_quote(table)}"
        statements.append(
            f"INSERT INTO {_quote(table)} ({names}) OVERRIDING SYSTEM VALUE SELECT {names} FROM {source}"  # noqa: S608
        )
        for column in columns:
            if column[4]:  # identity column: continue after the copied rows
                sequence = f"pg_get_serial_sequence({_literal(_quote(table))}, {_literal(column[0])})"
                top = f"max({_quote(column[0])})"
                statements.append(
                    _SetVal(
                        f"SELECT setval({sequence}, {top}) FROM {_quote(table)} HAVING {top} IS NOT NULL",  # noqa: S608
                        sequence=sequence,
                        top=f"SELECT {top} FROM {_quote(table)}",  # noqa: S608
                    )
                )
    return statements


class _SetVal(str):
    """A statement that moves an identity sequence past the copied rows, with its two halves: on
    Citus the max is read from the district's worker and the sequence set on the coordinator (the
    worker's copy of a sequence has a range of its own, which a copied id is outside of)."""

    def __new__(cls, statement: str, *, sequence: str, top: str):
        made = super().__new__(cls, statement)
        made.sequence, made.top = sequence, top
        return made


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _script_statements() -> list[str]:
    version = _template_version()
    if version not in _script_cache:
        _script_cache.clear()
        _script_cache[version] = _build_script()
    return _script_cache[version]


def _script() -> str:
    return ";\n".join(_script_statements()) + ";\n"


# --- Making and dropping district schemas -------------------------------------------------


def schema_create(schema_name: str) -> None:
    """Create an empty schema, in the caller's transaction."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA {_quote(schema_name)}")


def schema_clone_template(schema_name: str) -> None:
    """Fill the empty ``schema_name`` with a copy of the template, in the caller's transaction."""
    script = _script()
    if not script.strip(";\n"):
        raise RuntimeError("The district template schema is empty; run `python manage.py template_refresh`.")
    with _search_path(schema_name, include_public=False), connection.cursor() as cursor:
        if citus_active(connection):
            # Citus forwards some DDL to the schema's worker as the whole query string, which the
            # worker refuses when it holds several statements (tenants/citus.py): one at a time.
            for statement in _script_statements():
                if isinstance(statement, _SetVal):
                    cursor.execute(statement.top)
                    top = cursor.fetchone()[0]
                    if top is not None:
                        cursor.execute(f"SELECT setval({statement.sequence}, %s)", [top])  # noqa: S608
                    continue
                cursor.execute(statement)
        else:
            cursor.execute(script)


def schema_migrate(schema_name: str) -> None:
    """Run every tenant migration on ``schema_name`` (the slow path, used when no template exists)."""
    call_command("migrate_schemas", schema_name=schema_name, tenant=True, interactive=False, verbosity=0)
    connection.set_schema_to_public()


def schema_drop(schema_name: str) -> None:
    """Drop a district schema and everything in it. Irreversible: callers check first."""
    if schema_name in ("public", "information_schema") or schema_name.startswith("pg_"):
        raise ValueError(f"Refusing to drop schema {schema_name!r}")
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {_quote(schema_name)} CASCADE")


# --- Spare schemas, cloned ahead of time --------------------------------------------------

SPARE_PREFIX = "_spare_"  # no district's schema starts so: a slug begins with a letter
SPARES = 3


def _spare_prefix(version: str | None = None) -> str:
    """Spares of the template as it is now (or at ``version``): the prefix names its version."""
    return f"{SPARE_PREFIX}{(version or _template_version())[:12]}_"


def _spares(prefix: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nspname FROM pg_namespace WHERE starts_with(nspname, %s) ORDER BY nspname", [prefix]
        )
        return [row[0] for row in cursor.fetchall()]


def spare_take(schema_name: str, *, version: str | None = None) -> bool:
    """Give a spare copy of the current template (of ``version``, as ``template_ensure_current``
    returned it: not read again) the name ``schema_name``, in the caller's transaction (so a
    failed provisioning gives it back). False when there is none: the caller then creates and
    clones the schema itself. Its rights for the app role were given when it was made. Two
    provisionings never get the same spare: the second's rename fails and it tries the next.

    One round trip: a DO block tries the spares in turn (each rename in a subtransaction of its
    own) and the statement after it says whether the name now exists (it did not before: the
    caller checked). On Citus, where DDL is sent alone, a statement a spare."""
    prefix = _spare_prefix(version)
    if citus_active(connection):
        return _spare_take_each(prefix, schema_name)
    with connection.cursor() as cursor:
        cursor.execute(
            # Both names are quoted literals: the prefix is hex, the schema name a checked slug's.
            "DO $take$ DECLARE spare text; BEGIN "  # noqa: S608
            "FOR spare IN SELECT nspname FROM pg_namespace "
            f"WHERE starts_with(nspname, {_literal(prefix)}) ORDER BY nspname LOOP "
            f"BEGIN EXECUTE format('ALTER SCHEMA %I RENAME TO %I', spare, {_literal(schema_name)}); RETURN; "
            "EXCEPTION WHEN OTHERS THEN NULL; END; "  # taken meanwhile by another provisioning
            "END LOOP; END $take$; "
            f"SELECT to_regnamespace({_literal(_quote(schema_name))}) IS NOT NULL"
        )
        cursor.nextset()  # the DO block's result comes first
        return cursor.fetchone()[0]


def _spare_take_each(prefix: str, schema_name: str) -> bool:
    for spare in _spares(prefix):
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"ALTER SCHEMA {_quote(spare)} RENAME TO {_quote(schema_name)}")
        except DatabaseError:
            continue  # taken meanwhile by another provisioning
        return True
    return False


def spares_fill(count: int = SPARES) -> int:
    """Clone spares of the current template until there are ``count``, dropping those of an older
    version; one transaction each. Returns how many it made. Run by a periodic task as the
    owner role, outside a transaction; safe to run twice at once (it may then make one more)."""
    if connection.in_atomic_block:
        raise RuntimeError("spares_fill() commits; call it outside a transaction.")
    template_ensure_current()
    prefix = _spare_prefix()
    for stale in _spares(SPARE_PREFIX):
        if not stale.startswith(prefix):
            with transaction.atomic():
                schema_drop(stale)
    made = 0
    while len(_spares(prefix)) < count:
        name = f"{prefix}{secrets.token_hex(4)}"
        with transaction.atomic():
            schema_create(name)
            schema_clone_template(name)
            schema_privileges_apply(name)
        made += 1
    return made
