"""The inbox and the desk at district size (issue 15, point 4): files and dak open at a post, with
everything the inbox sorts on and the desk counts (new, due date, arrival) in the index itself, so
both are index-only scans. Before, an SP's inbox (2,000 files and 650 dak open at the post) read
every one of those rows from the table to sort them: 17-33 ms of a page's SQL at 100,000 files;
with these 1.5 ms (bench/efile.py).

Written as SQL without model state: ``core/models/efile.py`` was being reworked by another change
when this was made. Moving them into ``EFile.Meta.indexes`` and ``Receipt.Meta.indexes`` later takes
a ``SeparateDatabaseAndState`` migration with the same names and definitions. Plain equality in the
condition (not IN), so a cloned district's index reads the same as the template's.
"""

from django.db import migrations

INDEXES = {
    "core_efile_inbox_idx": "core_efile",
    "core_receipt_inbox_idx": "core_receipt",
}


def _create(name: str, table: str) -> str:
    return (
        f"CREATE INDEX {name} ON {table} (current_post_id, arrived_at DESC, id) "
        "INCLUDE (received_at, due_on) WHERE status = 'open'"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0028_search_glossary_tokens"),
    ]

    operations = [
        migrations.RunSQL(sql=_create(name, table), reverse_sql=f"DROP INDEX {name}")
        for name, table in INDEXES.items()
    ]
