"""The inbox and the desk at district size (issue 15, point 4): files and dak open at a post, with
everything the inbox sorts on and the desk counts (new, due date, arrival) in the index itself, so
both are index-only scans. Before, an SP's inbox (2,000 files and 650 dak open at the post) read
every one of those rows from the table to sort them: 17-33 ms of a page's SQL at 100,000 files;
with these 1.5 ms (bench/efile.py).

Written as SQL, with the same indexes in ``EFile.Meta.indexes`` and ``Receipt.Meta.indexes`` as
the model state, so the statement is exactly the one below. Plain equality in the condition (not IN),
so a cloned district's index reads the same as the template's.
"""

from django.db import migrations, models
from django.db.models import Q

INDEXES = {
    "core_efile_inbox_idx": ("core_efile", "efile"),
    "core_receipt_inbox_idx": ("core_receipt", "receipt"),
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
        migrations.RunSQL(
            sql=_create(name, table),
            reverse_sql=f"DROP INDEX {name}",
            state_operations=[
                migrations.AddIndex(
                    model_name=model_name,
                    index=models.Index(
                        fields=["current_post", "-arrived_at", "id"],
                        include=["received_at", "due_on"],
                        name=name,
                        condition=Q(status="open"),
                    ),
                )
            ],
        )
        for name, (table, model_name) in INDEXES.items()
    ]
