"""``migrate`` over every district that has a schema, and only those.

django-tenants migrates every row of the tenant table. A planned district is a row whose schema
does not exist yet (provisioning clones it later), so the standard executor stops at it with
"no schema has been selected to create in" — on the second ``make run`` of any database that has
planned districts. This executor skips them; a live district whose schema is missing still fails
loudly. Settings select it (``EXECUTOR``, which django-tenants reads).
"""

from django_tenants.migration_executors.base import MigrationExecutor, run_migrations
from django_tenants.utils import schema_exists

CODENAME = "districts"


class DistrictMigrationExecutor(MigrationExecutor):
    codename = CODENAME

    def run_migrations(self, tenants=None):
        from tenants.models import STATUSES_WITH_SCHEMA, District

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
        for idx, schema_name in enumerate(schemas):
            run_migrations(self.args, self.options, self.codename, schema_name, idx=idx, count=len(schemas))

    def run_multi_type_migrations(self, tenants):
        raise NotImplementedError("Karyalay has one type of tenant: the district")
