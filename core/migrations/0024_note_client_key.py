from django.db import migrations, models


class Migration(migrations.Migration):
    """A note's client key (core.offline): a note typed offline and sent twice is written once."""

    dependencies = [("core", "0023_letters")]

    operations = [
        migrations.AddField(
            model_name="note",
            name="client_key",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.AddConstraint(
            model_name="note",
            constraint=models.UniqueConstraint(
                condition=models.Q(("client_key", ""), _negated=True),
                fields=("file", "author", "client_key"),
                name="core_note_client_key",
            ),
        ),
    ]
