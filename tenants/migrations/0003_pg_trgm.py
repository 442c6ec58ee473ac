"""pg_trgm in the public schema, which every district's search_path reaches: the search matches
names and numbers with small typos through it (``core.search``).

Created where the server offers it; PostgreSQL builds without the contrib modules (the embedded
default's wheel is one) lack it, and the search then goes without typo matching
(``tenants.db.trigram_available``)."""

from django.db import migrations

from tenants.db import trigram_ensure


def forwards(apps, schema_editor):
    trigram_ensure(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("tenants", "0002_ranges_memberships_officer_fields")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
