"""Two database roles: the owner of every schema and table, and the ordinary role the site runs as.

The audit trail's triggers (core migration 0005) refuse UPDATE, DELETE and TRUNCATE to every
role, but a table's owner may disable or drop them, and a superuser may switch every trigger off
for its session (``session_replication_role = replica``). So the web and the worker connect as the
*app* role (``DATABASE_URL``), which owns nothing, is no superuser and no member of the owner; the
*owner* role (``KARYALAY_OWNER_DATABASE_URL``) owns the database, its schemas and tables, and is
used by ``migrate``, ``template_refresh``, ``db_roles`` and provisioning. Names come from
``settings.KARYALAY_DB_OWNER_ROLE`` and ``KARYALAY_DB_APP_ROLE``.

What the app role may do in each schema (public, the district template, every district):

- USAGE on the schema, never CREATE; CONNECT on the database, never CREATE.
- SELECT, INSERT, UPDATE, DELETE on tables; USAGE, SELECT on sequences.
- On the append-only tables (``settings.KARYALAY_APPEND_ONLY_TABLES``: the audit trails and the
  anchors of their heads): SELECT and INSERT only, and on ``core_auditevent`` UPDATE of the seal
  columns (``seq``, ``prev_hash``, ``hash``), which the table's trigger allows only from empty to
  set with the rest of the row unchanged (the sealer runs in the worker). On
  ``django_migrations``: SELECT only.
- Never TRUNCATE, REFERENCES or TRIGGER, on any table.

Tables the owner makes later (a migration) get the ordinary grants through ``ALTER DEFAULT
PRIVILEGES``. A district schema cloned from the template is made by the owner inside the
provisioning transaction, and ``schema_privileges_apply`` narrows its audit table in the same
transaction, so no district is ever live with an audit table the app role could change.
``db_roles`` applies everything to every schema; run it after each ``migrate``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.utils import DatabaseError

__all__ = [
    "Roles",
    "roles",
    "owner_connection",
    "connected_as",
    "schema_privileges_apply",
    "roles_apply",
    "roles_check",
]

READ_ONLY_TABLES = ("django_migrations",)
_CONNECTION_KEYS = ("NAME", "USER", "PASSWORD", "HOST", "PORT")


@dataclass(frozen=True)
class Roles:
    owner: str
    app: str


def roles() -> Roles:
    return Roles(owner=settings.KARYALAY_DB_OWNER_ROLE, app=settings.KARYALAY_DB_APP_ROLE)


def _q(name: str) -> str:
    """A quoted identifier (names here come from settings, checked there, or from the catalog)."""
    return '"' + name.replace('"', '""') + '"'


# --- Connecting as another role ---------------------------------------------------------------


@contextmanager
def connected_as(params: dict | None) -> Iterator[bool]:
    """Run the block on this thread's default connection reopened with ``params`` (NAME, USER,
    PASSWORD, HOST, PORT); yields whether it switched. Other threads keep their connections: the
    wrapper's ``settings_dict`` is replaced by a copy, never changed in place (the dict is shared
    by every thread's wrapper). Refused inside a transaction, whose work a reconnection would lose.
    """
    current = connection.settings_dict
    wanted = {key: (params or {}).get(key) or "" for key in _CONNECTION_KEYS}
    if params is None or all((current.get(key) or "") == wanted[key] for key in _CONNECTION_KEYS):
        yield False
        return
    if connection.in_atomic_block:
        raise RuntimeError("Switching database roles reconnects; do it outside a transaction.")
    connection.close()
    # Never from the pool: its connections are the settings' role, whatever this dict says.
    options = {key: value for key, value in (current.get("OPTIONS") or {}).items() if key != "pool"}
    connection.settings_dict = {**current, **wanted, "CONN_MAX_AGE": 0, "OPTIONS": options}
    try:
        yield True
    finally:
        connection.close()
        connection.settings_dict = current


def owner_connection():
    """The owner role's connection for the block (schema changes: provisioning, restore). A no-op
    where no owner is configured (one role does everything) or this connection already is it."""
    return connected_as(settings.KARYALAY_OWNER_DATABASE)


# --- What the roles may do ------------------------------------------------------------------


def _role_exists(cursor, name: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name])
    return cursor.fetchone() is not None


def _table_exists(cursor, schema: str, table: str) -> bool:
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [f"{_q(schema)}.{_q(table)}"])
    return cursor.fetchone()[0]


def schema_privileges_apply(schema: str, *, cursor=None) -> bool:
    """Give the app role what it may do in ``schema`` and nothing more (see the module's list).

    Runs in the caller's transaction, as the owner of the schema's tables (or a superuser).
    Returns False, doing nothing, where the app role does not exist (one role does everything).
    """
    if cursor is None:
        with connection.cursor() as own:
            return schema_privileges_apply(schema, cursor=own)
    app = _q(roles().app)
    if not _role_exists(cursor, roles().app):
        return False
    s = _q(schema)
    for statement in (
        f"GRANT USAGE ON SCHEMA {s} TO {app}",
        f"REVOKE CREATE ON SCHEMA {s} FROM {app}, PUBLIC",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {s} TO {app}",
        f"REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA {s} FROM {app}, PUBLIC",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {app}",
        f"REVOKE UPDATE ON ALL SEQUENCES IN SCHEMA {s} FROM {app}, PUBLIC",
    ):
        cursor.execute(statement)
    for table in settings.KARYALAY_APPEND_ONLY_TABLES:
        if _table_exists(cursor, schema, table):
            cursor.execute(f"REVOKE ALL ON {s}.{_q(table)} FROM {app}, PUBLIC")
            cursor.execute(f"GRANT SELECT, INSERT ON {s}.{_q(table)} TO {app}")
    if _table_exists(cursor, schema, "core_auditevent"):
        cursor.execute(f"GRANT UPDATE (seq, prev_hash, hash) ON {s}.core_auditevent TO {app}")
    for table in READ_ONLY_TABLES:
        if _table_exists(cursor, schema, table):
            cursor.execute(f"REVOKE ALL ON {s}.{_q(table)} FROM {app}, PUBLIC")
            cursor.execute(f"GRANT SELECT ON {s}.{_q(table)} TO {app}")
    return True


def project_schemas(cursor) -> list[str]:
    """public, the district template and every district schema that exists."""
    cursor.execute("SELECT to_regclass('public.tenants_district') IS NOT NULL")
    districts = (
        "OR nspname IN (SELECT schema_name FROM public.tenants_district)" if cursor.fetchone()[0] else ""
    )
    cursor.execute(
        f"SELECT nspname FROM pg_namespace WHERE nspname IN ('public', %s) {districts}"  # noqa: S608
        " ORDER BY nspname <> 'public', nspname",
        [settings.KARYALAY_TEMPLATE_SCHEMA],
    )
    return [row[0] for row in cursor.fetchall()]


def _privileged(cursor) -> tuple[bool, bool]:
    cursor.execute("SELECT rolsuper, rolcreaterole FROM pg_roles WHERE rolname = current_user")
    return cursor.fetchone()


# pg_roles column → (attribute keyword when true, when false). The app role gets every one as
# listed; the owner needs only to log in, and no more than that to manage roles.
_ATTRIBUTES = {
    "rolcanlogin": ("LOGIN", "NOLOGIN"),
    "rolsuper": ("SUPERUSER", "NOSUPERUSER"),
    "rolcreatedb": ("CREATEDB", "NOCREATEDB"),
    "rolcreaterole": ("CREATEROLE", "NOCREATEROLE"),
    "rolreplication": ("REPLICATION", "NOREPLICATION"),
    "rolbypassrls": ("BYPASSRLS", "NOBYPASSRLS"),
}
_APP = {
    "rolcanlogin": True,
    "rolsuper": False,
    "rolcreatedb": False,
    "rolcreaterole": False,
    "rolreplication": False,
    "rolbypassrls": False,
}
_OWNER = {"rolcanlogin": True, "rolcreaterole": False, "rolreplication": False}


def _role_ensure(cursor, name: str, wanted: dict[str, bool], password: str) -> str:
    """Create the role or correct its attributes (only where they differ: two runs side by side
    must not both rewrite the same role); ``password``, if any, is set too."""
    keywords = " ".join(_ATTRIBUTES[column][0 if on else 1] for column, on in wanted.items())
    if not _role_exists(cursor, name):
        try:
            with transaction.atomic():  # a savepoint: another run may create it at the same moment
                cursor.execute(f"CREATE ROLE {_q(name)} WITH {keywords}")
            made = "created"
        except DatabaseError:  # duplicate, or a concurrent update of the same catalog row
            if not _role_exists(cursor, name):
                raise
            made = "kept"
    else:
        columns = ", ".join(wanted)
        cursor.execute(f"SELECT {columns} FROM pg_roles WHERE rolname = %s", [name])  # noqa: S608
        have = dict(zip(wanted, cursor.fetchone(), strict=True))
        made = "kept"
        if have != wanted:
            cursor.execute(f"ALTER ROLE {_q(name)} WITH {keywords}")
            made = "corrected"
    if password:
        cursor.execute(f"ALTER ROLE {_q(name)} PASSWORD %s", [password])
    return made


def _passwords() -> dict[str, str]:
    """Passwords for the roles, from the URLs that name them (none: trust or peer authentication)."""
    found = {}
    for params in (settings.KARYALAY_OWNER_DATABASE, settings.DATABASES["default"]):
        if params and params.get("USER") and params.get("PASSWORD"):
            found.setdefault(params["USER"], params["PASSWORD"])
    return found


def _ownership_transfer(cursor, schema: str, owner: str) -> int:
    """Make ``owner`` own ``schema`` and every table, view, sequence and function in it (superuser
    only). Sequences that belong to a column move with their table; extension members stay."""
    o, s = _q(owner), _q(schema)
    cursor.execute(f"ALTER SCHEMA {s} OWNER TO {o}")
    cursor.execute(
        """
        SELECT c.relname, c.relkind FROM pg_class c
        WHERE c.relnamespace = %s::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
          AND c.relowner <> %s::regrole
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                          AND d.objid = c.oid AND d.deptype IN ('a', 'i', 'e'))
        """,
        [s, o],
    )
    kinds = {
        "r": "TABLE",
        "p": "TABLE",
        "v": "VIEW",
        "m": "MATERIALIZED VIEW",
        "f": "FOREIGN TABLE",
        "S": "SEQUENCE",
    }
    moved = 0
    for name, kind in cursor.fetchall():
        cursor.execute(f"ALTER {kinds[kind]} {s}.{_q(name)} OWNER TO {o}")
        moved += 1
    cursor.execute(
        """
        SELECT p.oid::regprocedure::text FROM pg_proc p
        WHERE p.pronamespace = %s::regnamespace AND p.proowner <> %s::regrole
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                          AND d.objid = p.oid AND d.deptype = 'e')
        """,
        [s, o],
    )
    for (signature,) in cursor.fetchall():
        # regprocedure's text is already qualified and quoted where needed.
        cursor.execute(f"ALTER ROUTINE {signature} OWNER TO {o}")
        moved += 1
    return moved


def roles_apply(*, create: bool = True) -> list[str]:
    """Make the roles what the module says, on this connection; returns what it did, in words.

    As a superuser (``KARYALAY_ADMIN_DATABASE_URL``, the embedded server's ``postgres``, the test
    suite): creates or updates both roles, makes the owner own the database and every project
    schema and object, then grants. As the owner: grants and default privileges only (the roles
    must exist). Idempotent; one transaction.
    """
    names = roles()
    done: list[str] = []
    with transaction.atomic(), connection.cursor() as cursor:
        superuser, createrole = _privileged(cursor)
        passwords = _passwords()
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [names.app])
        if (cursor.fetchone() or (False,))[0]:
            # Never strip a superuser of its rights here: DATABASE_URL names the wrong role.
            raise RuntimeError(
                f"The app role {names.app} is a superuser; DATABASE_URL must name an ordinary role."
            )
        if create and (superuser or createrole):
            for name, attributes in ((names.owner, _OWNER), (names.app, _APP)):
                done.append(f"role {name} {_role_ensure(cursor, name, attributes, passwords.get(name, ''))}")
        for name in (names.owner, names.app):
            if not _role_exists(cursor, name):
                raise RuntimeError(
                    f"Role {name} does not exist; run db_roles once as a superuser"
                    " (KARYALAY_ADMIN_DATABASE_URL)."
                )
        cursor.execute("SELECT pg_has_role(%s, %s, 'MEMBER')", [names.app, names.owner])
        if cursor.fetchone()[0]:
            cursor.execute(f"REVOKE {_q(names.owner)} FROM {_q(names.app)}")
            done.append(f"{names.app} no longer a member of {names.owner}")
        cursor.execute("SELECT current_database()")
        database = _q(cursor.fetchone()[0])
        schemas = project_schemas(cursor)
        if superuser:
            cursor.execute(f"ALTER DATABASE {database} OWNER TO {_q(names.owner)}")
            moved = sum(_ownership_transfer(cursor, schema, names.owner) for schema in schemas)
            done.append(
                f"{names.owner} owns the database and its {len(schemas)} schemas"
                f" ({moved} objects handed over)"
            )
        app, owner = _q(names.app), _q(names.owner)
        cursor.execute(f"GRANT CONNECT ON DATABASE {database} TO {app}")
        cursor.execute(f"REVOKE CREATE ON DATABASE {database} FROM {app}, PUBLIC")
        for statement in (
            "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {app}",
            "GRANT USAGE, SELECT ON SEQUENCES TO {app}",
            "GRANT USAGE ON SCHEMAS TO {app}",
        ):
            cursor.execute(f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} " + statement.format(app=app))
        for schema in schemas:
            schema_privileges_apply(schema, cursor=cursor)
        done.append(f"{names.app} granted its rights in {len(schemas)} schemas")
    return done


def roles_check(*, cursor=None) -> list[str]:
    """What would let the app role change the audit trail, in words; empty when nothing would."""
    if cursor is None:
        with connection.cursor() as own:
            return roles_check(cursor=own)
    names = roles()
    problems: list[str] = []
    cursor.execute(
        "SELECT rolsuper OR rolcreaterole OR rolcreatedb OR rolbypassrls OR rolreplication,"
        " pg_has_role(rolname, %s, 'MEMBER') FROM pg_roles WHERE rolname = %s",
        [names.owner, names.app],
    )
    row = cursor.fetchone()
    if row is None:
        return [f"role {names.app} does not exist"]
    if row[0]:
        problems.append(
            f"{names.app} has a privileged attribute"
            " (superuser, createrole, createdb, bypassrls or replication)"
        )
    if row[1]:
        problems.append(f"{names.app} is a member of {names.owner}")
    cursor.execute("SELECT has_database_privilege(%s, current_database(), 'CREATE')", [names.app])
    if cursor.fetchone()[0]:
        problems.append(f"{names.app} may create schemas")
    for schema in project_schemas(cursor):
        cursor.execute(
            "SELECT has_schema_privilege(%s, %s, 'CREATE'), pg_has_role(%s, nspowner, 'MEMBER')"
            " FROM pg_namespace WHERE nspname = %s",
            [names.app, schema, names.app, schema],
        )
        create, owns = cursor.fetchone()
        if create or owns:
            problems.append(f"{names.app} may create in or owns schema {schema}")
        for table in settings.KARYALAY_APPEND_ONLY_TABLES:
            if not _table_exists(cursor, schema, table):
                continue
            qualified = f"{_q(schema)}.{_q(table)}"
            cursor.execute(
                "SELECT pg_has_role(%s, c.relowner, 'MEMBER'),"
                " has_table_privilege(%s, c.oid, 'UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES')"
                " FROM pg_class c WHERE c.oid = %s::regclass",
                [names.app, names.app, qualified],
            )
            owns_table, may_change = cursor.fetchone()
            if owns_table or may_change:
                problems.append(f"{names.app} may change {schema}.{table}")
    return problems
