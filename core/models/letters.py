"""Letters between districts (issue 22.1) and signed outward letters (issue 22.4), this district's side.

Sending: ``OutgoingLetter`` (one per dispatch sent through Karyalay) and an ``ExchangeOutbox`` row
are written in the sender's transaction; a relay task copies the outbox row to the public
exchange. Receiving: the delivery task writes an ``IncomingLetter`` (unique on the message's key,
so a rerun changes nothing) with its documents copied into this district's storage; the dak clerk
diarises it into an ordinary receipt. Status (delivered, diarised) goes back to the sender the
same way, as an outbox row of the receiver.

Signing: ``SigningAuthority`` is the district's certification authority (one row), made at
provisioning; ``SigningCertificate`` an officer's certificate for one post, revoked when the
posting ends; ``LetterSignature`` the signed PDF of a dispatch.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Office, Post, account_key
from core.models.efile import Dispatch, Receipt

__all__ = [
    "ExchangeOutbox",
    "Circular",
    "IncomingLetter",
    "LetterSignature",
    "OutgoingLetter",
    "SigningAuthority",
    "SigningCertificate",
]


class Circular(models.Model):
    """One outward letter of a range or headquarters sent to many districts at once (issue 22.3):
    one ``OutgoingLetter`` per addressed office, each with its own key, delivered, diarised and
    replied to on its own; the circular's page lists them."""

    id = models.BigAutoField(primary_key=True)
    dispatch = models.OneToOneField(Dispatch, on_delete=models.PROTECT, related_name="circular")
    created_by = account_key()
    created_post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"circular {self.dispatch_id}"


class OutgoingLetter(models.Model):
    """A dispatch sent through Karyalay to an office of another district; what the sender may know
    of it: delivered, and diarised with the diary number."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("On its way")
        DELIVERED = "delivered", _("Delivered")
        DIARISED = "diarised", _("Diarised")

    id = models.BigAutoField(primary_key=True)
    key = models.UUIDField(unique=True)
    # One letter per dispatch, except a circular's: one per addressed office (constraints below).
    dispatch = models.ForeignKey(Dispatch, on_delete=models.PROTECT, related_name="outgoing_letters")
    circular = models.ForeignKey(
        Circular, null=True, blank=True, on_delete=models.PROTECT, related_name="letters"
    )
    to_district_schema = models.CharField(max_length=63)
    to_district_name = models.CharField(max_length=100)
    to_district_name_hi = models.CharField(max_length=100, blank=True)
    to_office_code = models.CharField(max_length=40)
    to_office_name = models.CharField(max_length=150)
    to_office_name_hi = models.CharField(max_length=150, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    delivered_at = models.DateTimeField(null=True, blank=True)
    diarised_at = models.DateTimeField(null=True, blank=True)
    diary_number = models.CharField(_("diary number"), max_length=60, blank=True)
    # A letter of the addressed district that answers this one (``in_reply_to`` its key) arrived.
    replied_at = models.DateTimeField(null=True, blank=True)
    reply_number = models.CharField(_("reply's number"), max_length=60, blank=True)
    created_by = account_key()
    created_post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dispatch"],
                condition=models.Q(circular__isnull=True),
                name="core_outgoing_one_per_dispatch",
            ),
            models.UniqueConstraint(
                fields=["circular", "to_district_schema", "to_office_code"],
                name="core_outgoing_circular_office",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.to_district_name}: {self.to_office_name} ({self.status})"


class ExchangeOutbox(models.Model):
    """A message written in this district's transaction, waiting for the relay to copy it to the
    public exchange (``relayed_at`` set in the same transaction as the public row)."""

    class Kind(models.TextChoices):
        LETTER = "letter", _("Letter")
        STATUS = "status", _("Status")

    id = models.BigAutoField(primary_key=True)
    key = models.UUIDField(unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    to_district_schema = models.CharField(max_length=63)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    relayed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["id"], name="outbox_unrelayed", condition=models.Q(relayed_at__isnull=True))
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.to_district_schema} ({self.key})"


class IncomingLetter(models.Model):
    """A letter delivered from another district to one of this district's offices, waiting for its
    dak clerk to diarise it (then ``receipt`` is the ordinary receipt it became)."""

    class Status(models.TextChoices):
        DELIVERED = "delivered", _("Waiting to be diarised")
        DIARISED = "diarised", _("Diarised")

    id = models.BigAutoField(primary_key=True)
    key = models.UUIDField(unique=True)
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    from_district_schema = models.CharField(max_length=63)
    from_district_name = models.CharField(_("from district"), max_length=100)
    from_district_name_hi = models.CharField(max_length=100, blank=True)
    sender_office = models.CharField(_("sender's office"), max_length=150)
    sender_post = models.CharField(_("sender's post"), max_length=150)
    number = models.CharField(_("letter number"), max_length=60)
    letter_date = models.DateField(_("letter date"))
    subject = models.CharField(_("subject"), max_length=500)
    # [{"name", "stored_name", "sha256", "size"}]: copies in this district's own storage.
    documents = models.JSONField(default=list)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DELIVERED)
    delivered_at = models.DateTimeField(default=timezone.now)
    receipt = models.OneToOneField(
        Receipt, null=True, blank=True, on_delete=models.PROTECT, related_name="incoming_letter"
    )
    # The key of the letter this one answers (a letter of ours the sender received), if any.
    in_reply_to_key = models.UUIDField(null=True, blank=True)
    # A file sent up for supervision (issue 22.2): a read-only snapshot of it as the sender's
    # district made it (number, subject, notes, track, the list of its documents), never a link
    # into the sender's schema. Empty for an ordinary letter.
    file_snapshot = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-delivered_at", "-id"]

    def __str__(self) -> str:
        return f"{self.number} from {self.from_district_name}"


class SigningAuthority(models.Model):
    """The district's certification authority: its certificate, and its private key encrypted with
    a key derived from KARYALAY_SIGNING_KEY (or SECRET_KEY). One row."""

    id = models.BigAutoField(primary_key=True)
    certificate_pem = models.TextField()
    key_encrypted = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"signing authority {self.pk}"


class SigningCertificate(models.Model):
    """An officer's certificate for one post, issued by the district's authority. Revoked (and
    never used again) once the person no longer holds the post."""

    id = models.BigAutoField(primary_key=True)
    person = account_key()
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="+")
    serial = models.CharField(max_length=64, unique=True)
    certificate_pem = models.TextField()
    key_encrypted = models.BinaryField()
    issued_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "post"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_live_certificate_per_posting",
            )
        ]

    def __str__(self) -> str:
        return f"certificate {self.serial}"


class LetterSignature(models.Model):
    """The signed PDF of an outward letter, stored in this district's storage."""

    id = models.BigAutoField(primary_key=True)
    dispatch = models.OneToOneField(Dispatch, on_delete=models.PROTECT, related_name="signature")
    certificate = models.ForeignKey(SigningCertificate, on_delete=models.PROTECT, related_name="+")
    stored_name = models.CharField(max_length=200, unique=True)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    signed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"signature of dispatch {self.dispatch_id}"
