"""On a Citus cluster, the public tables that district tables reference become reference tables
(copied to every node), so that a district's tables, placed on one worker, keep their foreign keys
to accounts (issue 21; tenants/citus.py). The database is readied for Citus first where the server
preloads it (the extension, the workers): the test runner's new databases need that. A no-op on
plain PostgreSQL. Not atomic: registering workers commits on every node."""

from django.db import migrations

from tenants import citus


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    settings = connection.settings_dict
    params = {
        key: settings[name]
        for key, name in (("user", "USER"), ("password", "PASSWORD"))
        if settings.get(name)
    }
    with connection.cursor() as cursor:
        if not citus.citus_loaded(cursor):
            return
        citus.database_prepare(cursor, params)
    connection._karyalay_citus = None
    citus.reference_tables_ensure(connection, apps)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("tenants", "0007_letters_exchange")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
