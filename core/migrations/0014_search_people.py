"""The people of the district become a kind of the search (``SearchEntry.Kind.PERSON``): the new
choice, and the person kind's own indexes as migration core.0013 made them for every other kind
(the vector, and trigram matching where pg_trgm is installed). The exact-identifier index of
core.0013 covers every kind already, service numbers included.

The rows themselves are derived data, written by the search's nightly refresh of the people, by
the next write to a posting, or at once by ``manage.py search_rebuild``.
"""

from django.db import migrations, models

from tenants.db import trigram_available

MATCH_TEXT = "(title || ' ' || names || ' ' || identifiers || ' ' || other_script)"

# (name, CREATE statement), as core.0013 writes them for the other kinds.
INDEXES = [
    (
        "core_searchentry_doc_person",
        "CREATE INDEX IF NOT EXISTS core_searchentry_doc_person ON core_searchentry "
        "USING gin (document) WHERE kind = 'person'",
    ),
    (
        "core_searchentry_trgm_person",
        "CREATE INDEX IF NOT EXISTS core_searchentry_trgm_person ON core_searchentry "
        f"USING gin ({MATCH_TEXT} gin_trgm_ops) WHERE kind = 'person'",
    ),
]


def _create(apps, schema_editor):
    trigram = trigram_available(schema_editor.connection)
    with schema_editor.connection.cursor() as cursor:
        for _name, sql in INDEXES:
            if "gin_trgm_ops" not in sql or trigram:
                cursor.execute(sql)


def _drop(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_searchentry WHERE kind = 'person'")
        for name, _sql in INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("core", "0013_search_indexes")]

    operations = [
        migrations.AlterField(
            model_name="searchentry",
            name="kind",
            field=models.CharField(
                choices=[
                    ("receipt", "Dak"),
                    ("file", "Files"),
                    ("document", "Documents"),
                    ("case", "Cases"),
                    ("rti", "RTI applications"),
                    ("person", "Officers"),
                ],
                max_length=10,
            ),
        ),
        migrations.RunPython(_create, _drop),
    ]
