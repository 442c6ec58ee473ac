from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("state_admin", "0003_audit_anchor")]

    operations = [
        migrations.AddField(
            model_name="districtrollup",
            name="changes_seen",
            field=models.JSONField(default=dict),
        ),
    ]
