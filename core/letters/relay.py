"""Moving letters between districts: outbox → public exchange → the receiving district.

Each step is one transaction (the public and district schemas share the database) and is safe to
rerun: the message's key is unique in the public exchange and in the receiver's incoming letters,
and a status only moves forward. A step that fails (raises anywhere, or the process dies) leaves
what it found, and its next run (the task again, or the periodic sweep) finishes the job; a step
rerun after success changes nothing. ``checkpoint`` marks the points between writes where the tests
inject failures.

Both steps run under the district whose work it is (``district_context``): the relay under the
sender, the delivery under the receiver, which reads only public messages addressed to itself.
"""

from __future__ import annotations

import hashlib
import logging
import uuid

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from core.base.audit import audit_append
from core.letters.files import bytes_remove, bytes_store, stored_bytes
from core.letters.snapshot import snapshot_clean
from core.models import ExchangeOutbox, IncomingLetter, Office, OutgoingLetter
from tenants.models import District, ExchangeAttachment, ExchangeMessage

logger = logging.getLogger(__name__)

# A status only moves forward: a late or repeated "delivered" never undoes "diarised".
_ORDER = {
    OutgoingLetter.Status.QUEUED: 0,
    OutgoingLetter.Status.DELIVERED: 1,
    OutgoingLetter.Status.DIARISED: 2,
}


class LetterUndeliverable(Exception):
    """The receiving district has no such office (any more), or a document arrived damaged."""


def checkpoint(name: str) -> None:
    """A point between two writes of a step; does nothing (tests make it raise, to show that a
    crash there loses and doubles nothing)."""


def _here() -> District:
    return District.objects.get(schema_name=connection.schema_name)


def _public_payload(row: ExchangeOutbox) -> dict:
    # Stored names are paths in the sender's storage: they never leave the sender.
    payload = dict(row.payload)
    if "documents" in payload:
        payload["documents"] = [{"name": d["name"], "sha256": d["sha256"]} for d in payload["documents"]]
    return payload


@transaction.atomic
def outbox_relay(*, limit: int = 500) -> set[str]:
    """Copy this district's unrelayed outbox rows (with a letter's documents) to the public
    exchange and mark them relayed, in one transaction. Returns the schemas written to (the
    caller wakes their delivery). Rows locked by a concurrent relay are left to it."""
    rows = list(
        ExchangeOutbox.objects.select_for_update(skip_locked=True)
        .filter(relayed_at__isnull=True)
        .order_by("id")[:limit]
    )
    if not rows:
        return set()
    here = _here()
    targets = {
        d.schema_name: d
        for d in District.objects.filter(schema_name__in={r.to_district_schema for r in rows})
    }
    now, woken = timezone.now(), set()
    for row in rows:
        to = targets.get(row.to_district_schema)
        if to is None:
            logger.error("Outbox %s names no district %r; left unrelayed", row.key, row.to_district_schema)
            continue
        message, created = ExchangeMessage.objects.get_or_create(
            key=row.key,
            defaults={
                "kind": row.kind,
                "from_district": here,
                "to_district": to,
                "payload": _public_payload(row),
            },
        )
        checkpoint("relay.message_written")
        if created:
            for doc in row.payload.get("documents", []):
                ExchangeAttachment.objects.create(
                    message=message,
                    name=doc["name"],
                    sha256=doc["sha256"],
                    content=stored_bytes(doc["stored_name"], doc["sha256"]),
                )
        checkpoint("relay.attachments_written")
        row.relayed_at = now
        row.save(update_fields=["relayed_at"])
        woken.add(to.schema_name)
    checkpoint("relay.before_commit")
    return woken


