"""What the database server offers beyond plain PostgreSQL, found once per connection."""

from __future__ import annotations


def trigram_ensure(connection) -> bool:
    """Create pg_trgm in the public schema if the server offers it and it is not there yet.
    Returns whether it is there now. Safe to run again."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        if cursor.fetchone() is None:
            return False
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public")
    return True


def trigram_available(connection) -> bool:
    """Whether pg_trgm is installed in this database (typo matching in the search). Asked once
    per connection and remembered on it."""
    known = getattr(connection, "_karyalay_trigram", None)
    if known is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
            known = cursor.fetchone() is not None
        connection._karyalay_trigram = known
    return known


def trigram_threshold_set(cursor, value: float) -> None:
    """pg_trgm's ``%`` threshold for the rest of the transaction. ``SET LOCAL`` rather than
    ``set_config``: on a Citus coordinator it is passed on to the worker that runs the district's
    statements (``citus.propagate_set_commands = local``, config/settings.py); ``set_config`` stayed
    on the coordinator and the worker matched at its default."""
    cursor.execute(f"SET LOCAL pg_trgm.similarity_threshold = {float(value)!r}")
