"""The public schema's side of letters between districts (issue 22.1).

Districts never read each other's schemas. A letter (or a status about one) travels as an
``ExchangeMessage`` row here: a district's relay task copies it from the sender's outbox, a
delivery task writes it into the receiver's schema. Each message carries an idempotency ``key``
made in the sender's transaction, unique here and unique in the receiver's inbox, so a step
rerun after a crash never doubles a letter.

``OfficeDirectoryEntry`` is the list of live districts' offices a sender picks an addressee from:
published from each district by a periodic task, so a request never reads another schema.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OfficeDirectoryEntry(models.Model):
    """One office of one district, as its district publishes it (``core.letters.directory``)."""

    id = models.BigAutoField(primary_key=True)
    district = models.ForeignKey("tenants.District", on_delete=models.CASCADE, related_name="+")
    office_code = models.CharField(max_length=40)
    name = models.CharField(_("name (English)"), max_length=150)
    name_hi = models.CharField(_("name (Hindi)"), max_length=150, blank=True)
    kind = models.CharField(max_length=20)
    open = models.BooleanField(default=True)
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "tenants"
        constraints = [
            models.UniqueConstraint(fields=["district", "office_code"], name="directory_office_unique")
        ]
        ordering = ["district__name", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.district_id})"


class ExchangeMessage(models.Model):
    """A letter or a status on its way from one district to another."""

    class Kind(models.TextChoices):
        LETTER = "letter", _("Letter")
        STATUS = "status", _("Status")

    id = models.BigAutoField(primary_key=True)
    key = models.UUIDField(unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # A district removed for good (its data exported) takes its messages with it.
    from_district = models.ForeignKey("tenants.District", on_delete=models.CASCADE, related_name="+")
    to_district = models.ForeignKey("tenants.District", on_delete=models.CASCADE, related_name="+")
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        app_label = "tenants"
        indexes = [
            models.Index(
                fields=["to_district", "id"],
                name="exchange_undelivered",
                condition=models.Q(delivered_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"


class ExchangeAttachment(models.Model):
    """A document of a letter in transit: its bytes, held here between the two districts' storage."""

    id = models.BigAutoField(primary_key=True)
    message = models.ForeignKey(ExchangeMessage, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()

    class Meta:
        app_label = "tenants"

    def __str__(self) -> str:
        return self.name
