"""The sent tray at district size (issue 15, point 4): the steps that took an item away from a
post (sent, returned), by post and latest first, in a partial index that counts and pages them."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0019_trays_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="movement",
            index=models.Index(
                condition=models.Q(("action", "sent"), ("action", "returned"), _connector="OR"),
                fields=["from_post", "-at", "-id"],
                name="core_movement_leaving_idx",
            ),
        ),
    ]
