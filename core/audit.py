"""The district's audit trail: one append-only, hash-chained table per district.

What it guarantees:

- **Written with the change.** Every service that changes something in a district calls
  ``audit_append`` inside its own transaction, so the change and its event commit together or
  not at all (``audit_append`` refuses to run outside a transaction).
- **Append-only.** The database refuses UPDATE, DELETE and TRUNCATE on ``core_auditevent`` for
  every role (triggers, migration ``core.0005``); only the table's owner can get round them, by
  disabling or dropping the triggers, and ``audit_verify`` reports triggers that are missing or
  disabled.
- **Tamper-evident.** Each event stores ``prev_hash`` (the hash of the event before it in the
  district, ``GENESIS`` for the first) and ``hash`` = SHA-256 of ``prev_hash`` and the event's
  content. ``audit_verify`` (``manage.py verify_audit <district>``) recomputes the chain in id
  order and names the first event that does not fit: an edited event fails its own hash; a
  deleted or reordered event makes the next one's ``prev_hash`` wrong. A rewrite of the chain
  from some event to the end, or the removal of the newest events, can only be seen against a
  head recorded elsewhere: the state console anchors every district's head (event id, hash and
  count, signed with a key the database does not hold) in the public schema every hour and on
  every verification, and ``verify_audit`` compares the chain with the last anchor
  (``state_admin.services.audit_anchor``).
- **Never forks.** Appends are serialised per district by a transaction-level advisory lock, and
  ids are drawn after the lock is held, so id order is chain order; a unique index on
  ``prev_hash`` makes a fork impossible even for a writer that ran under REPEATABLE READ.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from core.models import AuditEvent
from core.search.hook import search_note_write
from tenants.models import User

GENESIS = "0" * 64

# The triggers of migration core.0005 that make the table append-only.
GUARD_TRIGGERS = ("core_auditevent_no_update", "core_auditevent_no_delete", "core_auditevent_no_truncate")


def _ip_or_none(value) -> str | None:
    """A valid IP address in the form PostgreSQL's ``inet`` gives back (so the hash survives), or None."""
    try:
        return str(ipaddress.ip_address(str(value).strip()))
    except ValueError:
        return None


@dataclass(frozen=True)
class Actor:
    """Who acts in a district, as which post, and from where."""

    person: User | None
    post_id: int | None = None
    ip: str | None = None

    @classmethod
    def from_request(cls, request, *, post_id: int | None = None) -> Actor:
        """The signed-in person (None when anonymous) and the connecting address.

        The address is ``REMOTE_ADDR`` only: ``X-Forwarded-For`` is set by whoever sends the
        request and is never trusted. Behind a proxy that is the proxy's address unless the proxy
        itself rewrites ``REMOTE_ADDR``. A missing or malformed address records None.
        """
        user = getattr(request, "user", None)
        person = user if user is not None and user.is_authenticated else None
        return cls(person=person, post_id=post_id, ip=_ip_or_none(request.META.get("REMOTE_ADDR") or ""))


def _lock_key(schema_name: str) -> int:
    # A signed 64-bit number per schema: the advisory lock that serialises this district's appends.
    return int.from_bytes(hashlib.sha256(f"audit:{schema_name}".encode()).digest()[:8], "big", signed=True)


def event_content(event: AuditEvent) -> str:
    """The event's content as hashed: every field but the id and the hashes, in a fixed form."""
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
    The advisory lock is held until the caller's transaction ends, so keep the work after the
    append short: other writers in the district wait for it.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("audit_append must run inside the action's transaction")
    if target is not None:
        target_type = target._meta.model_name
        target_id = str(target.pk)
    with connection.cursor() as cursor:
        # Its own statement: under READ COMMITTED the next query's snapshot is taken after the
        # lock is held, so it sees the event the previous holder committed.
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
        ip=_ip_or_none(actor.ip) if actor and actor.ip else None,
        prev_hash=prev_hash,
    )
    # JSON round trip: what is hashed now must equal what verification reads back later.
    event.details = json.loads(json.dumps(event.details, default=str))
    event.hash = event_hash(prev_hash, event_content(event))
    event.save(force_insert=True)
    # The search index follows every audited write, on commit (no queries here).
    search_note_write(action=action, target_type=target_type, target_id=event.target_id)
    return event


@dataclass(frozen=True)
class AuditVerifyResult:
    """What ``audit_verify`` found in one district.

    ``bad_event_id`` is the first event that does not fit the chain (None when the chain holds),
    ``problem`` says why; ``guards_off`` names append-only triggers that are missing or disabled.
    """

    schema_name: str
    count: int
    head_hash: str
    bad_event_id: int | None = None
    # The id of the last event that fits (``after_id`` when none was walked).
    head_id: int = 0
    problem: str = ""
    guards_off: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.bad_event_id is None and not self.guards_off


EDITED = "its content does not match its hash: the event was edited"
BROKEN_LINK = (
    "its prev_hash is not the hash of the event before it: an event before it was deleted, "
    "or events were reordered"
)


def _guards_off() -> tuple[str, ...]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'core_auditevent'::regclass "
            "AND NOT tgisinternal AND tgenabled IN ('O', 'A')"
        )
        on = {row[0] for row in cursor.fetchall()}
    return tuple(name for name in GUARD_TRIGGERS if name not in on)


def audit_verify(
    *, chunk_size: int = 5000, after_id: int = 0, after_hash: str = GENESIS
) -> AuditVerifyResult:
    """Walk the current district's chain in id order and recompute every hash.

    Stops at the first event that does not fit. Reads only; run it under ``district_context``.
    Memory stays flat (events are read in chunks), so it suits trails of millions of events.
    ``after_id`` and ``after_hash`` walk only the events after a known one (an anchored head):
    ``count`` is then the number of events walked.
    """
    previous, head_id = after_hash, after_id
    count = 0
    bad_id, problem = None, ""
    events = AuditEvent.objects.filter(id__gt=after_id) if after_id else AuditEvent.objects.all()
    for event in events.order_by("id").iterator(chunk_size=chunk_size):
        count += 1
        if event.prev_hash != previous:
            bad_id, problem = event.id, BROKEN_LINK
            break
        if event_hash(event.prev_hash, event_content(event)) != event.hash:
            bad_id, problem = event.id, EDITED
            break
        previous, head_id = event.hash, event.id
    return AuditVerifyResult(
        schema_name=connection.schema_name,
        count=count,
        head_hash=previous,
        bad_event_id=bad_id,
        problem=problem,
        guards_off=_guards_off(),
        head_id=head_id,
    )


__all__ = [
    "Actor",
    "AuditVerifyResult",
    "GENESIS",
    "GUARD_TRIGGERS",
    "audit_append",
    "audit_verify",
    "event_content",
    "event_hash",
]
