"""Typos are matched against a dictionary of the district's words instead of whole rows.

Trigram similarity over a row's whole title, names, numbers and their other-script forms had to
recheck every candidate row's text: a two-word name with common trigrams cost ~65 ms per kind at
1,000,000 rows. ``core_searchword`` holds each distinct word of those fields once (the ``simple``
lexemes of the same text), with a trigram index; a typo'd word is replaced by its most similar
words, which the vector's index then finds like any other word. The per-kind trigram indexes
over rows (core.0013, core.0014) go.
"""

from django.db import migrations, models

from tenants.db import trigram_available

KINDS = ["receipt", "file", "document", "case", "rti", "person"]
# The words of index rows (``WHERE`` picks the rows); core.search.index runs the same statement.
WORDS_SQL = (
    "INSERT INTO core_searchword (word) SELECT DISTINCT w FROM core_searchentry, "
    "unnest(tsvector_to_array(to_tsvector('simple', "
    "(title || ' ' || names || ' ' || identifiers || ' ' || other_script)))) AS w "
    "WHERE {where} AND length(w) >= 3 ON CONFLICT DO NOTHING"
)
WORD_INDEX = (
    "core_searchword_trgm",
    "CREATE INDEX IF NOT EXISTS core_searchword_trgm ON core_searchword USING gin (word gin_trgm_ops)",
)


def _forward(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for kind in KINDS:
            cursor.execute(f"DROP INDEX IF EXISTS core_searchentry_trgm_{kind}")
        cursor.execute(WORDS_SQL.format(where="TRUE"))
        if trigram_available(schema_editor.connection):
            cursor.execute(WORD_INDEX[1])


def _backward(apps, schema_editor):
    """The row trigram indexes come back with core.0013/0014 re-applied; nothing to do here."""


class Migration(migrations.Migration):
    dependencies = [("core", "0014_search_people")]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[("word", models.TextField(primary_key=True, serialize=False))],
        ),
        migrations.RunPython(_forward, _backward),
    ]
