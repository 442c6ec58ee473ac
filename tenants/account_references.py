"""Which district schemas have rows that name an account.

District tables name accounts (``tenants_user``, public) in columns with no database foreign key
(core.0027): a key from every district's table would put two RI triggers on ``tenants_user`` per
key per district (78 a district), making each new district dearer to provision and every account
update slower as districts multiply. Accounts are never deleted by the application (they are
deactivated); this module keeps the rule the keys kept, for a deletion anyone attempts: an account
that a row of any schema names cannot be deleted (``tenants.signals``).

The columns come from the models: every relation to the account model declared with
``db_constraint=False``. Schemas are found in the catalog, so a spare, the template or a schema
whose district row is gone counts too.
"""

from __future__ import annotations

from itertools import groupby

from django.apps import apps
from django.conf import settings
from django.db import connection


def account_columns() -> list[tuple[str, str]]:
    """(table, column) of every relation to the account model that has no database constraint."""
    user = apps.get_model(settings.AUTH_USER_MODEL)
    return sorted(
        {
            (model._meta.db_table, field.column)
            for model in apps.get_models()
            for field in model._meta.concrete_fields
            if field.is_relation and field.related_model is user and not field.db_constraint
        }
    )


def account_places(cursor, *, schemas: list[str] | None = None) -> list[tuple[str, str, str]]:
    """(schema, table, column) of every such column that exists, in every schema or in
    ``schemas``, read from the catalog with ``cursor`` (any connection: an export reads through
    its snapshot's)."""
    columns = account_columns()
    if not columns:
        return []
    cursor.execute(
        "SELECT n.nspname, c.relname, a.attname FROM pg_attribute a "
        "JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind IN ('r', 'p') AND NOT a.attisdropped AND a.attnum > 0 "
        "AND (c.relname, a.attname) IN (SELECT * FROM unnest(%s::text[], %s::text[])) "
        "AND (%s::text[] IS NULL OR n.nspname = ANY(%s::text[])) "
        "ORDER BY 1, 2, 3",
        [[table for table, _ in columns], [column for _, column in columns], schemas, schemas],
    )
    return [tuple(row) for row in cursor.fetchall()]


def account_naming_schemas(person_id: int) -> list[str]:
    """The schemas that have a row naming account ``person_id``, in name order. One catalog query,
    then one statement per schema, each an index probe per column."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        places = account_places(cursor)
        # One statement a schema: each locks the tables it reads and every index of them (about
        # 200 locks for 39 tables), and 2,000 columns in one statement ran out of the server's
        # lock table at 1,000 districts; on Citus a statement may touch one district (worker).
        batches = [list(group) for _schema, group in groupby(places, key=lambda place: place[0])]
        naming: set[str] = set()
        for batch in batches:
            # Names come from the catalog and are quoted; the account's id travels as a parameter.
            union = " UNION ALL ".join(
                f"SELECT {_literal(schema)} WHERE EXISTS (SELECT 1 FROM "  # noqa: S608
                f"{quote(schema)}.{quote(table)} WHERE {quote(column)} = %(person)s)"
                for schema, table, column in batch
            )
            cursor.execute(union, {"person": person_id})
            naming.update(row[0] for row in cursor.fetchall())
    return sorted(naming)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
