"""The district's audit trail: one append-only, hash-chained table per district.

What it guarantees:

- **Written with the change.** Every service that changes something in a district calls
  ``audit_append`` inside its own transaction, so the change and its event commit together or
  not at all (``audit_append`` refuses to run outside a transaction).
- **Appended without waiting.** An append is one INSERT and takes no lock: officers of one
  district never wait for each other's events. The event is written unsealed (``seq``,
  ``prev_hash`` and ``hash`` empty).
- **Chained shortly after, in one order.** ``audit_seal`` (the ``audit_seal_task`` loop, every
  ``KARYALAY_AUDIT_SEAL_SECONDS``, and every verification before it walks) takes the district's
  sealing lock, numbers the committed unsealed events in id order after the newest sealed one
  (``seq`` 1, 2, 3 … with no gap) and writes each one's ``prev_hash`` and ``hash`` = SHA-256 of
  ``prev_hash`` and the event's content. The chain's order is ``seq``, the order of sealing: an
  event whose transaction commits after a later id was sealed (ids are drawn before commit, so
  they commit out of order) is sealed in the next pass, after it, and is never skipped. A crash
  between append and seal loses nothing: the committed event waits, unsealed, for the next pass.
- **Append-only.** The database refuses DELETE and TRUNCATE on ``core_auditevent`` for every
  role, and every UPDATE except the one seal of an unsealed event: ``seq``, ``prev_hash`` and
  ``hash`` from empty to set with every other column unchanged (triggers, migrations ``core.0005``
  and ``core.0017``). Only the table's owner can get round them, by disabling or dropping the
  triggers, and ``audit_verify`` reports triggers that are missing or disabled.
- **Tamper-evident once sealed.** ``audit_verify`` (``manage.py verify_audit <district>``)
  recomputes the chain in ``seq`` order and names the first event that does not fit: an edited
  event fails its own hash; a deleted or reordered event makes the next one's ``prev_hash`` wrong.
  Before its seal (a few seconds) an event is protected by the triggers alone: the owner role
  that disables them could edit or remove it unseen, and the seal would then chain what it found.
  ``audit_verify`` reports that window (how many events, since when). A rewrite of the chain from
  some event to the end, or the removal of the newest events, can only be seen against a head
  recorded elsewhere: the state console anchors every district's head in the public schema
  (``state_admin.services.audit_anchor``).
- **Never forks.** Sealing is serialised per district by a transaction-level advisory lock, and
  unique indexes on ``seq`` and ``prev_hash`` make a fork impossible even for a sealer that
  missed the lock.
"""

from __future__ import annotations

import datetime
import hashlib
import ipaddress
import json
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, Min
from django.utils import timezone

from core.models import AuditEvent
from tenants.models import User

GENESIS = "0" * 64

# Areas that follow every audited write register here at start-up (the search index:
# ``core.search.hook.register``, from ``CoreConfig.ready``), so the trail imports no area.
_WRITE_OBSERVERS: dict[str, Callable[..., None]] = {}


def audit_write_observe(key: str, observe: Callable[..., None]) -> None:
    """Register (or replace) ``observe(action=, target_type=, target_id=)``, called after each event
    is written, inside its transaction (it should act on commit and must not query)."""
    _WRITE_OBSERVERS[key] = observe


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
    # A signed 64-bit number per schema: the advisory lock that serialises this district's sealing.
    return int.from_bytes(hashlib.sha256(f"audit:{schema_name}".encode()).digest()[:8], "big", signed=True)


def event_content(event: AuditEvent) -> str:
    """The event's content as hashed: every field but the id, the seal number and the hashes, in a
    fixed form."""
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
    One INSERT, no lock: the event is sealed into the chain by ``audit_seal`` after it commits,
    so the returned event has no ``seq`` or ``hash`` yet.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("audit_append must run inside the action's transaction")
    if target is not None:
        target_type = target._meta.model_name
        target_id = str(target.pk)
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
        # JSON round trip: the event in hand reads as the stored one will (dates become strings).
        details=json.loads(json.dumps(details or {}, default=str)),
        ip=_ip_or_none(actor.ip) if actor and actor.ip else None,
    )
    event.save(force_insert=True)
    # Whoever follows audited writes (the search index, on commit; no queries here).
    for observe in list(_WRITE_OBSERVERS.values()):
        observe(action=action, target_type=target_type, target_id=event.target_id)
    return event


