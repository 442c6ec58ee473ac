"""The trays at district size (issue 15, point 4): the closed tray walks closed files and dak latest
first (partial indexes on ``closed_at`` of closed rows), and the pending view counts the files
waiting at each post by arrival (a partial index on ``(current_post, arrived_at)`` of open and
parked files)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0018_search_seen_words"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="efile",
            index=models.Index(
                models.OrderBy(models.F("closed_at"), descending=True, nulls_last=True),
                models.F("id"),
                condition=models.Q(("status", "closed")),
                name="core_efile_closed_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="efile",
            index=models.Index(
                condition=models.Q(("status", "open"), ("status", "parked"), _connector="OR"),
                fields=["current_post", "arrived_at"],
                name="core_efile_waiting_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="receipt",
            index=models.Index(
                models.OrderBy(models.F("closed_at"), descending=True, nulls_last=True),
                models.F("id"),
                condition=models.Q(("status", "closed")),
                name="core_receipt_closed_idx",
            ),
        ),
    ]
