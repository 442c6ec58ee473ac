"""The district's audit trail: one append-only, hash-chained table per district.

Every service that changes something in a district calls ``audit_append`` inside its own
transaction, so the change and its event commit together or not at all. Appends are serialised
per district by a transaction-level advisory lock, so concurrent writers never fork the chain:
each event's ``prev_hash`` is the hash of the event committed before it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from core.models import AuditEvent
from tenants.models import User

GENESIS = "0" * 64


@dataclass(frozen=True)
class Actor:
    """Who acts in a district, as which post, and from where."""

    person: User | None
    post_id: int | None = None
    ip: str | None = None

    @classmethod
    def from_request(cls, request, *, post_id: int | None = None) -> Actor:
        person = request.user if request.user.is_authenticated else None
        return cls(person=person, post_id=post_id, ip=request.META.get("REMOTE_ADDR") or None)


def _lock_key(schema_name: str) -> int:
    # A signed 64-bit number per schema: the advisory lock that serialises this district's appends.
    return int.from_bytes(hashlib.sha256(f"audit:{schema_name}".encode()).digest()[:8], "big", signed=True)


def event_content(event: AuditEvent) -> str:
    """The event's content as hashed: every field but the hashes, in a fixed form."""
    return json.dumps(
        {
            "at": event.at.isoformat(),
            "person_id": event.person_id,
            "person_login": event.person_login,
            "post_id": event.post_id,
            "action": event.action,
            "target_type": event.target_type,
            "target_id": event.target_id,
            "summary": event.summary,
            "details": event.details,
            "ip": event.ip,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )


def event_hash(prev_hash: str, content: str) -> str:
    return hashlib.sha256((prev_hash + content).encode()).hexdigest()


def audit_append(
    *,
    actor: Actor | None,
    action: str,
    target=None,
    target_type: str = "",
    target_id: str = "",
    summary: str = "",
    details: dict | None = None,
) -> AuditEvent:
    """Append one event to the current district's trail. Must run inside the action's transaction.

    ``target`` is a model instance (its model name and primary key are recorded), or give
    ``target_type`` and ``target_id``. ``actor`` None records the system (a task, a command).
    """
    if not connection.in_atomic_block:
        raise RuntimeError("audit_append must run inside the action's transaction")
    if target is not None:
        target_type = target._meta.model_name
        target_id = str(target.pk)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_lock_key(connection.schema_name)])
    prev_hash = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or GENESIS
    person = actor.person if actor else None
    event = AuditEvent(
        at=timezone.now(),
        person_id=person.pk if person else None,
        person_login=person.login_id if person else "system",
        post_id=actor.post_id if actor else None,
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        summary=summary[:300],
        details=details or {},
        ip=actor.ip if actor else None,
        prev_hash=prev_hash,
    )
    # JSON round trip: what is hashed now must equal what verification reads back later.
    event.details = json.loads(json.dumps(event.details, default=str))
    event.hash = event_hash(prev_hash, event_content(event))
    event.save(force_insert=True)
    return event


__all__ = ["Actor", "GENESIS", "audit_append", "event_content", "event_hash"]