_SEAL = """
UPDATE core_auditevent AS e SET seq = v.seq, prev_hash = v.prev_hash, hash = v.hash
FROM unnest(%s::bigint[], %s::bigint[], %s::varchar[], %s::varchar[]) AS v(id, seq, prev_hash, hash)
WHERE e.id = v.id AND e.seq IS NULL
"""


def audit_seal(*, batch: int = 2000) -> int:
    """Chain the current district's committed, unsealed events after its newest sealed one, in id
    order; returns how many were sealed. Any process may call it at any time (the sealer task, a
    verification): concurrent sealers of one district take turns on the district's advisory
    lock, and each sees what the one before it sealed. Runs in its own transaction (a savepoint
    inside the caller's), so an interrupted seal leaves the events unsealed, never half-chained.
    """
    sealed = 0
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_lock_key(connection.schema_name)])
            # Separate statements: under READ COMMITTED each one's snapshot is taken after the lock
            # is held, so it sees what the previous holder sealed.
            sealed_events = AuditEvent.objects.filter(seq__isnull=False)
            head = sealed_events.order_by("-seq").values_list("seq", "hash").first()
            seq, previous = head or (0, GENESIS)
            events = list(AuditEvent.objects.filter(seq__isnull=True).order_by("id")[:batch])
            if not events:
                return sealed
            columns: tuple[list, list, list, list] = ([], [], [], [])
            for event in events:
                seq += 1
                digest = event_hash(previous, event_content(event))
                for column, value in zip(columns, (event.id, seq, previous, digest), strict=True):
                    column.append(value)
                previous = digest
            cursor.execute(_SEAL, list(columns))
            sealed += cursor.rowcount
        if len(events) < batch:
            return sealed


def audit_unsealed() -> tuple[int, datetime.datetime | None]:
    """How many of the current district's committed events wait for their seal, and since when."""
    window = AuditEvent.objects.filter(seq__isnull=True).aggregate(count=Count("id"), since=Min("at"))
    return window["count"], window["since"]


@dataclass(frozen=True)
class AuditVerifyResult:
    """What ``audit_verify`` found in one district.

    ``bad_event_id`` is the first event that does not fit the chain (None when the chain holds),
    ``problem`` says why; ``guards_off`` names append-only triggers that are missing or disabled.
    ``unsealed`` events (the oldest written at ``unsealed_since``) are not in the chain yet: they
    wait for the next seal and are covered from then on.
    """

    schema_name: str
    count: int
    head_hash: str
    bad_event_id: int | None = None
    # The id of the last event that fits (``after_id`` when none was walked).
    head_id: int = 0
    problem: str = ""
    guards_off: tuple[str, ...] = ()
    # The seal number of the last event that fits: the number of events in the chain up to it.
    head_seq: int = 0
    unsealed: int = 0
    unsealed_since: datetime.datetime | None = None

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
    """Walk the current district's sealed chain in seal order and recompute every hash.

    Stops at the first event that does not fit. Reads only (``audit_seal`` first to cover the
    newest events); run it under ``district_context``. Memory stays flat (events are read in
    chunks), so it suits trails of millions of events. ``after_id`` and ``after_hash`` walk only
    the events sealed after a known one (an anchored head): ``count`` is then the number of events
    walked. The unsealed events are counted, not walked.
    """
    previous, head_id, head_seq = after_hash, after_id, 0
    count = 0
    bad_id, problem = None, ""
    events = AuditEvent.objects.filter(seq__isnull=False)
    if after_id:
        head_seq = AuditEvent.objects.filter(id=after_id).values_list("seq", flat=True).first() or 0
        events = events.filter(seq__gt=head_seq)
    for event in events.order_by("seq").iterator(chunk_size=chunk_size):
        count += 1
        if event.prev_hash != previous or event.seq != head_seq + 1:
            bad_id, problem = event.id, BROKEN_LINK
            break
        if event_hash(event.prev_hash, event_content(event)) != event.hash:
            bad_id, problem = event.id, EDITED
            break
        previous, head_id, head_seq = event.hash, event.id, event.seq
    unsealed, since = audit_unsealed()
    return AuditVerifyResult(
        schema_name=connection.schema_name,
        count=count,
        head_hash=previous,
        bad_event_id=bad_id,
        problem=problem,
        guards_off=_guards_off(),
        head_id=head_id,
        head_seq=head_seq,
        unsealed=unsealed,
        unsealed_since=since,
    )


__all__ = [
    "Actor",
    "AuditVerifyResult",
    "GENESIS",
    "GUARD_TRIGGERS",
    "audit_append",
    "audit_seal",
    "audit_unsealed",
    "audit_verify",
    "event_content",
    "event_hash",
]
