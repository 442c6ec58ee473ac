"""Transfer proposals between districts (public schema): one district asks, the other decides."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tenants", "0003_pg_trgm"),
    ]

    operations = [
        migrations.CreateModel(
            name="TransferProposal",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("to_post_id", models.BigIntegerField()),
                ("to_post_title", models.CharField(max_length=300)),
                ("proposed_on", models.DateField(verbose_name="proposed date")),
                ("proposed_by_login", models.CharField(blank=True, max_length=64)),
                ("proposed_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "awaiting decision"),
                            ("confirmed", "confirmed"),
                            ("declined", "declined"),
                        ],
                        default="pending",
                        max_length=12,
                    ),
                ),
                ("moved_on", models.DateField(blank=True, null=True, verbose_name="date of the move")),
                ("decided_by_login", models.CharField(blank=True, max_length=64)),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                ("remarks", models.CharField(blank=True, max_length=500)),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "from_district",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="transfers_out",
                        to="tenants.district",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="transfer_proposals",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "proposed_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "to_district",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="transfers_in",
                        to="tenants.district",
                    ),
                ),
            ],
            options={
                "ordering": ["-proposed_at", "-id"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("status", "pending")),
                        fields=("person", "from_district"),
                        name="tenants_transfer_one_pending",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("from_district", models.F("to_district")), _negated=True),
                        name="tenants_transfer_two_districts",
                    ),
                ],
            },
        ),
    ]
