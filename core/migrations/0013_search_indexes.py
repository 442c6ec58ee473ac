"""Indexes of the search that the model cannot declare, one of each per kind of record (the search
asks each kind for a bounded number of matches, so a kind's matches are found without reading the
other kinds' posting lists, intersecting with a kind index or rechecking other kinds' rows):

- the vector (GIN), beside the model's index over every kind;
- trigram matching of a row's title, names, numbers and their other-script forms (pg_trgm, for
  typos and partial words in either script);

and the exact identifiers of a row as an array (a file number, "123/2025" … jumps straight to the
record). ``core.search.query`` writes the same expressions, so the planner uses these indexes.
"""

from django.db import migrations

from tenants.db import trigram_available

KINDS = ["receipt", "file", "document", "case", "rti"]  # SearchEntry.Kind, as of this migration
MATCH_TEXT = "(title || ' ' || names || ' ' || identifiers || ' ' || other_script)"

# (name, CREATE statement); bench/search.py builds the same ones.
INDEXES = [
    *(
        (
            f"core_searchentry_doc_{kind}",
            f"CREATE INDEX IF NOT EXISTS core_searchentry_doc_{kind} ON core_searchentry "
            f"USING gin (document) WHERE kind = '{kind}'",
        )
        for kind in KINDS
    ),
    *(
        (
            f"core_searchentry_trgm_{kind}",
            f"CREATE INDEX IF NOT EXISTS core_searchentry_trgm_{kind} ON core_searchentry "
            f"USING gin ({MATCH_TEXT} gin_trgm_ops) WHERE kind = '{kind}'",
        )
        for kind in KINDS
    ),
    (
        "core_searchentry_ids",
        "CREATE INDEX IF NOT EXISTS core_searchentry_ids ON core_searchentry USING gin "
        "(string_to_array(identifiers, E'\\n'))",
    ),
]


def _create(apps, schema_editor):
    """Every index; the trigram ones only where pg_trgm is installed (a PostgreSQL built without
    its contrib modules has none, and the search then goes without typos)."""
    trigram = trigram_available(schema_editor.connection)
    with schema_editor.connection.cursor() as cursor:
        for _name, sql in INDEXES:
            if "gin_trgm_ops" not in sql or trigram:
                cursor.execute(sql)


def _drop(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for name, _sql in INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("core", "0012_search_ocr")]

    operations = [
        migrations.RunPython(_create, _drop),
    ]
