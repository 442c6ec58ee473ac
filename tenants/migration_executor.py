"""``migrate`` over every district that has a schema, and only those, skipping the current ones.

django-tenants migrates every row of the tenant table. A planned district is a row whose schema
does not exist yet (provisioning clones it later), so the standard executor stops at it with
"no schema has been selected to create in" — on the second ``make run`` of any database that has
planned districts. This executor skips them; a live district whose schema is missing still fails
loudly. Settings select it (``EXECUTOR``, which django-tenants reads).

Running Django's ``migrate`` in a schema costs about half a second even when nothing is to be
applied (it builds the migration state and checks every model), so a deploy over 1,000 districts
would wait ten minutes for nothing. Every schema's applied migrations are therefore read in one
query first, and a schema that already has every district migration is left alone; only the
others go through ``migrate``. A ``migrate`` aimed at one app or migration (to go back, say) runs
in every schema as before.
"""

from django.db import connection
from django_tenants.migration_executors.base import MigrationExecutor, run_migrations
from django_tenants.utils import schema_exists

from tenants.models import STATUSES_WITH_SCHEMA, District
from tenants.schemas import tenant_migration_keys

CODENAME = "districts"


def schemas_current(schema_names: list[str]) -> set[str]:
    """Those of ``schema_names`` whose ``django_migrations`` holds every migration of the district
    apps, read in one query (plus one to find the schemas that have the table)."""
    wanted = tenant_migration_keys()
    labels = sorted({app for app, _name in wanted})
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relname = 'django_migrations' AND c.relkind = 'r' AND n.nspname = ANY(%s)",
            [list(schema_names)],
        )
        with_table = [row[0] for row in cursor.fetchall()]
        if not with_table:
            return set()
        quote = connection.ops.quote_name
        # Names come from the catalog (and are quoted); the schema travels as a parameter.
        union = " UNION ALL ".join(
            f"SELECT %s, app, name FROM {quote(name)}.django_migrations WHERE app = ANY(%s)"  # noqa: S608
            for name in with_table
        )
        cursor.execute(union, [value for name in with_table for value in (name, labels)])
        applied: dict[str, set[tuple[str, str]]] = {name: set() for name in with_table}
        for schema, app, name in cursor.fetchall():
            applied[schema].add((app, name))
    return {schema for schema, keys in applied.items() if wanted <= keys}


class DistrictMigrationExecutor(MigrationExecutor):
    codename = CODENAME

    def run_migrations(self, tenants=None):
        schemas = list(tenants or [])
        if self.PUBLIC_SCHEMA_NAME in schemas:
            run_migrations(self.args, self.options, self.codename, self.PUBLIC_SCHEMA_NAME)
            schemas.remove(self.PUBLIC_SCHEMA_NAME)
        not_made = set(
            District.objects.filter(schema_name__in=schemas)
            .exclude(status__in=STATUSES_WITH_SCHEMA)
            .values_list("schema_name", flat=True)
        )
        schemas = [name for name in schemas if name not in not_made or schema_exists(name)]
        if self._plain_migrate():
            current = schemas_current(schemas)
            if current and int(self.options.get("verbosity", 1)) >= 1:
                self.logger_write(f"{len(current)} district schemas have every migration already", current)
            schemas = [name for name in schemas if name not in current]
        for idx, schema_name in enumerate(schemas):
            run_migrations(self.args, self.options, self.codename, schema_name, idx=idx, count=len(schemas))

    def _plain_migrate(self) -> bool:
        """A ``migrate`` to the latest of everything (no app, migration, plan or fake asked for)."""
        options = self.options
        return not any(options.get(key) for key in ("app_label", "migration_name", "plan", "fake", "prune"))

    def logger_write(self, message: str, schemas) -> None:
        import sys

        sys.stdout.write(f"[{self.codename}] {message}\n")
        if int(self.options.get("verbosity", 1)) >= 2:
            for name in sorted(schemas):
                sys.stdout.write(f"[{self.codename}:{name}] up to date\n")

    def run_multi_type_migrations(self, tenants):
        raise NotImplementedError("Karyalay has one type of tenant: the district")
