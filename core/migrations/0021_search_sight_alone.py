"""The index of the sight keys alone (core.0016) goes: core.0018 indexes them with each kind's words.

With it, PostgreSQL intersected a kind's matches with a bitmap of every row of every kind that the
viewer's keys name (460,000 rows for the dak clerk at 1,000,000 rows: half a second) even where
the words matched a single row; every statement that tests the keys also names the words (the
search, its suggestions) or an exact number (its own index), so none needs it.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("core", "0020_trays_sent_index")]

    operations = [
        migrations.RemoveIndex(model_name="searchentry", name="core_searchentry_sight"),
    ]