def deliver_pending(*, limit: int = 500) -> tuple[int, set[str]]:
    """Deliver the public messages addressed to this district, one transaction each. A district
    that is not live receives nothing: its messages wait. Returns (delivered, schemas whose status
    replies this district's outbox now holds: its own, for the relay)."""
    here = _here()
    if here.status != District.Status.LIVE:
        return 0, set()
    ids = list(
        ExchangeMessage.objects.filter(to_district=here, delivered_at__isnull=True)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    delivered = 0
    for message_id in ids:
        try:
            if message_deliver(message_id=message_id):
                delivered += 1
        except LetterUndeliverable as error:
            ExchangeMessage.objects.filter(pk=message_id).update(
                attempts=F("attempts") + 1, last_error=str(error)[:500]
            )
            logger.error("Exchange message %s not delivered: %s", message_id, error)
    return delivered, ({here.schema_name} if delivered else set())


def message_deliver(*, message_id: int) -> bool:
    """Deliver one public message to this district in one transaction; False if it was delivered
    already (or is being delivered by another worker, or is not for this district). Documents
    copied into storage are removed again if the transaction fails."""
    written: list[str] = []
    try:
        return _deliver(message_id, written)
    except BaseException:
        for stored_name in written:
            bytes_remove(stored_name)
        raise


@transaction.atomic
def _deliver(message_id: int, written: list[str]) -> bool:
    message = (
        ExchangeMessage.objects.select_for_update(skip_locked=True)
        .select_related("from_district")
        .filter(pk=message_id, delivered_at__isnull=True, to_district__schema_name=connection.schema_name)
        .first()
    )
    if message is None:
        return False
    if message.kind == ExchangeMessage.Kind.LETTER:
        _letter_arrive(message, written)
    else:
        _status_apply(message)
    checkpoint("deliver.before_mark")
    message.delivered_at = timezone.now()
    message.save(update_fields=["delivered_at"])
    return True


def _letter_arrive(message: ExchangeMessage, written: list[str]) -> None:
    if IncomingLetter.objects.filter(key=message.key).exists():
        return  # delivered before: nothing again
    payload = message.payload
    office = Office.objects.filter(code=payload.get("to_office_code", "")).first()
    if office is None:
        raise LetterUndeliverable(f"no office {payload.get('to_office_code')!r}")
    documents = []
    for attachment in message.attachments.order_by("id"):
        data = bytes(attachment.content)
        if hashlib.sha256(data).hexdigest() != attachment.sha256:
            raise LetterUndeliverable(f"document {attachment.name!r} damaged in transit")
        stored = bytes_store(data)
        written.append(stored["stored_name"])
        documents.append({"name": attachment.name, **stored})
    checkpoint("deliver.files_copied")
    sender = message.from_district
    incoming = IncomingLetter.objects.create(
        key=message.key,
        office=office,
        from_district_schema=sender.schema_name,
        from_district_name=payload["from_district_name"],
        from_district_name_hi=payload.get("from_district_name_hi", ""),
        sender_office=payload["sender_office"][:150],
        sender_post=payload["sender_post"][:150],
        number=payload["number"][:60],
        letter_date=payload["letter_date"],
        subject=payload["subject"][:500],
        documents=documents,
        in_reply_to_key=_uuid_or_none(payload.get("in_reply_to")),
        file_snapshot=snapshot_clean(payload.get("file")),
    )
    checkpoint("deliver.incoming_written")
    if incoming.in_reply_to_key:
        _reply_mark(incoming, sender)
    status_reply(letter_key=message.key, to_schema=sender.schema_name, status=OutgoingLetter.Status.DELIVERED)
    audit_append(
        actor=None,
        action="letter.deliver",
        target=incoming,
        summary=f"{incoming.number} ({incoming.from_district_name}) → {office.name}",
        details={
            "from_district": sender.schema_name,
            "documents": len(documents),
            "file": incoming.file_snapshot.get("number") or None,
        },
    )


def _uuid_or_none(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def _reply_mark(incoming: IncomingLetter, sender: District) -> None:
    """The letter arrived answers one of ours: mark ours replied, but only a letter we sent to the
    district the answer comes from (another district cannot mark a letter it never received)."""
    letter = (
        OutgoingLetter.objects.select_for_update()
        .filter(key=incoming.in_reply_to_key, to_district_schema=sender.schema_name, replied_at__isnull=True)
        .first()
    )
    if letter is None:
        return
    letter.replied_at, letter.reply_number = incoming.delivered_at, incoming.number
    letter.save(update_fields=["replied_at", "reply_number"])
    audit_append(
        actor=None,
        action="letter.replied",
        target=letter,
        summary=f"{letter.dispatch.number}: replied by {incoming.number} ({incoming.from_district_name})",
        details={"from_district": sender.schema_name, "reply": incoming.number},
    )


def status_reply(*, letter_key, to_schema: str, status: str, diary_number: str = "") -> None:
    """Queue a status of a letter back to its sender, in the caller's transaction. Its key is made
    from the letter's and the status, so writing it twice is refused, never doubled."""
    ExchangeOutbox.objects.get_or_create(
        key=uuid.uuid5(uuid.UUID(str(letter_key)), status),
        defaults={
            "kind": ExchangeOutbox.Kind.STATUS,
            "to_district_schema": to_schema,
            "payload": {
                "letter_key": str(letter_key),
                "status": status,
                "diary_number": diary_number,
                "at": timezone.now().isoformat(),
            },
        },
    )


def _status_apply(message: ExchangeMessage) -> None:
    payload = message.payload
    letter = (
        OutgoingLetter.objects.select_for_update()
        .filter(key=payload.get("letter_key"), to_district_schema=message.from_district.schema_name)
        .first()
    )
    status = payload.get("status")
    if letter is None or status not in _ORDER:
        # Not a letter of ours sent to that district: a status from anywhere else changes nothing.
        logger.warning("Status message %s names no letter sent to %s", message.key, message.from_district)
        return
    if _ORDER[status] <= _ORDER[letter.status]:
        return
    at = payload.get("at") or timezone.now()
    letter.status = status
    letter.delivered_at = letter.delivered_at or at
    fields = ["status", "delivered_at"]
    if status == OutgoingLetter.Status.DIARISED:
        letter.diarised_at, letter.diary_number = at, str(payload.get("diary_number", ""))[:60]
        fields += ["diarised_at", "diary_number"]
    letter.save(update_fields=fields)
    audit_append(
        actor=None,
        action=f"letter.{status}",
        target=letter,
        summary=f"{letter.dispatch.number}: {status} {letter.diary_number}".strip(),
        details={"to_district": letter.to_district_schema, "diary_number": letter.diary_number},
    )
