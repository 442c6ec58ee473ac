"""On a Citus cluster, the function that reads ANALYZE's statistics of a district's table on the
worker holding it, inside the caller's transaction (tenants/citus.py,
``shard_statistics_function_ensure``; the search's walk-or-index choice reads them). A no-op on
plain PostgreSQL."""

from django.db import migrations

from tenants import citus


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    connection._karyalay_citus = None
    citus.shard_statistics_function_ensure(connection)


class Migration(migrations.Migration):
    dependencies = [("tenants", "0009_district_kind_supervision")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
