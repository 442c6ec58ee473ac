"""The receiving dak clerk diarises a letter delivered from another district, like any other."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.utils.translation import gettext as _

from core.base.actors import as_post, require_post_held
from core.base.audit import Actor, audit_append
from core.efile.services.documents import document_upload
from core.efile.services.receipts import receipt_diarise
from core.letters.files import StoredFileDamaged, stored_bytes
from core.letters.relay import status_reply
from core.letters.tasks import letters_relay_on_commit
from core.models import IncomingLetter, OutgoingLetter, Post, Receipt


def incoming_sender(incoming: IncomingLetter) -> str:
    return f"{incoming.sender_post}, {incoming.sender_office}, {incoming.from_district_name}"


@transaction.atomic
def incoming_letter_diarise(*, actor: Actor, post: Post, incoming: IncomingLetter) -> Receipt:
    """Diarise a delivered letter at ``post`` (held by the acting person, a post of the office the
    letter is addressed to): an ordinary receipt (``receipt_diarise``) with the letter's documents
    on it, and "diarised" with the diary number queued back to the sender in the same transaction.
    A letter is diarised once."""
    require_post_held(actor, post)
    incoming = IncomingLetter.objects.select_for_update().get(pk=incoming.pk)
    if post.office_id != incoming.office_id:
        raise ValidationError(
            _("This letter is addressed to another office; it is diarised there."), code="other_office"
        )
    if incoming.status != IncomingLetter.Status.DELIVERED:
        raise ValidationError(_("This letter has already been diarised."), code="already_diarised")
    receipt = receipt_diarise(
        actor=actor,
        post=post,
        mode=Receipt.Mode.EMAIL,
        sender=incoming_sender(incoming)[:200],
        sender_address=_("Through Karyalay from %(district)s district")
        % {"district": incoming.from_district_name},
        subject=incoming.subject,
        letter_date=min(incoming.letter_date, incoming.delivered_at.date()),
        letter_reference=incoming.number,
    )
    uploads = []
    for doc in incoming.documents:
        try:
            data = stored_bytes(doc["stored_name"], doc["sha256"])
        except StoredFileDamaged as error:
            raise ValidationError(
                _("A document of this letter is missing or damaged in storage; ask the administrator."),
                code="document_damaged",
            ) from error
        uploads.append(SimpleUploadedFile(doc["name"], data, content_type="application/pdf"))
    if uploads:
        document_upload(actor=as_post(actor, post), receipt=receipt, uploads=uploads)
    incoming.status, incoming.receipt = IncomingLetter.Status.DIARISED, receipt
    incoming.save(update_fields=["status", "receipt"])
    status_reply(
        letter_key=incoming.key,
        to_schema=incoming.from_district_schema,
        status=OutgoingLetter.Status.DIARISED,
        diary_number=receipt.diary_number,
    )
    audit_append(
        actor=as_post(actor, post),
        action="letter.diarise",
        target=incoming,
        summary=f"{incoming.number} ({incoming.from_district_name}) → {receipt.diary_number}",
        details={"receipt": receipt.pk, "from_district": incoming.from_district_schema},
    )

    letters_relay_on_commit(connection.schema_name)
    return receipt
