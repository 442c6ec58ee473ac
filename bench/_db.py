"""A benchmark's own database, kept between runs: the name of DATABASE_URL's (or the embedded
default's) with a suffix, created and migrated when missing, dropped first with ``fresh``."""

import os


def bench_database(suffix: str, *, fresh: bool = False) -> str:
    """Point DATABASE_URL at the benchmark's database, set Django up and migrate; returns the URL."""
    import dj_database_url
    import psycopg
    from psycopg import sql

    from config import embedded_postgres

    base = os.environ.get("BENCH_BASE_DATABASE_URL") or os.environ.get("DATABASE_URL")
    if not base:
        embedded_postgres.start()
        base = embedded_postgres.url()
    os.environ["BENCH_BASE_DATABASE_URL"] = base
    params = dj_database_url.parse(base)
    name = params["NAME"] + suffix
    url = base.rsplit("/", 1)[0] + "/" + name
    if fresh:
        connect = {k.lower(): params[k] or None for k in ("HOST", "PORT", "USER", "PASSWORD")}
        with psycopg.connect(dbname="postgres", autocommit=True, **connect) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    embedded_postgres.database_ensure(url)
    os.environ["DATABASE_URL"] = url

    import django

    django.setup()
    from django.core.management import call_command

    from tenants import schemas

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    schemas.template_ensure_current()
    return url
