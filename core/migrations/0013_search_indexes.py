"""Indexes of the search that the model cannot declare: trigram matching of a row's names,
numbers and title (pg_trgm, for typos and partial words in either script), and the exact
identifiers of a row as an array (a file number, "123/2025" … jumps straight to the record).

``core.search.query`` writes the same expressions, so the planner uses these indexes.
"""

from django.db import migrations

TRGM = (
    "CREATE INDEX IF NOT EXISTS core_searchentry_trgm ON core_searchentry USING gin "
    "((title || ' ' || names || ' ' || identifiers || ' ' || other_script) gin_trgm_ops)"
)
IDS = (
    "CREATE INDEX IF NOT EXISTS core_searchentry_ids ON core_searchentry USING gin "
    "(string_to_array(identifiers, E'\\n'))"
)


class Migration(migrations.Migration):
    dependencies = [("core", "0012_search_ocr")]

    operations = [
        migrations.RunSQL(TRGM, reverse_sql="DROP INDEX IF EXISTS core_searchentry_trgm"),
        migrations.RunSQL(IDS, reverse_sql="DROP INDEX IF EXISTS core_searchentry_ids"),
    ]
